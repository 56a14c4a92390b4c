"""Log records that say which request they belong to.

`RequestContextFilter` stamps every record with the current request's id and user id (empty
outside a request), so one request can be followed through every line; `JsonFormatter` writes
one JSON object a line with those and whatever structured fields the code attached (the Thredfi
transport's ``thredfi_*`` fields, for instance).
"""

from __future__ import annotations

import logging

from pythonjsonlogger.core import RESERVED_ATTRS
from pythonjsonlogger.json import JsonFormatter as _JsonFormatter

from customers_ui.core.request_context import current

__all__ = ["JsonFormatter", "RequestContextFilter"]


class RequestContextFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        context = current()
        # Django writes its response line (django.request) after the middleware has returned,
        # when the context is gone; the record carries the request itself instead.
        request = getattr(record, "request", None)
        if not hasattr(record, "request_id"):
            if context is not None:
                record.request_id = context.request_id
            else:
                record.request_id = getattr(request, "request_id", "")
        if not hasattr(record, "user_id"):
            if context is not None:
                record.user_id = context.user_id
            else:
                meta = getattr(request, "META", {})
                record.user_id = meta.get("dashboard.user_id") if meta else None
        return True


class JsonFormatter(_JsonFormatter):
    """python-json-logger with the field names operators search for."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        kwargs.setdefault("fmt", "%(asctime)s %(levelname)s %(name)s %(message)s")
        kwargs.setdefault(
            "rename_fields", {"asctime": "time", "levelname": "level", "name": "logger"}
        )
        kwargs.setdefault("timestamp", False)
        # Django's records carry the request, whose repr is the full path with its query string:
        # search terms (customers' names and e-mails) must not reach the logs that way.
        kwargs.setdefault("reserved_attrs", [*RESERVED_ATTRS, "request"])
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
