"""Django's own log records (django.request, django.security) as our formatter writes them.

They are emitted after the middleware has returned, so the request id must come from the request
the record carries; and that request's repr is the full path with its query string, which holds
search terms (customers' names and e-mails) and must never reach a log line.
"""

from __future__ import annotations

import io
import json
import logging

from django.test import RequestFactory

from customers_ui.core.log_records import JsonFormatter, RequestContextFilter


def write_django_style_record(request) -> dict:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(RequestContextFilter())
    logger = logging.getLogger("tests.django_style")
    logger.addHandler(handler)
    logger.propagate = False
    try:
        # What django.utils.log.log_response passes for a 5xx.
        logger.error(
            "Internal Server Error: %s",
            request.path,
            extra={"status_code": 500, "request": request},
        )
    finally:
        logger.removeHandler(handler)
    return json.loads(stream.getvalue())


def test_a_django_response_line_carries_the_request_id_and_user() -> None:
    request = RequestFactory().get("/search/", {"q": "someone"})
    request.request_id = "router-abc-123"
    request.META["dashboard.user_id"] = 7
    line = write_django_style_record(request)
    assert line["request_id"] == "router-abc-123"
    assert line["user_id"] == 7
    assert line["status_code"] == 500


def test_a_django_response_line_never_carries_the_query_string() -> None:
    request = RequestFactory().get("/search/", {"q": "private.person@example.com"})
    line = write_django_style_record(request)
    assert "private.person" not in json.dumps(line)
    assert line["message"] == "Internal Server Error: /search/"
