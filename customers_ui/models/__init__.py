"""Stored state, one module per concern; import models from here."""

from customers_ui.models.accounts import (
    PasswordSignInGrant,
    SignInEvent,
    SignInNotice,
    SSOIdentity,
)
from customers_ui.models.audit import AuditPurge, LookupEvent
from customers_ui.models.credentials import API_KEY_HINT_LENGTH, PartnerCredential
from customers_ui.models.directory import BusinessDirectory, DirectoryBusiness
from customers_ui.models.preferences import UserPreferences
from customers_ui.models.second_factors import AuthenticatorApp, RecoveryCode, RecoveryCodeSet
from customers_ui.models.teams import Team, TeamChange, TeamCredential

__all__ = [
    "API_KEY_HINT_LENGTH",
    "AuditPurge",
    "AuthenticatorApp",
    "BusinessDirectory",
    "DirectoryBusiness",
    "LookupEvent",
    "PartnerCredential",
    "PasswordSignInGrant",
    "RecoveryCode",
    "RecoveryCodeSet",
    "SSOIdentity",
    "SignInEvent",
    "SignInNotice",
    "Team",
    "TeamChange",
    "TeamCredential",
    "UserPreferences",
]
