"""Request housekeeping every page shares: the request id and the browser feature policy."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

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


class RequestContextMiddleware:
    """First in the chain: give the request its id (the router's, when well-formed), make it the
    context of every log line and audit row, and echo it in `X-Request-ID`."""

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
        return response


class PermissionsPolicyMiddleware:
    """Turn off browser features the dashboard never uses, so injected content can't use them."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response
