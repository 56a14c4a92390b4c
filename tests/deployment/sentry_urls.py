"""The real URLconf plus one failing view, for the error-reporting test only."""

from __future__ import annotations

import logging

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt

logger = logging.getLogger("dashboard.tests.sentry")


@csrf_exempt  # the test posts made-up CSRF values to see them scrubbed
@login_not_required
def failing_view(request: HttpRequest) -> HttpResponse:
    """Fail the way a careless code path might: secrets in a log line and in the message."""
    api_key = request.POST.get("api_key", "")
    logger.warning(
        "retrying https://backend.thredfi.example/v1/token/?access_token=%s",
        request.headers.get("X-Upstream-Token", ""),
    )
    logger.error(
        "upstream answered 401 for %s",
        f"https://backend.thredfi.example/v1/customers/?api_key={api_key}",
    )
    raise RuntimeError(f"upstream refused the credential: api_key={api_key}")


# The real URLs too: the 500 page links to them.
urlpatterns = [path("fail/", failing_view), path("", include("dashboard.urls"))]
