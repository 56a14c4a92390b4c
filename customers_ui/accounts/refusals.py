"""Why a single sign-on attempt was refused: one exception with the words a person sees, the
status code, and a short reason for the audit trail (which never holds tokens or codes)."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser


class SSORefused(Exception):
    """Nobody is signed in; the page says `message`, the audit trail says `reason`."""

    def __init__(
        self,
        reason: str,
        message: str,
        *,
        status: int = 403,
        username: str = "",
        user: AbstractBaseUser | None = None,
    ) -> None:
        super().__init__(reason)
        self.reason = reason
        self.message = message
        self.status = status
        self.username = username
        self.user = user


START_AGAIN = "Go back to the sign-in page and start again."


def out_of_date(reason: str) -> SSORefused:
    """The browser came back with a sign-in this session did not start, or one already used."""
    return SSORefused(
        reason,
        "This sign-in link is out of date or was already used, so you were not signed in. "
        + START_AGAIN,
        status=400,
    )


def unverifiable(reason: str, provider: str) -> SSORefused:
    """The provider's answer failed a check (signature, issuer, audience, expiry, nonce)."""
    return SSORefused(
        reason,
        f"We could not verify the answer from {provider}, so you were not signed in. "
        + START_AGAIN
        + " If it keeps happening, tell your administrator.",
        status=403,
    )


def unreachable(reason: str, provider: str) -> SSORefused:
    return SSORefused(
        reason,
        f"{provider} did not answer, so you were not signed in. Try again in a minute.",
        status=502,
    )
