"""Request housekeeping every page shares: the request id and the browser feature policy, in one
middleware (issue #23: one job per middleware, not one class per header); and which requests are
housekeeping themselves (the platform's probe, static files), so that the middleware that need a
session or a user can leave them alone."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.urls import reverse

from customers_ui.core.client_address import client_ip
from customers_ui.core.request_context import (
    RequestContext,
    activate,
    deactivate,
    incoming_request_id,
)

PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "encrypted-media",
        "fullscreen",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "picture-in-picture",
        "publickey-credentials-get",
        "screen-wake-lock",
        "sync-xhr",
        "usb",
        "xr-spatial-tracking",
    )
)


@cache
def _probe_paths() -> frozenset[str]:
    return frozenset({reverse("healthz"), "/favicon.ico"})


@cache
def _static_prefix() -> str:
    return "/" + settings.STATIC_URL.lstrip("/")


def is_housekeeping(path: str) -> bool:
    """The platform's health probe and static files: answered without a session or a user, even
    when a signed-in browser sends its cookie along."""
    return path in _probe_paths() or path.startswith(_static_prefix())


class RequestContextMiddleware:
    """First in the chain: give the request its id (the router's, when well-formed), make it the
    context of every log line and audit row, and echo it in `X-Request-ID`; and turn off the
    browser features the dashboard never uses (`Permissions-Policy`), so injected content can't
    use them."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = incoming_request_id(request.headers.get("X-Request-ID"))
        request.request_id = request_id  # type: ignore[attr-defined]
        # gunicorn's access line reads these from the WSGI environ (dashboard/gunicorn_logging).
        request.META["dashboard.request_id"] = request_id
        context = RequestContext(
            request_id=request_id,
            client_ip=client_ip(request),
            fetch_site=request.headers.get("Sec-Fetch-Site", "")[:20],
            request=request,
        )
        request.META["dashboard.client_ip"] = context.client_ip
        token = activate(context)
        try:
            response = self.get_response(request)
            user_id = context.user_id
            if user_id is not None:
                request.META["dashboard.user_id"] = user_id
        finally:
            deactivate(token)
        response["X-Request-ID"] = request_id
        response.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response
