"""Builders for test data that several test packages share."""

from __future__ import annotations

from customers_ui.models import PartnerCredential


def make_credential(user, *, label: str = "Sandbox", api_key: str | None = None, default=True):
    """A stored credential for the sandbox's demo partner (or a wrong key, to see refusals)."""
    from sandbox.demo import DEMO_API_KEY, DEMO_PARTNER_UUID

    credential = PartnerCredential(
        owner=user, label=label, partner_uuid=DEMO_PARTNER_UUID, is_default=default
    )
    credential.set_api_key(api_key or DEMO_API_KEY)
    credential.save()
    return credential
