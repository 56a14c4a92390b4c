"""Customer IDs that make the customer-detail route misbehave on purpose.

They work under every business of either partner (with a valid business token for it), only on
``GET /v1/platform/businesses/{business_id}/customers/{customer_id}/``; list and search stay normal
(but see the list faults below).
Fixed values, because the dashboard's tests and the demo page link to them.

=====================  ====================================  =======================================
name                   customer id                           answer
=====================  ====================================  =======================================
NOT_FOUND              0000fa17-0000-4000-8000-000000000404  404 error envelope
FORBIDDEN              0000fa17-0000-4000-8000-000000000403  403 error envelope
UNAUTHORIZED           0000fa17-0000-4000-8000-000000000401  401 always, even with a fresh token
CONFLICT               0000fa17-0000-4000-8000-000000000409  409 error envelope
UNPROCESSABLE          0000fa17-0000-4000-8000-000000000422  422 with detail.field_errors
BAD_REQUEST            0000fa17-0000-4000-8000-000000000400  400 ValidationErrorResponse
RATE_LIMITED           0000fa17-0000-4000-8000-000000000429  429, Retry-After: 30
RATE_LIMITED_ONCE      0000fa17-0000-4000-8000-000000004291  odd calls 429 (Retry-After: 1), even OK
SERVER_ERROR           0000fa17-0000-4000-8000-000000000500  500 error envelope
BAD_GATEWAY            0000fa17-0000-4000-8000-000000000502  502 error envelope
UNAVAILABLE            0000fa17-0000-4000-8000-000000000503  503 error envelope
UNAVAILABLE_ONCE       0000fa17-0000-4000-8000-000000005031  odd calls 503, even calls 200
HANG                   0000fa17-0000-4000-8000-0000000000a1  sleeps --hang-seconds, then 200
NON_JSON               0000fa17-0000-4000-8000-0000000000a2  200 text/html gateway page
OVERSIZED              0000fa17-0000-4000-8000-0000000000a3  200 ~8 MB JSON, Content-Length
HOSTILE                0000fa17-0000-4000-8000-0000000000a4  200 customer full of HTML/JS payloads
OVERSIZED_CHUNKED      0000fa17-0000-4000-8000-0000000000a5  200 ~8 MB JSON, chunked
WRONG_SHAPE            0000fa17-0000-4000-8000-0000000000a6  200 JSON array [1, 2, 3]
ALL_NULLS              0000fa17-0000-4000-8000-0000000000a7  200 id/type/status, all else null
MINIMAL                0000fa17-0000-4000-8000-0000000000a8  200 id + unexpected fields only
HUGE_EXPONENT          0000fa17-0000-4000-8000-0000000000c1  200, money as "1e999999999" strings
HUGE_BALANCE           0000fa17-0000-4000-8000-0000000000c2  200, balance 10**30, limit -10**30
HUGE_FILE_SIZE         0000fa17-0000-4000-8000-0000000000c3  200, file_size "1e400" and 10**40
HUGE_NUMBER_DIGITS     0000fa17-0000-4000-8000-0000000000c4  200, money as 100,000-digit integers
DEEP_METADATA          0000fa17-0000-4000-8000-0000000000c5  200, metadata nested 5,000 deep
WIDE_METADATA          0000fa17-0000-4000-8000-0000000000c6  200, ~1.3 MB metadata, 10,000 tags
HOSTILE_REQUEST_ID     0000fa17-0000-4000-8000-0000000000c7  404, ~10 KB request id forging logs
HOSTILE_REQUEST_ID_OK  0000fa17-0000-4000-8000-0000000000c8  200 customer, same hostile request id
=====================  ====================================  =======================================

The "_ONCE" counters are per customer id (shared by all businesses) and reset by
``POST /_sandbox/reset``.

The list route has two faults of its own, chosen by the ``search`` value (``LIST_FAULTS``):
``__fault_huge_pages`` (page_info claims 10**29 pages) and ``__fault_hostile_rows`` (20 rows with
the hostile numbers and ~95 KB of metadata each).
"""

from __future__ import annotations

NOT_FOUND = "0000fa17-0000-4000-8000-000000000404"
FORBIDDEN = "0000fa17-0000-4000-8000-000000000403"
UNAUTHORIZED = "0000fa17-0000-4000-8000-000000000401"
CONFLICT = "0000fa17-0000-4000-8000-000000000409"
UNPROCESSABLE = "0000fa17-0000-4000-8000-000000000422"
BAD_REQUEST = "0000fa17-0000-4000-8000-000000000400"
RATE_LIMITED = "0000fa17-0000-4000-8000-000000000429"
RATE_LIMITED_ONCE = "0000fa17-0000-4000-8000-000000004291"
SERVER_ERROR = "0000fa17-0000-4000-8000-000000000500"
BAD_GATEWAY = "0000fa17-0000-4000-8000-000000000502"
UNAVAILABLE = "0000fa17-0000-4000-8000-000000000503"
UNAVAILABLE_ONCE = "0000fa17-0000-4000-8000-000000005031"
HANG = "0000fa17-0000-4000-8000-0000000000a1"
NON_JSON = "0000fa17-0000-4000-8000-0000000000a2"
OVERSIZED = "0000fa17-0000-4000-8000-0000000000a3"
HOSTILE = "0000fa17-0000-4000-8000-0000000000a4"
OVERSIZED_CHUNKED = "0000fa17-0000-4000-8000-0000000000a5"
WRONG_SHAPE = "0000fa17-0000-4000-8000-0000000000a6"
ALL_NULLS = "0000fa17-0000-4000-8000-0000000000a7"
MINIMAL = "0000fa17-0000-4000-8000-0000000000a8"
HUGE_EXPONENT = "0000fa17-0000-4000-8000-0000000000c1"
HUGE_BALANCE = "0000fa17-0000-4000-8000-0000000000c2"
HUGE_FILE_SIZE = "0000fa17-0000-4000-8000-0000000000c3"
HUGE_NUMBER_DIGITS = "0000fa17-0000-4000-8000-0000000000c4"
DEEP_METADATA = "0000fa17-0000-4000-8000-0000000000c5"
WIDE_METADATA = "0000fa17-0000-4000-8000-0000000000c6"
HOSTILE_REQUEST_ID = "0000fa17-0000-4000-8000-0000000000c7"
HOSTILE_REQUEST_ID_OK = "0000fa17-0000-4000-8000-0000000000c8"

ALL: dict[str, str] = {
    "NOT_FOUND": NOT_FOUND,
    "FORBIDDEN": FORBIDDEN,
    "UNAUTHORIZED": UNAUTHORIZED,
    "CONFLICT": CONFLICT,
    "UNPROCESSABLE": UNPROCESSABLE,
    "BAD_REQUEST": BAD_REQUEST,
    "RATE_LIMITED": RATE_LIMITED,
    "RATE_LIMITED_ONCE": RATE_LIMITED_ONCE,
    "SERVER_ERROR": SERVER_ERROR,
    "BAD_GATEWAY": BAD_GATEWAY,
    "UNAVAILABLE": UNAVAILABLE,
    "UNAVAILABLE_ONCE": UNAVAILABLE_ONCE,
    "HANG": HANG,
    "NON_JSON": NON_JSON,
    "OVERSIZED": OVERSIZED,
    "HOSTILE": HOSTILE,
    "OVERSIZED_CHUNKED": OVERSIZED_CHUNKED,
    "WRONG_SHAPE": WRONG_SHAPE,
    "ALL_NULLS": ALL_NULLS,
    "MINIMAL": MINIMAL,
    "HUGE_EXPONENT": HUGE_EXPONENT,
    "HUGE_BALANCE": HUGE_BALANCE,
    "HUGE_FILE_SIZE": HUGE_FILE_SIZE,
    "HUGE_NUMBER_DIGITS": HUGE_NUMBER_DIGITS,
    "DEEP_METADATA": DEEP_METADATA,
    "WIDE_METADATA": WIDE_METADATA,
    "HOSTILE_REQUEST_ID": HOSTILE_REQUEST_ID,
    "HOSTILE_REQUEST_ID_OK": HOSTILE_REQUEST_ID_OK,
}

BY_ID: dict[str, str] = {customer_id: name for name, customer_id in ALL.items()}

# Plain error answers: status, error_code, message, extra headers, detail.
ERRORS: dict[str, tuple[int, str, str, dict[str, str], dict[str, object]]] = {
    NOT_FOUND: (404, "not_found", "Customer not found.", {}, {}),
    FORBIDDEN: (
        403,
        "permission_denied",
        "You do not have permission to perform this action.",
        {},
        {},
    ),
    UNAUTHORIZED: (
        401,
        "authentication_failed",
        "Given token not valid for any token type.",
        {"WWW-Authenticate": 'Bearer realm="api"'},
        {},
    ),
    CONFLICT: (
        409,
        "conflict",
        "Customer is being merged; try again once the merge has finished.",
        {},
        {"state": "merging"},
    ),
    UNPROCESSABLE: (
        422,
        "business_rule_violation",
        "Customer record failed business validation.",
        {},
        {"field_errors": {"credit_limit_cents": ["Must not be below the outstanding balance."]}},
    ),
    BAD_REQUEST: (
        400,
        "validation_error",
        "Invalid input.",
        {},
        {"field_errors": {"customer_id": ["This customer id is not valid for this business."]}},
    ),
    RATE_LIMITED: (
        429,
        "rate_limited",
        "Request was throttled. Expected available in 30 seconds.",
        {"Retry-After": "30"},
        {"retry_after": 30},
    ),
    SERVER_ERROR: (500, "internal_server_error", "A server error occurred.", {}, {}),
    BAD_GATEWAY: (502, "bad_gateway", "Upstream service returned an invalid response.", {}, {}),
    UNAVAILABLE: (
        503,
        "service_unavailable",
        "Service temporarily unavailable.",
        {},
        {},
    ),
}

# Alternating faults: odd-numbered calls fail with this answer, even calls succeed.
ALTERNATING: dict[str, tuple[int, str, str, dict[str, str], dict[str, object]]] = {
    RATE_LIMITED_ONCE: (
        429,
        "rate_limited",
        "Request was throttled. Expected available in 1 second.",
        {"Retry-After": "1"},
        {"retry_after": 1},
    ),
    UNAVAILABLE_ONCE: (503, "service_unavailable", "Service temporarily unavailable.", {}, {}),
}

# What --fault-rate draws from for ordinary customers ("non_json" is a 200 HTML page).
RANDOM_FAULTS: tuple[str, ...] = (SERVER_ERROR, BAD_GATEWAY, UNAVAILABLE, RATE_LIMITED, NON_JSON)

GATEWAY_PAGE = (
    b"<!DOCTYPE html>\n<html><head><title>502 Bad Gateway</title></head>\n"
    b"<body><h1>Bad Gateway</h1><p>The gateway page of an upstream proxy: the API did not answer."
    b"</p><hr><address>sandbox-edge</address></body></html>\n"
)

XSS_SCRIPT = "<script>window.__pwned=1</script>"
XSS_IMG = '"><img src=x onerror="window.__pwned=1">'
TEMPLATE_INJECTION = "{{ 7*7 }}"
PAYLOADS: tuple[str, ...] = (XSS_SCRIPT, XSS_IMG, TEMPLATE_INJECTION)

# The hostile numbers (HUGE_EXPONENT, HUGE_BALANCE, HUGE_FILE_SIZE, the hostile list rows).
HUGE_EXPONENT_STRINGS: tuple[str, str] = ("1e999999999", "9E+99999999999")
HUGE_INTEGER = 10**30
HUGE_FILE_SIZES: tuple[object, object] = ("1e400", 10**40)
HUGE_NUMBER_DIGITS_COUNT = 100_000
DEEP_METADATA_LEVELS = 5_000
WIDE_METADATA_KEYS = 20_000
WIDE_TRANSACTION_TAGS = 10_000


def _forged_request_id(unit: str, size: int = 10_240) -> str:
    return (unit * (size // len(unit) + 1))[:size]


# HOSTILE_REQUEST_ID(_OK): a ~10 KB request id built to forge or garble a log line. The body copy
# has the newline (a fake log record on its own line); the header copy cannot carry CR/LF, so it
# uses what a header can: ANSI escapes (colour, cursor up + erase line, OSC window title), BEL,
# backspaces, NUL, DEL and the C1 CSI byte.
FORGED_REQUEST_ID_BODY = _forged_request_id(
    "abc\n2026-01-01 INFO forged line\x1b[31m\r\n2026-01-01 ERROR forged too\x1b[0m\x00\u2028"
    "\u202e\x1b]0;pwned\x07"
)
FORGED_REQUEST_ID_HEADER = _forged_request_id(
    "abc\x1b[1A\x1b[2K2026-01-01 INFO forged line\x1b[31m\x07\x08\x08\x00\x7f\x9b2J"
    "\x1b]0;pwned\x07\x1b[0m "
)

# List-route faults, picked by the exact ``search`` value.
LIST_HUGE_PAGES = "__fault_huge_pages"
LIST_HOSTILE_ROWS = "__fault_hostile_rows"
LIST_FAULTS: dict[str, str] = {"HUGE_PAGES": LIST_HUGE_PAGES, "HOSTILE_ROWS": LIST_HOSTILE_ROWS}
HUGE_PAGES_TOTAL_PAGES = 10**29
HUGE_PAGES_TOTAL_COUNT = 10**31
HOSTILE_ROWS = 20
HOSTILE_ROW_METADATA_BYTES = 100_000
