"""The customer-detail body: a pre-encoded customer row plus documents with fresh presigned URLs.

Shared by the normal detail route (:mod:`sandbox.resources`) and the faults that answer 200 with
an odd customer (:mod:`sandbox.fault_answers`): URLs are minted for this very call, on the Host the
client used, so they work through any host alias or port.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from sandbox.documents import Document
from sandbox.store import dumps

if TYPE_CHECKING:
    from sandbox.server import SandboxHandler


def send_customer(
    handler: SandboxHandler,
    row: bytes,
    documents: Sequence[Document],
    file_sizes: Sequence[object] | None = None,
) -> None:
    """Answer 200 with ``row`` + ``documents``; ``file_sizes`` overrides the declared sizes
    (HUGE_FILE_SIZE lies about them)."""
    presigner = handler.server.presigner
    ttl = presigner.ttl_seconds
    now = presigner.clock()
    sizes = file_sizes or [doc.size for doc in documents]
    docs = [
        {
            "url": presigner.url(handler.base_url, doc, now),
            "expires_in": ttl,
            "document_id": doc.document_id,
            "file_name": doc.file_name,
            "file_size": size,
            "mime_type": doc.mime_type,
        }
        for doc, size in zip(documents, sizes, strict=True)
    ]
    handler.send_body(200, row[:-1] + b',"documents":' + dumps(docs) + b"}")
