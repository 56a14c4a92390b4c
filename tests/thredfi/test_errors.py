"""The error model: one base class, a type per cause, request ids everywhere."""

from __future__ import annotations

import pytest

from customers_ui.thredfi import errors, retry_worthy


def test_str_prefixes_the_request_id():
    error = errors.NotFound("customer not found", status=404, request_id="req_abc")
    assert str(error) == "Request req_abc: customer not found"
    assert str(errors.NotFound(status=404)) == "not found (HTTP 404)"


@pytest.mark.parametrize(
    ("status", "cls"),
    [
        (400, errors.ValidationFailed),
        (401, errors.AuthenticationFailed),
        (403, errors.PermissionDenied),
        (404, errors.NotFound),
        (409, errors.Conflict),
        (422, errors.ValidationFailed),
        (429, errors.RateLimited),
        (418, errors.UpstreamError),
        (500, errors.UpstreamError),
        (503, errors.ServiceUnavailable),
    ],
)
def test_status_maps_to_type(status, cls):
    error = errors.error_from_response(status, {"request_id": "req_1"}, {})
    assert type(error) is cls
    assert error.status == status
    assert error.request_id == "req_1"
    assert isinstance(error, errors.ThredfiError)


def test_request_id_falls_back_to_header_and_body_is_optional():
    error = errors.error_from_response(500, "<html>", {}, header_request_id="req_hdr")
    assert error.request_id == "req_hdr"
    assert error.message is None


def test_validation_errors_carry_field_errors():
    error = errors.error_from_response(
        422,
        {
            "error_code": "validation_error",
            "message": "bad",
            "detail": {"field_errors": {"x": ["no"]}},
        },
        {},
    )
    assert error.field_errors == {"x": ["no"]}
    assert error.error_code == "validation_error"


@pytest.mark.parametrize(
    ("header", "expected"), [("30", 30.0), ("1.5", 1.5), ("-3", 0.0), ("soon", None), (None, None)]
)
def test_retry_after_parsing(header, expected):
    headers = {} if header is None else {"Retry-After": header}
    assert errors.error_from_response(429, None, headers).retry_after == expected


def test_retry_after_http_date():
    value = errors.parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", now=1445412470.0)
    assert value == pytest.approx(10.0)


@pytest.mark.parametrize(
    ("error", "method", "worth_it"),
    [
        (errors.UpstreamUnreachable(), "GET", True),
        (errors.UpstreamUnreachable(), "POST", True),  # no answer: minting a token twice is fine
        (errors.UpstreamTLSFailure(), "GET", False),  # a certificate won't fix itself
        (errors.ServiceUnavailable(status=503), "GET", True),
        (errors.UpstreamError(status=502), "GET", True),
        (errors.UpstreamError(status=504), "GET", True),
        (errors.UpstreamError(status=502), "POST", False),
        (errors.UpstreamError(status=500), "GET", False),  # a 500 is about this request
        (errors.Conflict(status=409), "GET", False),
        (errors.UpstreamTimeout(), "GET", False),  # the time is gone
        (errors.NotFound(status=404), "GET", False),
        (errors.BadResponse(status=200), "GET", False),
    ],
)
def test_retry_worthiness_is_decided_in_one_place(error, method, worth_it):
    assert retry_worthy(error, method=method) is worth_it


def test_upstream_messages_are_bounded():
    error = errors.error_from_response(500, {"message": "x" * 10_000}, {})
    assert len(error.message) <= errors.MAX_MESSAGE_CHARS


def test_request_ids_cannot_forge_log_lines_or_flood_pages():
    hostile = "req_1\n2026-01-01 INFO forged line\x1b[31m" + "x" * 10_000
    error = errors.error_from_response(404, {"request_id": hostile}, {})
    assert error.request_id.startswith("req_12026-01-01INFOforgedline[31m")
    assert len(error.request_id) <= 128
    assert all(0x21 <= ord(ch) <= 0x7E for ch in error.request_id)
    from_header = errors.error_from_response(404, None, {}, header_request_id="\x07req\t2\x1b")
    assert from_header.request_id == "req2"
