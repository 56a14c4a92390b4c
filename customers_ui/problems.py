"""What went wrong with a lookup, in words a support person can act on.

One table maps every failure the client can raise to the page status (a contract: README "Status
codes"), a plain-words title, what to try next, and Thredfi's request id for escalation.
"""

from __future__ import annotations

from dataclasses import dataclass

from customers_ui.crypto import SecretDecryptionError
from customers_ui.thredfi import errors as thredfi_errors


@dataclass(frozen=True, slots=True)
class Problem:
    status: int
    outcome: str  # short code stored in the audit trail
    title: str
    explanation: str
    advice: str
    request_id: str | None = None
    retry_after: float | None = None
    fix_credentials: bool = False

    @property
    def worth_retrying(self) -> bool:
        return self.status in RETRYABLE_STATUSES


_NOT_FOUND = {
    "customer": (
        "Thredfi has no customer with this ID in the selected business.",
        "Check the ID and the business, or search by name, email or reference.",
    ),
    "business": (
        "Thredfi has no business with this ID for your partner account.",
        "Pick the business from the list on the lookup page.",
    ),
    "document": (
        "This document is no longer attached to the customer.",
        "Open the customer again to see the documents they have now.",
    ),
    "page": (
        "There is no such page of results (there are fewer results than that).",
        "Go back to the first page of results.",
    ),
}
RETRYABLE_STATUSES = frozenset({429, 502, 503, 504})


def problem_from_error(error: Exception, *, subject: str = "customer") -> Problem:
    """Translate a client error (or an unreadable stored key) into the page to show."""
    request_id = getattr(error, "request_id", None)
    if isinstance(error, SecretDecryptionError):
        return Problem(
            403,
            "credential_unreadable",
            "Your stored API key can't be read",
            "The dashboard's encryption keys changed and this credential can no longer be "
            "decrypted.",
            "Replace the API key on the Credentials page, or ask an administrator.",
            fix_credentials=True,
        )
    if isinstance(error, thredfi_errors.NotFound):
        explanation, advice = _NOT_FOUND[subject]
        return Problem(404, "not_found", f"No such {subject}", explanation, advice, request_id)
    if isinstance(error, thredfi_errors.AuthenticationFailed):
        return Problem(
            403,
            "auth_failed",
            "Thredfi refused your credentials",
            "The partner UUID and API key you stored were not accepted.",
            "Test or replace the key on the Credentials page.",
            request_id,
            fix_credentials=True,
        )
    if isinstance(error, thredfi_errors.PermissionDenied):
        return Problem(
            403,
            "forbidden",
            "Thredfi refused access",
            f"Your partner account is not allowed to see this {subject}.",
            "Check that you picked the right business and credential.",
            request_id,
        )
    if isinstance(error, thredfi_errors.RateLimited):
        wait = getattr(error, "retry_after", None)
        when = f"in {int(wait)} seconds" if wait else "in a minute"
        return Problem(
            429,
            "rate_limited",
            "Thredfi is limiting requests",
            "Too many lookups were made with this partner account in a short time.",
            f"Try again {when}.",
            request_id,
            retry_after=wait,
        )
    if isinstance(error, thredfi_errors.UpstreamTimeout):
        return Problem(
            504,
            "timeout",
            "Thredfi took too long to answer",
            "The lookup was stopped so the page would not hang.",
            "Try again in a moment; if it keeps happening, check Thredfi's status.",
            request_id,
        )
    if isinstance(error, thredfi_errors.UpstreamUnreachable):
        return Problem(
            502,
            "unreachable",
            "Thredfi could not be reached",
            "The connection to the Thredfi API failed.",
            "Try again in a moment; if it keeps happening, tell the platform team.",
            request_id,
        )
    if isinstance(error, thredfi_errors.BadResponse):
        return Problem(
            502,
            "bad_response",
            "Thredfi sent an answer we couldn't read",
            "The response was not the data we expected (or was far too large).",
            "Try again; if it persists, send the request ID below to Thredfi support.",
            request_id,
        )
    if isinstance(error, thredfi_errors.ValidationFailed):
        return Problem(
            502,
            "rejected",
            "Thredfi rejected the lookup",
            "Thredfi said the request was not valid for this record.",
            "Send the request ID below to Thredfi support.",
            request_id,
        )
    status = getattr(error, "status", None)
    if status == 503:
        return Problem(
            503,
            "unavailable",
            "Thredfi is temporarily unavailable",
            "Thredfi said it cannot serve requests right now.",
            "Try again in a minute.",
            request_id,
        )
    return Problem(
        502,
        "upstream_error",
        "Thredfi had a problem",
        f"Thredfi answered with an error{f' (HTTP {status})' if status else ''}.",
        "Try again; if it persists, send the request ID below to Thredfi support.",
        request_id,
    )
