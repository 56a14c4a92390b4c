"""The server's floor: what gunicorn and the kernel cost a request before any Django runs.

`make bench` serves this WSGI callable with the Procfile's gunicorn settings (gunicorn.conf.py:
the same workers, threads, keep-alive and JSON access log) beside the dashboard and the afternoon
version. It answers every request at once with a fixed body the size of a detail page, so its CPU
per request is the part of the dashboard's that no change to the app can remove (issue #23).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable

# About the detail page's uncompressed size (wrk sends no Accept-Encoding, so neither app gzips).
BODY = b"<!doctype html>" + b"x" * int(os.environ.get("BENCH_FLOOR_BODY_BYTES", "20000"))
HEADERS = [("Content-Type", "text/html; charset=utf-8"), ("Content-Length", str(len(BODY)))]


def application(
    environ: dict[str, object], start_response: Callable[..., object]
) -> Iterable[bytes]:
    start_response("200 OK", HEADERS)
    return [BODY]
