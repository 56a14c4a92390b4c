"""Document bytes and presigned download URLs.

Thredfi hands out short-lived S3-style presigned URLs; the dashboard must fetch a fresh one every
time and cope with expiry. The sandbox signs ``document_id/file_name:expires`` with a per-process
HMAC key so URLs are unforgeable, really expire, and die with the process.
"""

from __future__ import annotations

import hashlib
import hmac
import math
import time
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import quote

PDF_MIME = "application/pdf"
CSV_MIME = "text/csv"


@dataclass(frozen=True, slots=True)
class Document:
    """One stored file; ``size`` derives from ``content`` so it always matches what is served."""

    document_id: str
    file_name: str
    mime_type: str
    content: bytes

    @property
    def size(self) -> int:
        return len(self.content)


def _ascii(text: str) -> str:
    """Standard PDF fonts only know Latin text: fold accents and drop what cannot be shown."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return folded.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def build_pdf(title: str, lines: list[str]) -> bytes:
    """A real, minimal PDF 1.4 (one page, Helvetica) with a correct xref table.

    Real bytes matter: the dashboard streams them to browsers, and tests check ``%PDF`` and sizes.
    """
    text_ops = ["BT", "/F1 18 Tf", "56 780 Td", f"({_ascii(title)}) Tj", "/F1 11 Tf"]
    for line in lines:
        text_ops.append("0 -18 Td")
        text_ops.append(f"({_ascii(line)}) Tj")
    text_ops.append("ET")
    stream = "\n".join(text_ops).encode("ascii")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref_at = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref_at,
    )
    return bytes(out)


def build_csv(header: list[str], rows: list[list[str]]) -> bytes:
    """UTF-8 CSV with a BOM, as accounting exports usually are (Excel needs it for accents)."""

    def cell(value: str) -> str:
        if any(ch in value for ch in ',"\n'):
            return '"' + value.replace('"', '""') + '"'
        return value

    lines = [",".join(cell(v) for v in header)]
    lines.extend(",".join(cell(v) for v in row) for row in rows)
    return ("\ufeff" + "\r\n".join(lines) + "\r\n").encode("utf-8")


class Presigner:
    """Mints and checks presigned URLs; one instance per server process (random key)."""

    def __init__(
        self, key: bytes, ttl_seconds: int, clock: Callable[[], float] = time.time
    ) -> None:
        self._key = key
        self.ttl_seconds = ttl_seconds
        self.clock = clock  # the sandbox's clock (sandbox/clock.py), which tests may advance

    def _signature(self, document_id: str, file_name: str, expires: int) -> str:
        message = f"{document_id}/{file_name}:{expires}".encode()
        return hmac.new(self._key, message, hashlib.sha256).hexdigest()

    def url(self, base_url: str, document: Document, now: float | None = None) -> str:
        """A fresh URL valid for ``ttl_seconds`` (rounded up so it never dies early)."""
        now = self.clock() if now is None else now
        expires = math.ceil(now + self.ttl_seconds)
        signature = self._signature(document.document_id, document.file_name, expires)
        return (
            f"{base_url}/files/{document.document_id}/{quote(document.file_name, safe='')}"
            f"?expires={expires}&signature={signature}"
        )

    def check(self, document_id: str, file_name: str, expires: str, signature: str) -> str | None:
        """``None`` when the URL is good, else the S3-style error code explaining why not."""
        try:
            expires_at = int(expires)
        except ValueError:
            return "AccessDenied"
        expected = self._signature(document_id, file_name, expires_at)
        if not hmac.compare_digest(expected, signature):
            return "SignatureDoesNotMatch"
        if self.clock() > expires_at:
            return "AccessDenied"
        return None


def s3_error(code: str, message: str, request_id: str) -> bytes:
    """The XML body S3 sends with a refused presigned URL; clients must not expect JSON here."""
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f"<Error><Code>{code}</Code><Message>{message}</Message>"
        f"<RequestId>{request_id}</RequestId></Error>\n"
    ).encode()
