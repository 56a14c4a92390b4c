"""Use cases of teams: create a team, change its members, store / re-key / delete its credentials.

Team credentials are `PartnerCredential` rows held by a team. Their keys are write-only for
everyone, admins included: nothing here returns, logs or records any part of a key (not even the
last characters personal keys show their owners). Every change of members or credentials leaves
a `TeamChange` (who, when, what). Replacing or deleting a key drops its cached tokens at once.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import timedelta

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from customers_ui.core.crypto import SecretDecryptionError
from customers_ui.credentials.forms import ApiKeyField
from customers_ui.credentials.services import (
    StoreOutcome,
    VerificationResult,
    credential_verify,
)
from customers_ui.models import LookupEvent, PartnerCredential, Team, TeamChange
from customers_ui.thredfi import NotFound, PermissionDenied, ThredfiClient, ThredfiError
from customers_ui.upstream.clients import credential_tokens_forget, thredfi_client

logger = logging.getLogger(__name__)

DUPLICATE_TEAM_LABEL_MESSAGE = "This team already has a credential with this label."


@dataclass(frozen=True)
class Actor:
    """Who makes a change: a signed-in admin, or a process (a management command)."""

    name: str
    user: AbstractBaseUser | None = None

    @classmethod
    def of(cls, user: AbstractBaseUser) -> Actor:
        return cls(name=user.get_username(), user=user)


@dataclass(frozen=True)
class TeamCredentialStored:
    credential: PartnerCredential
    outcome: StoreOutcome
    team_created: bool = False
    warnings: tuple[str, ...] = field(default_factory=tuple)


def _record(team: Team, actor: Actor, action: str, detail: str = "") -> TeamChange:
    return TeamChange.objects.create(
        team=team,
        team_name=team.name,
        actor=actor.user,
        actor_name=actor.name[:150],
        action=action,
        detail=detail[:500],
    )


def _scope_text(scope: Sequence[str] | None) -> str:
    return "all businesses" if scope is None else f"businesses {', '.join(scope) or '(none)'}"


def scope_parse(text: str) -> list[str] | None:
    """`all` (or empty) → None (every business); else comma-separated business UUIDs."""
    text = text.strip()
    if not text or text.casefold() == "all":
        return None
    scope: list[str] = []
    for part in text.split(","):
        part = part.strip()
        if not part:
            continue
        try:
            value = str(uuid.UUID(part))
        except ValueError as exc:
            raise ValidationError(
                f"{part!r} is not a business UUID (use UUIDs separated by commas, or “all”)."
            ) from exc
        if value not in scope:
            scope.append(value)
    if not scope:
        raise ValidationError("Name at least one business, or “all”.")
    return scope


def api_key_check(api_key: str) -> str:
    """The key as it will be stored, after exactly the checks a personal key gets where it is
    typed (`ApiKeyField`: length, no inner whitespace, sendable to Thredfi), or ValidationError
    (whose messages never repeat the key)."""
    return ApiKeyField().clean(api_key or "")


def scope_check_upstream(
    *, partner_uuid: uuid.UUID, api_key: str, scope: Sequence[str] | None
) -> list[str]:
    """Ask Thredfi whether the partner has each business of the scope.

    A business Thredfi says it does not have (404/403) → ValidationError: nothing is stored.
    Thredfi not answering (or refusing the key) → warnings: the scope is stored unchecked.
    All businesses (no list to check): the key alone is asked about, with one page of one.
    """
    probe = PartnerCredential(label="scope check", partner_uuid=partner_uuid)
    probe.set_api_key(api_key)
    what = "scope" if scope else "key"
    try:
        client = thredfi_client(probe)
        if scope:
            missing = _businesses_missing(client, scope)
        else:
            client.list_businesses_page(1, 1)
            missing = []
    except ThredfiError as error:
        return [
            f"Could not check the {what} with Thredfi ({type(error).__name__}); stored "
            "unchecked. Test the credential once Thredfi answers."
        ]
    finally:
        credential_tokens_forget(probe)  # nothing will ever read the throw-away's token
    if missing:
        raise ValidationError(
            f"Partner {partner_uuid} has no business {', '.join(missing)} (Thredfi says so). "
            "Nothing was stored."
        )
    return []


def _businesses_missing(client: ThredfiClient, scope: Sequence[str]) -> list[str]:
    """The businesses of `scope` Thredfi says the partner does not have."""
    missing: list[str] = []
    for business_id in scope:
        try:
            client.get_business(business_id)
        except (NotFound, PermissionDenied):
            missing.append(business_id)
    return missing


@transaction.atomic
def team_get_or_create(*, name: str, actor: Actor) -> tuple[Team, bool]:
    name = name.strip()
    if not name:
        raise ValidationError("The team needs a name.")
    team = Team.objects.filter(name__iexact=name).first()
    if team is not None:
        return team, False
    team = Team.objects.create(name=name)
    team_created_record(team=team, actor=actor)
    return team, True


@transaction.atomic
def team_members_change(
    *,
    team: Team,
    add: Iterable[AbstractBaseUser] = (),
    remove: Iterable[AbstractBaseUser] = (),
    actor: Actor,
) -> tuple[list[str], list[str]]:
    """Add and remove members; returns the usernames actually added and removed.

    A removed member's next request no longer finds the team's credentials (they are looked up
    through the membership on every request).
    """
    Team.objects.select_for_update().filter(pk=team.pk).first()
    current = set(team.members.values_list("pk", flat=True))
    added: list[str] = []
    removed: list[str] = []
    for user in add:
        if user.pk not in current:
            team.members.add(user)
            current.add(user.pk)
            added.append(user.get_username())
            _record(team, actor, TeamChange.Action.MEMBER_ADDED, user.get_username())
    for user in remove:
        if user.pk in current:
            team.members.remove(user)
            current.discard(user.pk)
            removed.append(user.get_username())
            _record(team, actor, TeamChange.Action.MEMBER_REMOVED, user.get_username())
    return added, removed


def team_created_record(*, team: Team, actor: Actor) -> None:
    """Record a team created elsewhere (the admin's add page)."""
    _record(team, actor, TeamChange.Action.TEAM_CREATED, f"team “{team.name}” created")


def team_members_record(
    *,
    team: Team,
    added: Iterable[AbstractBaseUser],
    removed: Iterable[AbstractBaseUser],
    actor: Actor,
) -> None:
    """Record membership changes made elsewhere (the admin's member picker)."""
    for user in added:
        _record(team, actor, TeamChange.Action.MEMBER_ADDED, user.get_username())
    for user in removed:
        _record(team, actor, TeamChange.Action.MEMBER_REMOVED, user.get_username())


def team_credential_store(
    *,
    team_name: str,
    label: str,
    partner_uuid: uuid.UUID | str,
    api_key: str,
    scope: Sequence[str] | None,
    actor: Actor,
    check_upstream: bool = True,
) -> TeamCredentialStored:
    """Create the team (if needed) and its credential with this label, or give the existing one
    this key and scope. The provisioning path of `manage.py store_team_credentials`.

    The key and scope are checked first (the scope with Thredfi, outside any transaction);
    then everything is written in one transaction, so a refusal leaves nothing half-saved.
    """
    partner_uuid = uuid.UUID(str(partner_uuid))
    label = label.strip()
    if not label:
        raise ValidationError("The credential needs a label.")
    api_key = api_key_check(api_key)
    scope = list(scope) if scope is not None else None
    warnings = (
        scope_check_upstream(partner_uuid=partner_uuid, api_key=api_key, scope=scope)
        if check_upstream
        else []
    )
    with transaction.atomic():
        team, created = team_get_or_create(name=team_name, actor=actor)
        existing = (
            PartnerCredential.objects.select_for_update()
            .filter(team=team, label__iexact=label)
            .first()
        )
        if existing is None:
            credential = team_credential_create(
                team=team,
                label=label,
                partner_uuid=partner_uuid,
                api_key=api_key,
                scope=scope,
                actor=actor,
            )
            return TeamCredentialStored(credential, StoreOutcome.CREATED, created, tuple(warnings))
        if existing.partner_uuid != partner_uuid:
            raise ValidationError(
                f"The team credential “{existing.label}” belongs to partner "
                f"{existing.partner_uuid}, not {partner_uuid}. Use another label, or delete it "
                "first."
            )
        outcome = StoreOutcome.UNCHANGED
        if existing.business_scope != scope:
            team_credential_scope_change(credential=existing, scope=scope, actor=actor)
            outcome = StoreOutcome.REPLACED
        try:
            same_key = existing.get_api_key() == api_key
        except SecretDecryptionError:
            same_key = False
        if not same_key:
            team_credential_replace_key(credential=existing, api_key=api_key, actor=actor)
            outcome = StoreOutcome.REPLACED
        return TeamCredentialStored(existing, outcome, created, tuple(warnings))


@transaction.atomic
def team_credential_create(
    *,
    team: Team,
    label: str,
    partner_uuid: uuid.UUID | str,
    api_key: str,
    scope: Sequence[str] | None,
    actor: Actor,
) -> PartnerCredential:
    """A new credential for the team (the scope checked by the caller)."""
    label = label.strip()
    if PartnerCredential.objects.filter(team=team, label__iexact=label).exists():
        raise ValidationError({"label": DUPLICATE_TEAM_LABEL_MESSAGE})
    credential = PartnerCredential(
        team=team,
        label=label,
        partner_uuid=uuid.UUID(str(partner_uuid)),
        business_scope=list(scope) if scope is not None else None,
    )
    credential.set_api_key(api_key_check(api_key))
    credential.save()
    _record(
        team,
        actor,
        TeamChange.Action.CREDENTIAL_CREATED,
        f"“{label}” for partner {credential.partner_uuid}, {_scope_text(scope)}",
    )
    logger.info("team credential %s created for team %s", credential.pk, team.pk)
    return credential


@transaction.atomic
def team_credential_rename(
    *, credential: PartnerCredential, label: str, actor: Actor
) -> PartnerCredential:
    label = label.strip()
    taken = (
        PartnerCredential.objects.filter(team_id=credential.team_id, label__iexact=label)
        .exclude(pk=credential.pk)
        .exists()
    )
    if taken:
        raise ValidationError({"label": DUPLICATE_TEAM_LABEL_MESSAGE})
    before = PartnerCredential.objects.get(pk=credential.pk).label
    credential.label = label
    credential.save(update_fields=["label", "updated_at"])
    _record(credential.team, actor, TeamChange.Action.RENAMED, f"“{before}” → “{label}”")
    return credential


@transaction.atomic
def team_credential_scope_change(
    *, credential: PartnerCredential, scope: Sequence[str] | None, actor: Actor
) -> PartnerCredential:
    before = credential.business_scope
    credential.business_scope = list(scope) if scope is not None else None
    credential.save(update_fields=["business_scope", "updated_at"])
    _record(
        credential.team,
        actor,
        TeamChange.Action.SCOPE_CHANGED,
        f"“{credential.label}”: {_scope_text(before)} → {_scope_text(credential.business_scope)}",
    )
    return credential


# How far back the audit trail is read for businesses whose tokens a credential may still have
# cached: well past a token's documented lifetime (an hour).
TOKEN_TRAIL_HOURS = 24


def _forget_tokens(credential: PartnerCredential) -> None:
    """Drop the credential's cached tokens: the partner token, and the business tokens of its
    scope and of every business the audit trail shows a team credential of its partner served
    lately. The scope alone misses some: "all businesses" names none, and a scope narrowed since
    a lookup names fewer (the cache cannot be listed; the audit trail can)."""
    since = timezone.now() - timedelta(hours=TOKEN_TRAIL_HOURS)
    served = (
        LookupEvent.objects.filter(
            created_at__gte=since,
            partner_uuid=credential.partner_uuid,
            credential_kind=LookupEvent.CREDENTIAL_TEAM,
            business_id__isnull=False,
        )
        .values_list("business_id", flat=True)
        .distinct()
    )
    credential_tokens_forget(credential, business_ids={*(credential.scope_ids or ()), *served})


@transaction.atomic
def team_credential_replace_key(
    *, credential: PartnerCredential, api_key: str, actor: Actor
) -> PartnerCredential:
    """A new key; tokens of the old one are dropped now and can never be read again."""
    api_key = api_key_check(api_key)
    fresh = PartnerCredential.objects.select_for_update().get(pk=credential.pk)
    _forget_tokens(fresh)
    fresh.set_api_key(api_key)
    fresh.last_verified_at = None
    fields = [
        "api_key_encrypted",
        "api_key_hint",
        "secret_version",
        "key_changed_at",
        "last_verified_at",
        "updated_at",
    ]
    fresh.save(update_fields=fields)
    for name in fields:
        setattr(credential, name, getattr(fresh, name))
    _record(credential.team, actor, TeamChange.Action.KEY_REPLACED, f"“{credential.label}”")
    logger.info("team credential %s key replaced", credential.pk)
    return credential


@transaction.atomic
def team_credential_delete(*, credential: PartnerCredential, actor: Actor) -> None:
    _forget_tokens(credential)
    team, label, credential_id = credential.team, credential.label, credential.pk
    credential.delete()
    _record(team, actor, TeamChange.Action.CREDENTIAL_DELETED, f"“{label}”")
    logger.info("team credential %s deleted", credential_id)


@transaction.atomic
def team_delete(*, team: Team, actor: Actor) -> None:
    """Delete a team with its credentials (their cached tokens dropped now); the record of its
    changes stays, naming it."""
    for credential in PartnerCredential.objects.filter(team=team).select_related("team"):
        team_credential_delete(credential=credential, actor=actor)
    _record(team, actor, TeamChange.Action.TEAM_DELETED, f"team “{team.name}” deleted")
    team.delete()


def team_credential_verify(*, credential: PartnerCredential) -> VerificationResult:
    """Ask Thredfi whether the stored key works (the admin's "test" action)."""
    return credential_verify(credential=credential)
