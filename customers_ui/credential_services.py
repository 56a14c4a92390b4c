"""Use cases of the credentials pages and commands: store, rename, re-key, delete, test, choose.

Every function works on one owner's credentials only, and none of them logs or returns the API
key: it goes in through `set_api_key` and comes out only inside the Thredfi client.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from customers_ui import selectors
from customers_ui.crypto import SecretDecryptionError
from customers_ui.models import PartnerCredential

logger = logging.getLogger(__name__)

DUPLICATE_LABEL_MESSAGE = "You already have a credential with this label. Pick another one."


@dataclass(frozen=True, slots=True)
class VerificationResult:
    """What testing a credential found, ready for a page: never carries the key."""

    ok: bool
    businesses: tuple[Any, ...] = ()
    title: str = ""
    explanation: str = ""
    advice: str = ""
    request_id: str | None = None


def _lock_owner(owner: AbstractBaseUser) -> None:
    """Serialise credential writes per owner, so two tabs can't both create "the first" default.

    The partial unique constraint would catch it anyway; locking turns a crash into a wait.
    """
    get_user_model().objects.select_for_update().filter(pk=owner.pk).first()


def _unset_default(owner: AbstractBaseUser, *, keep: int | None = None) -> None:
    # The one-default constraint is checked per statement, so the old default goes first.
    PartnerCredential.objects.filter(owner=owner, is_default=True).exclude(pk=keep).update(
        is_default=False
    )


def _label_taken(owner: AbstractBaseUser, label: str, *, exclude: int | None = None) -> bool:
    return (
        PartnerCredential.objects.filter(owner=owner, label__iexact=label)
        .exclude(pk=exclude)
        .exists()
    )


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
    is_default = make_default or not has_default
    if is_default:
        _unset_default(owner)
    credential = PartnerCredential(
        owner=owner,
        label=label,
        partner_uuid=uuid.UUID(str(partner_uuid)),
        is_default=is_default,
    )
    credential.set_api_key(api_key)
    try:
        with transaction.atomic():
            credential.save()
    except IntegrityError as exc:  # a concurrent writer without the lock (e.g. another DB user)
        raise ValidationError({"label": DUPLICATE_LABEL_MESSAGE}) from exc
    logger.info("credential %s created for user %s", credential.pk, owner.pk)
    return credential


@transaction.atomic
def credential_rename(
    *, credential: PartnerCredential, label: str, make_default: bool
) -> PartnerCredential:
    """Change the label and, when asked, make this the default.

    `make_default=False` never takes the default away: a user with credentials always has one
    default, and it moves only when another credential is made the default (or this one goes).
    """
    owner = credential.owner
    _lock_owner(owner)
    if _label_taken(owner, label, exclude=credential.pk):
        raise ValidationError({"label": DUPLICATE_LABEL_MESSAGE})
    fields = ["label", "updated_at"]
    if make_default and not credential.is_default:
        _unset_default(owner, keep=credential.pk)
        credential.is_default = True
        fields.append("is_default")
    credential.label = label
    try:
        with transaction.atomic():
            credential.save(update_fields=fields)
    except IntegrityError as exc:
        raise ValidationError({"label": DUPLICATE_LABEL_MESSAGE}) from exc
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
    fresh.save(
        update_fields=[
            "api_key_encrypted",
            "api_key_hint",
            "secret_version",
            "last_verified_at",
            "updated_at",
        ]
    )
    for name in ("api_key_encrypted", "api_key_hint", "secret_version", "last_verified_at"):
        setattr(credential, name, getattr(fresh, name))
    credential.updated_at = fresh.updated_at
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
            successor.is_default = True
            successor.save(update_fields=["is_default", "updated_at"])
    logger.info("credential %s deleted for user %s", credential_id, owner.pk)


def _businesses_of(client: Any) -> Sequence[Any]:
    """Prefer the client's own verify(); fall back to listing businesses, which needs a token too.

    verify() may answer with the businesses or with something else (e.g. True); the result page
    lists businesses, so anything that is not a list of them costs one more call.
    """
    verify = getattr(client, "verify", None)
    if callable(verify):
        answer = verify()
        if isinstance(answer, list | tuple) and all(hasattr(b, "legal_name") for b in answer):
            return answer
    return client.list_businesses()


def credential_verify(*, credential: PartnerCredential) -> VerificationResult:
    """Ask Thredfi whether the stored partner UUID + key work; report, never raise to the view.

    Deliberately not atomic: no transaction is held open across the network call.
    """
    # Imported here so the credentials pages and commands load even while the client is absent
    # or broken; only testing a credential needs it.
    from customers_ui.problems import problem_from_error
    from customers_ui.thredfi import ThredfiError
    from customers_ui.upstream import thredfi_client

    try:
        businesses = _businesses_of(thredfi_client(credential))
    except (ThredfiError, SecretDecryptionError) as error:
        problem = problem_from_error(error, subject="business")
        request_id = getattr(error, "request_id", None) or None
        title, explanation, advice = problem.title, problem.explanation, problem.advice
        if problem.fix_credentials:
            # The generic advice points at this very page; say what to check instead.
            advice = (
                "Check the partner UUID, then use “Replace key” with the API key from the "
                "Thredfi partner portal."
            )
        if problem.outcome == "forbidden":
            explanation = "Thredfi accepted the key but refused to list this partner's businesses."
        logger.info(
            "credential %s test failed: %s (request %s)",
            credential.pk,
            problem.outcome,
            request_id or "-",
        )
        return VerificationResult(
            ok=False,
            title=title,
            explanation=explanation,
            advice=advice,
            request_id=request_id,
        )
    credential.last_verified_at = timezone.now()
    credential.save(update_fields=["last_verified_at"])
    return VerificationResult(ok=True, businesses=tuple(businesses))


def credential_activate(
    *, user: AbstractBaseUser, credential: PartnerCredential, session: Any
) -> None:
    """Use this credential for this session's lookups (the default stays the default)."""
    if credential.owner_id != user.pk:
        # Views look credentials up by owner already; this keeps the use case safe on its own.
        raise PartnerCredential.DoesNotExist
    session[selectors.ACTIVE_CREDENTIAL_SESSION_KEY] = credential.pk
