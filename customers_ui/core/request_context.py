"""What every log line and audit row of one request shares: its id, its user, where it came from.

One request id follows a request through the router's log, gunicorn's access line, every
application line and the error page: taken from the router's `X-Request-ID` when it is
well-formed (bounded, printable), generated otherwise. Context variables carry it to code that has
no request at hand (the Thredfi client's log lines, the audit writer), thread by thread.
"""

from __future__ import annotations

import re
import uuid
from contextvars import ContextVar
from dataclasses import dataclass

from django.http import HttpRequest
from django.utils.functional import empty

MAX_REQUEST_ID_CHARS = 128
_WELL_FORMED = re.compile(r"[\x21-\x7e]{1,%d}" % MAX_REQUEST_ID_CHARS)  # noqa: UP031


@dataclass(frozen=True, slots=True)
class RequestContext:
    request_id: str
    client_ip: str = ""
    fetch_site: str = ""  # the browser's Sec-Fetch-Site: "cross-site" = opened from elsewhere
    request: HttpRequest | None = None

    @property
    def user_id(self) -> int | None:
        """The signed-in user's id, if the request already looked the user up (never forces a
        session read just to decorate a log line)."""
        lazy = self.request.__dict__.get("user") if self.request is not None else None
        user = getattr(lazy, "_wrapped", lazy)
        if user is None or user is empty or not getattr(user, "is_authenticated", False):
            return None
        return user.pk


_current: ContextVar[RequestContext | None] = ContextVar("request_context", default=None)


def incoming_request_id(value: str | None) -> str:
    """The router's id when it is well-formed, else a new one (never a value that could forge a
    log line or flood a page)."""
    if value and _WELL_FORMED.fullmatch(value):
        return value
    return uuid.uuid4().hex


def current() -> RequestContext | None:
    return _current.get()


def current_request_id() -> str:
    context = _current.get()
    return context.request_id if context is not None else ""


def activate(context: RequestContext) -> object:
    return _current.set(context)


def deactivate(token: object) -> None:
    _current.reset(token)  # type: ignore[arg-type]
