"""A customer page and everything it links stay within 8 KB compressed (issue #23), and the
static-file minifier can never change what a file means."""

from __future__ import annotations

import gzip
import re
from pathlib import Path

from django.contrib.staticfiles.storage import staticfiles_storage

from dashboard.static_storage import minify_css, minify_js
from sandbox.demo import BUSINESS_GBP, DEMO_CUSTOMER_ID

DETAIL = f"/customers/{BUSINESS_GBP}/{DEMO_CUSTOMER_ID}/"
BUDGET_BYTES = 8 * 1024
STATIC = Path(__file__).resolve().parents[2] / "static"


def _compressed_asset_bytes(url: str, encoding: str = "br") -> int:
    """What whitenoise sends for this asset to a browser accepting `encoding` (its .br or .gz
    sibling, written at collectstatic)."""
    name = url.removeprefix(staticfiles_storage.base_url)
    path = Path(staticfiles_storage.path(name))
    suffix = {"br": ".br", "gzip": ".gz"}[encoding]
    return (path.with_name(path.name + suffix)).stat().st_size


def test_detail_page_and_assets_fit_in_8_kb_compressed(staff_client) -> None:
    staff_client.get(DETAIL)
    response = staff_client.get(DETAIL, HTTP_ACCEPT_ENCODING="gzip")
    assert response.status_code == 200
    assert response["Content-Encoding"] == "gzip"
    html = gzip.decompress(response.content).decode()
    assets = re.findall(r'(?:href|src)="(/static/[^"]+\.(?:css|js))"', html)
    assert len(assets) == 2, assets  # app.css and app.js: the finder's files only where it is
    # Every current browser accepts br over https: the page is gzip (Django), its assets Brotli.
    total = len(response.content) + sum(_compressed_asset_bytes(url) for url in assets)
    assert total <= BUDGET_BYTES, f"{total} bytes"


def test_static_files_go_out_brotli_to_browsers_that_accept_it(staff_client) -> None:
    html = staff_client.get(DETAIL).content.decode()
    css = re.findall(r'href="(/static/css/app\.[0-9a-f]+\.css)"', html)[0]
    response = staff_client.get(css, HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    assert response.status_code == 200
    assert response["Content-Encoding"] == "br"
    assert int(response["Content-Length"]) == _compressed_asset_bytes(css, "br")
    older = staff_client.get(css, HTTP_ACCEPT_ENCODING="gzip")
    assert older["Content-Encoding"] == "gzip"


def test_minifying_is_idempotent_and_keeps_every_rule_and_line() -> None:
    for path in sorted((STATIC / "css").glob("*.css")):
        text = path.read_text()
        once = minify_css(text)
        assert minify_css(once) == once
        assert once.count("{") == text.count("{") - _braces_in_comments(text)
    for path in sorted((STATIC / "js").glob("*.js")):
        text = path.read_text()
        once = minify_js(text)
        assert minify_js(once) == once
        code_lines = [line.strip() for line in text.splitlines() if line.strip()]
        assert [line for line in code_lines if not line.startswith("//")] == [
            line.strip() for line in once.splitlines() if line.strip()
        ]


def test_minifier_keeps_strings_and_significant_blanks() -> None:
    css = '/* note */\n.a  .b:hover { font: 1em "Helvetica Neue"; width: calc(100% - 2rem); }\n'
    assert minify_css(css) == '.a .b:hover{font: 1em "Helvetica Neue";width: calc(100% - 2rem);}\n'
    js = '  // why\n  var a = "x // not a comment";\n  return a;\n'
    assert minify_js(js) == 'var a = "x // not a comment";\nreturn a;\n'


def _braces_in_comments(text: str) -> int:
    return sum(comment.count("{") for comment in re.findall(r"/\*.*?\*/", text, re.S))
