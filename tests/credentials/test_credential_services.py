"""The credential use cases on their own: defaults, labels, keys, deletion, choosing."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import DatabaseError

from customers_ui.credentials import selectors
from customers_ui.credentials import services as credential_services
from customers_ui.models import PartnerCredential
from customers_ui.upstream.caching import credential_cache_identity

from .conftest import PARTNER_UUID, SECRET_KEY_ALICE

pytestmark = pytest.mark.django_db


def test_first_credential_becomes_the_default(alice, make_credential):
    first = make_credential(alice, "First")
    second = make_credential(alice, "Second")

    first.refresh_from_db()
    second.refresh_from_db()
    assert first.is_default
    assert not second.is_default


def test_make_default_moves_the_default(alice, make_credential):
    first = make_credential(alice, "First")
    second = make_credential(alice, "Second", make_default=True)

    first.refresh_from_db()
    assert second.is_default
    assert not first.is_default
    assert PartnerCredential.objects.filter(owner=alice, is_default=True).count() == 1


def test_defaults_are_per_owner(alice, bob, make_credential):
    make_credential(alice, "Mine")
    theirs = make_credential(bob, "Theirs")

    assert theirs.is_default


def test_create_stores_the_key_encrypted_with_a_hint(alice, make_credential):
    credential = make_credential(alice)

    assert credential.api_key_hint == SECRET_KEY_ALICE[-4:]
    assert SECRET_KEY_ALICE not in credential.api_key_encrypted
    assert credential.get_api_key() == SECRET_KEY_ALICE
    assert credential.partner_uuid == PARTNER_UUID


def test_duplicate_label_is_a_validation_error_not_a_crash(alice, make_credential):
    make_credential(alice, "Production")

    with pytest.raises(ValidationError) as excinfo:
        make_credential(alice, "production")
    assert "label" in excinfo.value.error_dict


def test_same_label_for_different_owners_is_fine(alice, bob, make_credential):
    make_credential(alice, "Production")
    make_credential(bob, "Production")


def test_rename_changes_only_the_label(alice, make_credential):
    first = make_credential(alice, "First")
    second = make_credential(alice, "Second")

    credential_services.credential_rename(credential=second, label="Renamed")

    first.refresh_from_db()
    second.refresh_from_db()
    assert second.label == "Renamed"
    assert (first.is_default, second.is_default) == (True, False)


def test_make_default_takes_the_default_from_the_other(alice, make_credential):
    first = make_credential(alice, "First")
    second = make_credential(alice, "Second")

    credential_services.credential_make_default(credential=second)

    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.is_default, second.is_default) == (False, True)


def test_renaming_the_only_credential_keeps_it_the_default(alice, make_credential):
    only = make_credential(alice, "Only")

    credential_services.credential_rename(credential=only, label="Still mine")

    only.refresh_from_db()
    assert only.is_default


def test_rename_to_a_taken_label_is_refused(alice, make_credential):
    make_credential(alice, "First")
    second = make_credential(alice, "Second")

    with pytest.raises(ValidationError):
        credential_services.credential_rename(credential=second, label="FIRST")
    second.refresh_from_db()
    assert second.label == "Second"


def test_replace_key_bumps_the_version_and_forgets_the_last_test(alice, make_credential):
    credential = make_credential(alice)
    version = credential.secret_version
    PartnerCredential.objects.filter(pk=credential.pk).update(last_verified_at="2025-01-01T00:00Z")

    credential_services.credential_replace_key(credential=credential, api_key="new_key_12345678")

    credential.refresh_from_db()
    assert credential.get_api_key() == "new_key_12345678"
    assert credential.api_key_hint == "5678"
    assert credential.secret_version == version + 1
    assert credential.last_verified_at is None
    assert credential_cache_identity(credential).endswith(f":{version + 1}")


def test_replace_key_that_fails_to_save_keeps_the_old_key(alice, make_credential, monkeypatch):
    credential = make_credential(alice)
    stored = credential.api_key_encrypted

    def broken_save(self, *args, **kwargs):
        raise DatabaseError("disk full")

    monkeypatch.setattr(PartnerCredential, "save", broken_save)
    with pytest.raises(DatabaseError):
        credential_services.credential_replace_key(credential=credential, api_key="new_key_123456")
    monkeypatch.undo()

    # Neither the caller's object nor the database picked up the new key.
    assert credential.api_key_encrypted == stored
    credential.refresh_from_db()
    assert credential.api_key_encrypted == stored
    assert credential.get_api_key() == SECRET_KEY_ALICE


def test_replace_key_refuses_an_empty_key(alice, make_credential):
    credential = make_credential(alice)

    with pytest.raises(ValidationError):
        credential_services.credential_replace_key(credential=credential, api_key="   ")
    credential.refresh_from_db()
    assert credential.get_api_key() == SECRET_KEY_ALICE


def test_deleting_the_default_promotes_another(alice, make_credential):
    default = make_credential(alice, "A default")
    other = make_credential(alice, "B other")

    credential_services.credential_delete(credential=default)

    other.refresh_from_db()
    assert other.is_default
    assert not PartnerCredential.objects.filter(pk=default.pk).exists()


def test_deleting_the_last_credential_leaves_none(alice, make_credential):
    only = make_credential(alice)

    credential_services.credential_delete(credential=only)

    assert not PartnerCredential.objects.filter(owner=alice).exists()


def test_activate_puts_the_choice_in_the_session(alice, make_credential):
    make_credential(alice, "First")
    second = make_credential(alice, "Second")
    session: dict[str, object] = {}

    credential_services.credential_activate(user=alice, credential=second, session=session)

    assert session[selectors.ACTIVE_CREDENTIAL_SESSION_KEY] == second.pk
    assert selectors.active_credential(user=alice, session=session) == second


def test_activate_refuses_someone_elses_credential(alice, bob, make_credential):
    theirs = make_credential(bob)
    session: dict[str, object] = {}

    with pytest.raises(PartnerCredential.DoesNotExist):
        credential_services.credential_activate(user=alice, credential=theirs, session=session)
    assert session == {}


def test_the_active_credential_whatever_the_session_says(alice, bob, make_credential):
    """The choice, else the default, else the first by label; never another user's row."""
    make_credential(alice, "B second")
    first_by_label = make_credential(alice, "A first")
    theirs = make_credential(bob, "Theirs")
    deleted = make_credential(alice, "Gone")
    deleted_pk = deleted.pk
    deleted.delete()
    default = PartnerCredential.objects.get(owner=alice, is_default=True)
    key = selectors.ACTIVE_CREDENTIAL_SESSION_KEY
    for session, expected in (
        ({}, default),
        ({key: first_by_label.pk}, first_by_label),
        ({key: str(first_by_label.pk)}, first_by_label),
        ({key: deleted_pk}, default),
        ({key: theirs.pk}, default),
    ):
        assert selectors.active_credential(user=alice, session=session) == expected
    PartnerCredential.objects.filter(owner=alice, is_default=True).update(is_default=False)
    assert selectors.active_credential(user=alice, session={}) == first_by_label
    assert selectors.active_credential(user=bob, session={key: first_by_label.pk}) == theirs
