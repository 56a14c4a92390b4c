"""Static files as deployed: comments and indentation left out of CSS and JS, then hashed and
precompressed by whitenoise.

The sources stay commented and readable; what browsers download is smaller (a customer page and
its assets must fit in 8 KB compressed, bench/RESULTS.md). The rules are deliberately
conservative, so they can never change what a file means: CSS loses comments and the blanks
around `{`, `}` and `;`; JavaScript loses whole-line `//` comments and leading indentation (no
line is ever joined to another, so automatic semicolon insertion sees the same lines). Both are
idempotent, because the manifest storage saves each file more than once.
"""

from __future__ import annotations

import re
from typing import Any

from django.core.files.base import ContentFile
from whitenoise.storage import CompressedManifestStaticFilesStorage

_CSS_COMMENT = re.compile(r"/\*.*?\*/", re.S)
_BLANKS = re.compile(r"\s+")
_CSS_PUNCTUATION = re.compile(r"\s*([{};])\s*")
_JS_COMMENT_LINE = re.compile(r"^[ \t]*//[^\n]*\n", re.M)
_INDENT = re.compile(r"^[ \t]+", re.M)


def minify_css(text: str) -> str:
    text = _CSS_COMMENT.sub("", text)
    return _CSS_PUNCTUATION.sub(r"\1", _BLANKS.sub(" ", text)).strip() + "\n"


def minify_js(text: str) -> str:
    return _INDENT.sub("", _JS_COMMENT_LINE.sub("", text))


# Only the dashboard's own files (static/css, static/js): third-party ones (the admin's) are left
# exactly as their authors shipped them.
_OURS = ("css/", "js/")


class MinifiedStaticFilesStorage(CompressedManifestStaticFilesStorage):
    def _save(self, name: str, content: Any) -> str:
        if name.startswith(_OURS) and name.endswith((".css", ".js")):
            content.seek(0)
            text = content.read()
            if isinstance(text, bytes):
                text = text.decode("utf-8")
            text = minify_css(text) if name.endswith(".css") else minify_js(text)
            content = ContentFile(text.encode("utf-8"))
        return super()._save(name, content)
