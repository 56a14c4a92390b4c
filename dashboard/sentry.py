"""Optional error reporting to Sentry, with every event scrubbed before it leaves the process.

The dashboard handles partner API keys, bearer tokens, session cookies and customer search terms;
an error report is a copy of a request sent to a third party, so none of those may be in it.
The SDK's own defaults (no PII, its exact-name denylist) are kept and this adds, in `before_send`:
any key whose name *contains* a secret-ish word is filtered, wherever it sits (request data,
headers, cookies, extra, contexts, breadcrumbs); query strings are dropped from every URL (search
terms and tokens travel there); and secret-looking `name=value` / `Bearer …` fragments are
filtered inside free text such as exception messages and log lines.
"""

from __future__ import annotations

import re
from typing import Any

import sentry_sdk
from sentry_sdk.integrations.django import DjangoIntegration
from sentry_sdk.transport import Transport

FILTERED = "[Filtered]"

# Lower-case fragments of key names whose values are never sent ("auth" covers Authorization and
# Proxy-Authorization, "session" sessionid, "csrf" the cookie, the header and the form field).
SENSITIVE_KEY_PARTS = (
    "auth",
    "cookie",
    "token",
    "password",
    "passwd",
    "secret",
    "session",
    "csrf",
    "api_key",
    "apikey",
    "api-key",
    "credential",
    "signature",
    "private_key",
    "dsn",
    "recovery",
)
# Second-factor fields (issue 20, L5): "code" only as the whole name (the TOTP field of the
# verify, enrolment and Security pages; "status_code" and the like stay readable), anything
# naming a recovery code, and anything starting with "otp" (django-otp's otp_token, otp_device).
SENSITIVE_EXACT_KEYS = frozenset({"code"})
SENSITIVE_KEY_PREFIXES = ("otp",)
# Keys whose whole value is a query string (request.query_string, breadcrumb "http.query").
QUERY_KEYS = frozenset({"query_string", "http.query", "http.fragment"})
# Parts of the event that carry request or application data, scrubbed throughout. Exceptions
# and threads are scrubbed separately: their messages and variables are data, their frames' file
# names and source lines are the code's own and stay readable.
SCRUBBED_SECTIONS = (
    "request",
    "extra",
    "contexts",
    "tags",
    "user",
    "breadcrumbs",
    "message",
    "spans",
)

# Names that introduce a secret in text (names only: S105 mistakes them for a password).
_SECRET_WORDS = (
    r"api[_-]?key|apikey|token|password|passwd|secret|session[_-]?id|csrf"  # noqa: S105
    r"|recovery[_-]?code|otp_\w+"
)
# name=value, name: value, "name": "value" (query strings, form bodies, JSON, log lines), the name
# possibly longer (partner_api_key, csrfmiddlewaretoken, X-CSRFToken).
_ASSIGNMENT = re.compile(
    rf"""(?ix)
    (?P<name>[\w.-]*(?:{_SECRET_WORDS})[\w.-]*["']?\s*[:=]\s*["']?)
    (?P<value>[^\s"'&,;)}}\]]+)
    """
)
# Authorization header values written out in text.
_SCHEME = re.compile(r"(?i)\b(?P<scheme>bearer|basic)\s+(?P<value>[A-Za-z0-9._~+/=-]{6,})")
# The query (and fragment) of any URL in text: search terms and tokens travel there.
_URL_QUERY = re.compile(r"(?i)(?P<url>\b[a-z][a-z0-9+.-]*://[^\s?#\"'<>]*)[?#][^\s\"'<>]*")
# Session cache keys (cached_db sessions) name the session id, e.g. in Redis breadcrumbs.
_SESSION_CACHE_KEY = re.compile(r"(?P<prefix>django\.contrib\.sessions\.cache(?:d_db)?)\w+")


def is_sensitive_key(key: object) -> bool:
    """True for a key whose value must never be sent (case- and separator-insensitive)."""
    name = str(key).lower()
    return (
        name in SENSITIVE_EXACT_KEYS
        or name.startswith(SENSITIVE_KEY_PREFIXES)
        or any(part in name for part in SENSITIVE_KEY_PARTS)
    )


def scrub_text(text: str) -> str:
    """Filter secret-looking fragments and URL query strings out of free text."""
    text = _URL_QUERY.sub(lambda m: f"{m.group('url')}?{FILTERED}", text)
    text = _SESSION_CACHE_KEY.sub(lambda m: f"{m.group('prefix')}{FILTERED}", text)
    # Schemes first: "Authorization: Bearer x" must lose x, not just the word "Bearer".
    text = _SCHEME.sub(lambda m: f"{m.group('scheme')} {FILTERED}", text)
    return _ASSIGNMENT.sub(lambda m: f"{m.group('name')}{FILTERED}", text)


def scrub_value(value: Any) -> Any:
    """Scrub a value of any shape the SDK produces: mappings, lists, strings."""
    if isinstance(value, dict):
        return {key: _scrub_item(key, item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        # Header lists arrive as [name, value] pairs in some integrations.
        if len(value) == 2 and isinstance(value[0], str) and is_sensitive_key(value[0]):
            return [value[0], FILTERED]
        return [scrub_value(item) for item in value]
    if isinstance(value, str):
        return scrub_text(value)
    return value


def _scrub_item(key: Any, value: Any) -> Any:
    if value is None or value == "":
        return value
    if is_sensitive_key(key) or key in QUERY_KEYS:
        return FILTERED
    return scrub_value(value)


def scrub_event(event: dict[str, Any], hint: dict[str, Any] | None = None) -> dict[str, Any]:
    """`before_send` / `before_send_transaction`: the scrubbed event (never drops one)."""
    del hint  # the event alone decides what is sent
    for section in SCRUBBED_SECTIONS:
        if section in event:
            event[section] = scrub_value(event[section])
    _scrub_log_entry(event.get("logentry"))
    for section in ("exception", "threads"):
        for value in (event.get(section) or {}).get("values") or []:
            _scrub_exception(value)
    request = event.get("request")
    if isinstance(request, dict):
        # Cookies are all session or CSRF material here; a query string may hold search terms.
        request.pop("cookies", None)
        if request.get("query_string"):
            request["query_string"] = FILTERED
        if isinstance(request.get("url"), str):
            request["url"] = request["url"].split("?", 1)[0].split("#", 1)[0]
    return event


def _scrub_log_entry(entry: Any) -> None:
    """A logged error: keep the scrubbed text, drop the raw arguments it was formatted from."""
    if not isinstance(entry, dict):
        return
    entry.pop("params", None)
    for key in ("message", "formatted"):
        if isinstance(entry.get(key), str):
            entry[key] = scrub_text(entry[key])


def _scrub_exception(value: Any) -> None:
    """An exception's message and any frame variables; never the frames' code."""
    if not isinstance(value, dict):
        return
    if isinstance(value.get("value"), str):
        value["value"] = scrub_text(value["value"])
    for frame in (value.get("stacktrace") or {}).get("frames") or []:
        if isinstance(frame, dict) and "vars" in frame:
            frame["vars"] = scrub_value(frame["vars"])


def init_sentry(
    *,
    dsn: str,
    environment: str,
    traces_sample_rate: float,
    transport: type[Transport] | Transport | None = None,
) -> None:
    """Start the SDK for this process (settings call it when SENTRY_DSN is set).

    Local variables are never attached (a frame's locals can hold a decrypted API key) and no
    default PII (user, IP, cookies) is collected; `transport` lets a test capture the envelopes.
    """
    options: dict[str, Any] = {
        "dsn": dsn,
        "environment": environment,
        "traces_sample_rate": traces_sample_rate,
        "integrations": [DjangoIntegration(transaction_style="url", cache_spans=False)],
        "include_local_variables": False,
        "send_default_pii": False,
        "before_send": scrub_event,
        "before_send_transaction": scrub_event,
    }
    if transport is not None:
        options["transport"] = transport
    sentry_sdk.init(**options)
