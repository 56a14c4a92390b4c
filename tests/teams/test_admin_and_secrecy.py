"""The admin of teams (members, credentials: replace key, test, delete; the record of changes)
and the write-only team key: no page, admin view, CSV export or log line of these tests shows
any part of it, not even its last 4 characters (issue #22)."""

from __future__ import annotations

import csv
import io
import logging

import pytest
from django.test import Client
from django.urls import reverse

from customers_ui.models import LookupEvent, PartnerCredential, TeamChange
from customers_ui.upstream.caching import clear_local_copies, token_cache
from customers_ui.upstream.clients import thredfi_client
from sandbox.demo import BUSINESS_EUR, BUSINESS_GBP, DEMO_CUSTOMER_ID, DEMO_PARTNER_UUID

from .conftest import TEAM_KEY, TEAM_LABEL, TEAM_NAME, assert_no_team_key

pytestmark = pytest.mark.django_db

DETAIL = f"/customers/{BUSINESS_GBP}/{DEMO_CUSTOMER_ID}/"
NEW_KEY = "thredfi_live_ROTATED_s3cr3t_Hq8Vb2Nc6x"


@pytest.fixture
def root(django_user_model):
    return django_user_model.objects.create_superuser("root", "root@example.com", "pw-admin-12345")


@pytest.fixture
def admin(root) -> Client:
    client = Client()
    client.force_login(root)
    return client


@pytest.fixture
def everything_logged(caplog):
    caplog.set_level(logging.DEBUG)
    return caplog


def _texts(response) -> str:
    if hasattr(response, "streaming_content"):
        return b"".join(response.streaming_content).decode()
    return response.content.decode()


def test_no_page_admin_view_export_or_log_shows_the_team_key(
    agent_client, admin, team, team_credential, thredfi_sandbox, everything_logged, capsys
) -> None:
    seen: list[tuple[str, str]] = []

    def visit(client: Client, url: str, **extra) -> None:
        response = client.get(url, **extra)
        assert response.status_code in (200, 302, 403), url
        seen.append((url, _texts(response)))

    # The agent's pages, a lookup in scope and one refused.
    for url in ("/", "/credentials/", DETAIL, f"/customers/{BUSINESS_GBP}/?q=a", "/businesses/"):
        visit(agent_client, url)
    visit(agent_client, f"/customers/{BUSINESS_EUR}/")
    # The admin's pages: teams, team credentials (list, change, add), changes, audit, CSV.
    pk = team_credential.pk
    for url in (
        reverse("admin:customers_ui_team_changelist"),
        reverse("admin:customers_ui_team_change", args=[team.pk]),
        reverse("admin:customers_ui_teamcredential_changelist"),
        reverse("admin:customers_ui_teamcredential_change", args=[pk]),
        reverse("admin:customers_ui_teamcredential_history", args=[pk]),
        reverse("admin:customers_ui_teamcredential_add"),
        reverse("admin:customers_ui_teamchange_changelist"),
        reverse("admin:customers_ui_partnercredential_changelist"),
        reverse("admin:customers_ui_lookupevent_changelist"),
        reverse("admin:customers_ui_lookupevent_export"),
    ):
        visit(admin, url)
    # The admin's "test" action and a key replaced through the write-only field.
    seen.append(
        (
            "test action",
            _texts(
                admin.post(
                    reverse("admin:customers_ui_teamcredential_changelist"),
                    {"action": "test_with_thredfi", "_selected_action": [pk]},
                    follow=True,
                )
            ),
        )
    )

    for where, text in seen:
        assert_no_team_key(text, where)
    for record in everything_logged.records:
        assert_no_team_key(record.getMessage(), f"log line {record.name}")
    captured = capsys.readouterr()
    assert_no_team_key(captured.out + captured.err, "the captured output")
    assert_no_team_key(
        " ".join(TeamChange.objects.values_list("detail", flat=True)), "the team changes"
    )


def test_the_change_page_offers_a_write_only_key_field_and_the_date_it_changed(
    admin, team_credential
) -> None:
    page = admin.get(reverse("admin:customers_ui_teamcredential_change", args=[team_credential.pk]))

    text = page.content.decode()
    assert 'name="new_api_key"' in text
    assert 'type="password"' in text
    assert "Key changed at" in text
    assert_no_team_key(text, "the change page")


def test_the_admin_replaces_a_key_and_drops_its_tokens_at_once(
    admin, agent_client, team_credential, thredfi_sandbox
) -> None:
    assert agent_client.get(DETAIL).status_code == 200
    old_partner_key = thredfi_client(team_credential).partner_token_cache_key

    response = admin.post(
        reverse("admin:customers_ui_teamcredential_change", args=[team_credential.pk]),
        {"label": TEAM_LABEL, "businesses": BUSINESS_GBP, "new_api_key": NEW_KEY},
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    clear_local_copies()
    assert token_cache.get(old_partner_key) is None
    stored = PartnerCredential.objects.get(pk=team_credential.pk)
    assert stored.get_api_key() == NEW_KEY
    assert stored.api_key_hint == ""
    change = TeamChange.objects.filter(action="key_replaced").get()
    assert (change.actor_name, change.detail) == ("root", f"“{TEAM_LABEL}”")
    assert NEW_KEY[-4:] not in change.detail


def test_the_admin_deletes_a_team_credential_and_its_tokens(
    admin, agent_client, team_credential, thredfi_sandbox
) -> None:
    assert agent_client.get(DETAIL).status_code == 200
    old_partner_key = thredfi_client(team_credential).partner_token_cache_key

    response = admin.post(
        reverse("admin:customers_ui_teamcredential_delete", args=[team_credential.pk]),
        {"post": "yes"},
    )

    assert response.status_code == 302
    assert not PartnerCredential.objects.filter(pk=team_credential.pk).exists()
    clear_local_copies()
    assert token_cache.get(old_partner_key) is None
    assert TeamChange.objects.filter(action="credential_deleted", actor_name="root").exists()
    assert agent_client.get(DETAIL).status_code == 302  # Ana has no credential left


def test_the_admin_adds_a_team_credential_with_a_scope_checked_by_thredfi(
    admin, team, thredfi_sandbox
) -> None:
    url = reverse("admin:customers_ui_teamcredential_add")
    form = {
        "team": team.pk,
        "label": "EU",
        "partner_uuid": DEMO_PARTNER_UUID,
        "new_api_key": TEAM_KEY,
    }

    refused = admin.post(url, {**form, "businesses": "00000000-0000-4000-8000-0000000000ee"})
    assert refused.status_code == 200
    assert "has no business" in refused.content.decode()
    assert not PartnerCredential.objects.filter(label="EU").exists()

    added = admin.post(url, {**form, "businesses": BUSINESS_EUR})
    assert added.status_code == 302
    credential = PartnerCredential.objects.get(label="EU")
    assert credential.team == team and credential.business_scope == [BUSINESS_EUR]
    assert credential.api_key_hint == ""


def test_the_admin_test_action_asks_thredfi(admin, team_credential, thredfi_sandbox) -> None:
    response = admin.post(
        reverse("admin:customers_ui_teamcredential_changelist"),
        {"action": "test_with_thredfi", "_selected_action": [team_credential.pk]},
        follow=True,
    )

    assert "Thredfi accepted it" in response.content.decode()
    assert thredfi_sandbox.stats()["requests"]["list_businesses"] == 1


def test_membership_changes_in_the_admin_are_recorded(admin, agent, other_agent, team) -> None:
    response = admin.post(
        reverse("admin:customers_ui_team_change", args=[team.pk]),
        {"name": TEAM_NAME, "members": [other_agent.pk]},
    )

    assert response.status_code == 302
    rows = set(
        TeamChange.objects.filter(actor_name="root").values_list("action", "detail", "team_name")
    )
    assert rows == {
        ("member_added", "agent-ben", TEAM_NAME),
        ("member_removed", "agent-ana", TEAM_NAME),
    }


def test_the_audit_trail_filters_and_exports_by_team(
    agent_client, staff_client, admin, team, thredfi_sandbox
) -> None:
    assert agent_client.get(DETAIL).status_code == 200
    assert staff_client.get(DETAIL).status_code == 200
    assert LookupEvent.objects.count() == 2

    listing = admin.get(
        reverse("admin:customers_ui_lookupevent_changelist"), {"team_name": TEAM_NAME}
    )
    assert listing.status_code == 200
    assert "agent-ana" in listing.content.decode()
    assert ">ada<" not in listing.content.decode()

    export = admin.get(reverse("admin:customers_ui_lookupevent_export"), {"team_name": TEAM_NAME})
    rows = list(csv.DictReader(io.StringIO(_texts(export))))
    assert [(r["username"], r["credential_kind"], r["team_name"]) for r in rows] == [
        ("agent-ana", "team", TEAM_NAME)
    ]
    assert rows[0]["credential_label"] == TEAM_LABEL


def test_personal_credentials_admin_lists_no_team_credential(admin, team_credential) -> None:
    page = admin.get(reverse("admin:customers_ui_partnercredential_changelist"))
    assert TEAM_LABEL not in page.content.decode()


def test_deleting_a_team_deletes_its_credentials_and_their_tokens_and_is_recorded(
    admin, agent_client, team, team_credential, thredfi_sandbox
) -> None:
    assert agent_client.get(DETAIL).status_code == 200
    old_partner_key = thredfi_client(team_credential).partner_token_cache_key

    response = admin.post(
        reverse("admin:customers_ui_team_delete", args=[team.pk]), {"post": "yes"}
    )

    assert response.status_code == 302
    assert not PartnerCredential.objects.filter(pk=team_credential.pk).exists()
    clear_local_copies()
    assert token_cache.get(old_partner_key) is None
    actions = set(
        TeamChange.objects.filter(team_name=TEAM_NAME, actor_name="root").values_list(
            "action", flat=True
        )
    )
    assert actions == {"credential_deleted", "team_deleted"}


@pytest.mark.parametrize("change", ["replace the key", "delete"])
@pytest.mark.parametrize("scope", [None, [BUSINESS_GBP]], ids=["all businesses", "one, widened"])
def test_every_business_token_of_a_team_credential_goes_with_its_key(
    change, scope, agent, thredfi_sandbox
) -> None:
    """Tokens of businesses the credential served are dropped whatever its scope says now: "all"
    names none, and a scope narrowed since names fewer than were served."""
    from customers_ui.teams import services

    from .conftest import ACTOR, make_team_credential

    credential = make_team_credential(scope=None, members=(agent,))
    client = Client()
    client.force_login(agent)
    for business in (BUSINESS_GBP, BUSINESS_EUR):
        assert client.get(f"/customers/{business}/").status_code == 200
    services.team_credential_scope_change(credential=credential, scope=scope, actor=ACTOR)
    thredfi = thredfi_client(credential)
    token_keys = [thredfi.partner_token_cache_key] + [
        thredfi.business_token_cache_key(business) for business in (BUSINESS_GBP, BUSINESS_EUR)
    ]
    clear_local_copies()
    assert all(token_cache.get(key) is not None for key in token_keys)

    if change == "delete":
        services.team_credential_delete(credential=credential, actor=ACTOR)
    else:
        services.team_credential_replace_key(credential=credential, api_key=NEW_KEY, actor=ACTOR)

    clear_local_copies()
    assert [key for key in token_keys if token_cache.get(key) is not None] == []


def test_checking_a_scope_with_thredfi_leaves_no_token_behind(
    monkeypatch, db, thredfi_sandbox
) -> None:
    """The check runs under a throw-away credential whose tokens nothing would ever read."""
    from customers_ui.teams import services

    from .conftest import TEAM_KEY

    written: list[str] = []
    original_set = token_cache.set
    monkeypatch.setattr(
        token_cache, "set", lambda key, *a, **kw: (written.append(key), original_set(key, *a, **kw))
    )

    warnings = services.scope_check_upstream(
        partner_uuid=DEMO_PARTNER_UUID, api_key=TEAM_KEY, scope=[BUSINESS_GBP, BUSINESS_EUR]
    )

    assert warnings == [] and written, "the check asked Thredfi with a partner token"
    clear_local_copies()
    assert [key for key in written if token_cache.get(key) is not None] == []
