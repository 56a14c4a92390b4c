"""The credential lifecycle, owned here: store, rename, make default, re-key, delete, test, choose.

Every function works on one owner's credentials only, and none of them logs or returns the API
key: it goes in through `set_api_key` and comes out only inside the Thredfi client, when a
partner token must be minted.
"""

from __future__ import annotations

import enum
import logging
import uuid
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from customers_ui.core.crypto import SecretDecryptionError
from customers_ui.core.problems import Problem, problem_for
from customers_ui.credentials.selectors import ACTIVE_CREDENTIAL_SESSION_KEY, usable_credentials
from customers_ui.models import PartnerCredential
from customers_ui.thredfi import Business, ThredfiError
from customers_ui.upstream.clients import thredfi_client

logger = logging.getLogger(__name__)

DUPLICATE_LABEL_MESSAGE = "You already have a credential with this label. Pick another one."


class StoreOutcome(enum.Enum):
    CREATED = "created"
    REPLACED = "replaced"  # same label and partner, new key
    UNCHANGED = "unchanged"  # same label, partner and key: nothing written


@dataclass(frozen=True, slots=True)
class VerificationResult:
    """What testing a credential found, ready for a page: never carries the key."""

    businesses: tuple[Business, ...] = ()  # the first page of them
    problem: Problem | None = None
    business_count: int | None = None  # how many the credential can see, as Thredfi counts

    @property
    def more_businesses(self) -> bool:
        """Whether the credential sees more businesses than the page lists."""
        return self.business_count is not None and self.business_count > len(self.businesses)

    @property
    def ok(self) -> bool:
        return self.problem is None


def _lock_owner(owner: AbstractBaseUser) -> None:
    """Serialise credential writes per owner, so two tabs can't both create "the first" default.

    The partial unique constraint would catch it anyway; locking turns a crash into a wait.
    """
    get_user_model().objects.select_for_update().filter(pk=owner.pk).first()


def _label_taken(owner: AbstractBaseUser, label: str, *, exclude: int | None = None) -> bool:
    return (
        PartnerCredential.objects.filter(owner=owner, label__iexact=label)
        .exclude(pk=exclude)
        .exists()
    )


def _save(credential: PartnerCredential, **kwargs: Any) -> None:
    """Save; a label taken by a concurrent writer (without our lock) is a form error, not a 500."""
    try:
        with transaction.atomic():
            credential.save(**kwargs)
    except IntegrityError as exc:
        raise ValidationError({"label": DUPLICATE_LABEL_MESSAGE}) from exc


@transaction.atomic
def credential_create(
    *,
    owner: AbstractBaseUser,
    label: str,
    partner_uuid: uuid.UUID | str,
    api_key: str,
    make_default: bool = False,
) -> PartnerCredential:
    """Store a new credential; a user's first one becomes their default so lookups just work.

    Raises ValidationError (on "label") when the owner already uses the label.
    """
    _lock_owner(owner)
    if _label_taken(owner, label):
        raise ValidationError({"label": DUPLICATE_LABEL_MESSAGE})
    has_default = PartnerCredential.objects.filter(owner=owner, is_default=True).exists()
    credential = PartnerCredential(
        owner=owner, label=label, partner_uuid=uuid.UUID(str(partner_uuid))
    )
    credential.set_api_key(api_key)
    _save(credential)
    if make_default or not has_default:
        credential_make_default(credential=credential)
    logger.info("credential %s created for user %s", credential.pk, owner.pk)
    return credential


@transaction.atomic
def credential_store(
    *,
    owner: AbstractBaseUser,
    label: str,
    partner_uuid: uuid.UUID | str,
    api_key: str,
    make_default: bool = False,
) -> tuple[PartnerCredential, StoreOutcome]:
    """Create the owner's credential with this label, or give the existing one this key.

    The provisioning path (commands): running it twice with the same input changes nothing.
    A label already used for another partner is refused rather than silently repointed.
    """
    partner_uuid = uuid.UUID(str(partner_uuid))
    _lock_owner(owner)
    existing = PartnerCredential.objects.filter(owner=owner, label__iexact=label).first()
    if existing is None:
        credential = credential_create(
            owner=owner,
            label=label,
            partner_uuid=partner_uuid,
            api_key=api_key,
            make_default=make_default,
        )
        return credential, StoreOutcome.CREATED
    if existing.partner_uuid != partner_uuid:
        raise ValidationError(
            f"The credential “{existing.label}” belongs to partner {existing.partner_uuid}, not "
            f"{partner_uuid}. Use another label, or delete it first."
        )
    try:
        unchanged = existing.get_api_key() == api_key
    except SecretDecryptionError:
        unchanged = False
    if not unchanged:
        credential_replace_key(credential=existing, api_key=api_key)
    if make_default:
        credential_make_default(credential=existing)
    return existing, StoreOutcome.UNCHANGED if unchanged else StoreOutcome.REPLACED


@transaction.atomic
def credential_rename(*, credential: PartnerCredential, label: str) -> PartnerCredential:
    """Change the label; labels are unique per owner, case-insensitively."""
    _lock_owner(credential.owner)
    if _label_taken(credential.owner, label, exclude=credential.pk):
        raise ValidationError({"label": DUPLICATE_LABEL_MESSAGE})
    credential.label = label
    _save(credential, update_fields=["label", "updated_at"])
    return credential


@transaction.atomic
def credential_make_default(*, credential: PartnerCredential) -> PartnerCredential:
    """Make this the owner's default. There is always exactly one default while any exist: it
    moves only when another is made the default (or this one is deleted)."""
    if credential.is_default:
        return credential
    _lock_owner(credential.owner)
    # The one-default constraint is checked per statement, so the old default goes first.
    PartnerCredential.objects.filter(owner=credential.owner, is_default=True).exclude(
        pk=credential.pk
    ).update(is_default=False)
    credential.is_default = True
    credential.save(update_fields=["is_default", "updated_at"])
    return credential


@transaction.atomic
def credential_replace_key(*, credential: PartnerCredential, api_key: str) -> PartnerCredential:
    """Store a new key; the stored key is untouched unless the new one is saved completely.

    The change is made on a freshly locked copy and only copied onto `credential` once saved, so
    a failed save leaves both the database and the caller's object holding the old ciphertext.
    The key version goes up, so tokens cached for the old key are never used again.
    """
    if not api_key or not api_key.strip():
        raise ValidationError({"api_key": "Enter the new API key."})
    fresh = PartnerCredential.objects.select_for_update().get(pk=credential.pk)
    fresh.set_api_key(api_key.strip())
    # A new key has not been tested yet.
    fresh.last_verified_at = None
    fields = ["api_key_encrypted", "api_key_hint", "secret_version", "last_verified_at"]
    fresh.save(update_fields=[*fields, "updated_at"])
    for name in (*fields, "updated_at"):
        setattr(credential, name, getattr(fresh, name))
    logger.info("credential %s key replaced (version %s)", credential.pk, fresh.secret_version)
    return credential


@transaction.atomic
def credential_delete(*, credential: PartnerCredential) -> None:
    """Delete; if it was the default, the next one (by label) takes over so lookups keep working."""
    owner = credential.owner
    _lock_owner(owner)
    was_default = credential.is_default
    credential_id = credential.pk
    credential.delete()
    if was_default:
        successor = PartnerCredential.objects.filter(owner=owner).order_by("label", "pk").first()
        if successor is not None:
            credential_make_default(credential=successor)
    logger.info("credential %s deleted for user %s", credential_id, owner.pk)


def credential_verify(*, credential: PartnerCredential) -> VerificationResult:
    """Ask Thredfi whether the stored partner UUID + key work; report, never raise to the view.

    Deliberately not atomic: no transaction is held open across the network call.
    """
    try:
        page = thredfi_client(credential).verify()
    except (ThredfiError, SecretDecryptionError) as error:
        problem = problem_for(error, subject="partner")
        logger.info(
            "credential %s test failed: %s (request %s)",
            credential.pk,
            problem.outcome,
            problem.request_id or "-",
        )
        return VerificationResult(problem=problem)
    credential.last_verified_at = timezone.now()
    credential.save(update_fields=["last_verified_at"])
    count = page.count if page.count is not None else len(page.results)
    return VerificationResult(businesses=page.results, business_count=count)


def credential_activate(
    *, user: AbstractBaseUser, credential: PartnerCredential, session: Any
) -> None:
    """Use this credential for this session's lookups (the default stays the default): one of
    the user's own, or one of their teams'."""
    if not usable_credentials(user=user).filter(pk=credential.pk).exists():
        # Views look credentials up among the usable ones already; this keeps the use case safe
        # on its own.
        raise PartnerCredential.DoesNotExist
    session[ACTIVE_CREDENTIAL_SESSION_KEY] = credential.pk
