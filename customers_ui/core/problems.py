"""What went wrong, in words a support person can act on: one table, one lookup.

Every failure a page can meet is a class (the Thredfi client's typed errors and the dashboard's
own cases below). `PROBLEMS` maps each class to the page status (a contract:
docs/configuration.md "Status
codes"), the outcome stored in the audit trail, a plain-words title, explanation and advice, and
whether "Try again" or "Check your credentials" is offered. `problem_for` walks the error's class
hierarchy to its row and fills in the request id and placeholders. Nothing else decides these.

Services raise `LookupFailed` (a domain error carrying the cause and what was being looked up);
the view edge turns it into a page (`customers_ui.core.problem_pages`).
"""

from __future__ import annotations

import math
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field

from customers_ui.core.crypto import SecretDecryptionError
from customers_ui.thredfi import errors as thredfi


class BadLookupInput(Exception):
    """The request's own input makes no sense (caught before anything reaches Thredfi)."""


class DocumentNotAttached(Exception):
    """Thredfi answered, but the customer no longer lists the document asked for."""


class UnsafeDocumentLink(Exception):
    """Thredfi's download link is not a plain http(s) URL we are willing to redirect to."""


class OutsideCredentialScope(Exception):
    """The business is not among those the (team) credential may look at: refused before any
    call to Thredfi. The message names the team and the credential."""


class CredentialNotAllowed(Exception):
    """Personal credentials are switched off (PERSONAL_CREDENTIALS_ALLOWED=False)."""


@dataclass(frozen=True, slots=True)
class ProblemAction:
    """A way out the page offers beside its advice: a button that POSTs to `url` (a view of this
    site that honours `next`) and comes back to the page that failed."""

    note: str
    label: str
    url: str


@dataclass(frozen=True, slots=True)
class Problem:
    """One failure, ready for a page, a banner or the audit trail."""

    status: int
    outcome: str  # short code stored in the audit trail
    title: str
    explanation: str
    advice: str
    request_id: str | None = None
    retry_after: float | None = None
    fix_credentials: bool = False
    try_again: bool = False
    actions: tuple[ProblemAction, ...] = ()


@dataclass(frozen=True, slots=True)
class ProblemRow:
    """A row of the table. Texts may use {subject}, {detail}, {http} and {when}; `by_subject`
    replaces a text for one subject ("customer", "business", "document", "page", "partner")."""

    status: int
    outcome: str
    title: str
    explanation: str
    advice: str
    fix_credentials: bool = False
    try_again: bool = False
    by_subject: Mapping[str, Mapping[str, str]] = field(default_factory=dict)


_SEND_REQUEST_ID = "Try again; if it persists, send the request ID below to Thredfi support."
_CHECK_KEY_HERE = (
    "Check the partner UUID, then use “Replace key” with the API key from the Thredfi partner "
    "portal."
)

_NO_SUCH_BUSINESS = {
    "explanation": "Thredfi has no business with this ID for your partner account.",
    "advice": "Pick the business from the list on the lookup page.",
}

PROBLEMS: Mapping[type[BaseException], ProblemRow] = {
    BadLookupInput: ProblemRow(
        400,
        "bad_input",
        "That lookup doesn't make sense",
        "{detail}",
        "Go back and check what you typed.",
    ),
    SecretDecryptionError: ProblemRow(
        403,
        "credential_unreadable",
        "Your stored API key can't be read",
        "The dashboard's encryption keys changed and this credential can no longer be decrypted.",
        "Replace the API key on the Credentials page, or ask an administrator.",
        fix_credentials=True,
        by_subject={"partner": {"advice": _CHECK_KEY_HERE}},
    ),
    OutsideCredentialScope: ProblemRow(
        403,
        "outside_scope",
        "This business is outside your credential's scope",
        "{detail}",
        "Pick one of the businesses this credential serves, or ask an administrator to widen "
        "its scope.",
    ),
    CredentialNotAllowed: ProblemRow(
        403,
        "credential_not_allowed",
        "Personal credentials are switched off",
        "{detail}",
        "Ask an administrator to add you to a team.",
    ),
    thredfi.NotFound: ProblemRow(
        404,
        "not_found",
        "No such {subject}",
        "Thredfi has no {subject} with this ID.",
        "Check the ID and try again.",
        by_subject={
            "customer": {
                "explanation": "Thredfi has no customer with this ID in the selected business.",
                "advice": "Check the ID and the business, or search by name, email or reference.",
            },
            "business": _NO_SUCH_BUSINESS,
            "page": {
                "explanation": "There is no such page of results (there are fewer results than "
                "that).",
                "advice": "Go back to the first page of results.",
            },
        },
    ),
    # Whatever was asked for (a customer, a document, a page of results), the business is what
    # Thredfi does not have.
    thredfi.BusinessNotFound: ProblemRow(404, "not_found", "No such business", **_NO_SUCH_BUSINESS),
    DocumentNotAttached: ProblemRow(
        404,
        "not_found",
        "No such document",
        "This document is no longer attached to the customer.",
        "Open the customer again to see the documents they have now.",
    ),
    thredfi.AuthenticationFailed: ProblemRow(
        403,
        "auth_failed",
        "Thredfi refused your credentials",
        "The partner UUID and API key you stored were not accepted.",
        "Test or replace the key on the Credentials page.",
        fix_credentials=True,
        by_subject={"partner": {"advice": _CHECK_KEY_HERE}},
    ),
    thredfi.CredentialsUnusable: ProblemRow(
        403,
        "credential_unusable",
        "Your stored API key can't be used",
        "It contains characters that cannot be sent to Thredfi, so no lookup can work with it.",
        "Replace the API key on the Credentials page.",
        fix_credentials=True,
        by_subject={"partner": {"advice": _CHECK_KEY_HERE}},
    ),
    thredfi.PermissionDenied: ProblemRow(
        403,
        "forbidden",
        "Thredfi refused access",
        "Your partner account is not allowed to see this {subject}.",
        "Check that you picked the right business and credential.",
        by_subject={
            "partner": {
                "explanation": "Thredfi accepted the key but refused to list this partner's "
                "businesses."
            }
        },
    ),
    thredfi.RateLimited: ProblemRow(
        429,
        "rate_limited",
        "Thredfi is limiting requests",
        "Too many lookups were made with this partner account in a short time.",
        "Try again {when}.",
        try_again=True,
    ),
    thredfi.UpstreamTimeout: ProblemRow(
        504,
        "timeout",
        "Thredfi took too long to answer",
        "The lookup was stopped so the page would not hang.",
        "Try again in a moment; if it keeps happening, check Thredfi's status.",
        try_again=True,
    ),
    thredfi.UpstreamUnreachable: ProblemRow(
        502,
        "unreachable",
        "Thredfi could not be reached",
        "The connection to the Thredfi API failed.",
        "Try again in a moment; if it keeps happening, tell the platform team.",
        try_again=True,
    ),
    thredfi.BadResponse: ProblemRow(
        502,
        "bad_response",
        "Thredfi sent an answer we couldn't read",
        "The response was not the data we expected (or was far too large).",
        _SEND_REQUEST_ID,
    ),
    UnsafeDocumentLink: ProblemRow(
        502,
        "bad_response",
        "Thredfi sent a download link we won't follow",
        "The document's link is not a plain web address, so the dashboard refused it.",
        _SEND_REQUEST_ID,
    ),
    thredfi.ValidationFailed: ProblemRow(
        502,
        "rejected",
        "Thredfi rejected the lookup",
        "Thredfi said the request was not valid for this record.",
        "Send the request ID below to Thredfi support.",
    ),
    thredfi.ServiceUnavailable: ProblemRow(
        503,
        "unavailable",
        "Thredfi is temporarily unavailable",
        "Thredfi said it cannot serve requests right now.",
        "Try again in a minute.",
        try_again=True,
    ),
    thredfi.CircuitOpen: ProblemRow(
        503,
        "thredfi_down",
        "Thredfi is not answering",
        "Several recent lookups got no answer from Thredfi, so the dashboard has stopped asking "
        "for a moment instead of making you wait.",
        "The dashboard will ask Thredfi again {when}; try again then.",
        try_again=True,
    ),
    thredfi.Overloaded: ProblemRow(
        503,
        "busy",
        "The dashboard is busy",
        "Too many lookups are waiting on Thredfi right now, so this one could not start in time.",
        "Try again in a few seconds.",
        try_again=True,
    ),
    thredfi.ThredfiError: ProblemRow(
        502,
        "upstream_error",
        "Thredfi had a problem",
        "Thredfi answered with an error{http}.",
        _SEND_REQUEST_ID,
        try_again=True,
    ),
}


def _row_for(error: BaseException) -> ProblemRow:
    for cls in type(error).__mro__:
        row = PROBLEMS.get(cls)
        if row is not None:
            return row
    raise LookupError(f"no problem row for {type(error).__name__}")


def retry_after_seconds(retry_after: float) -> int:
    """Whole seconds, at least one: what the page says and the Retry-After header sends."""
    return max(1, math.ceil(retry_after))


def _in_seconds(retry_after: float | None) -> str:
    if retry_after is None:
        return "in a minute"
    seconds = retry_after_seconds(retry_after)
    return f"in {seconds} second{'s' if seconds != 1 else ''}"


def problem_for(error: BaseException, *, subject: str = "customer") -> Problem:
    """The page for a failure: the table's row for its class, with this error's details."""
    row = _row_for(error)
    status = getattr(error, "status", None)
    retry_after = getattr(error, "retry_after", None)
    values = {
        "subject": subject,
        "detail": str(error),
        "http": f" (HTTP {status})" if status else "",
        "when": _in_seconds(retry_after),
    }
    overrides = row.by_subject.get(subject, {})

    def text(name: str) -> str:
        return overrides.get(name, getattr(row, name)).format(**values)

    return Problem(
        status=row.status,
        outcome=row.outcome,
        title=text("title"),
        explanation=text("explanation"),
        advice=text("advice"),
        request_id=getattr(error, "request_id", None) or None,
        retry_after=retry_after,
        fix_credentials=row.fix_credentials,
        try_again=row.try_again,
    )


class LookupFailed(Exception):
    """A request the dashboard could not answer: the cause, and what was being looked up."""

    def __init__(
        self,
        cause: BaseException,
        *,
        subject: str = "customer",
        business_id: uuid.UUID | None = None,
    ) -> None:
        self.cause = cause
        self.subject = subject
        # The business the failed lookup was about, when there was one: what the view edge
        # needs to offer another way in (lookup/other_credentials.py).
        self.business_id = business_id
        self.problem = problem_for(cause, subject=subject)
        super().__init__(self.problem.title)
