"""Team credentials for agents: shared tokens, the switcher, membership and
PERSONAL_CREDENTIALS_ALLOWED (issue #22), over real HTTP against the sandbox."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction
from django.test import override_settings

from customers_ui.credentials.selectors import ACTIVE_CREDENTIAL_SESSION_KEY
from customers_ui.models import LookupEvent, PartnerCredential, TeamChange
from customers_ui.teams import services
from customers_ui.upstream.caching import clear_local_copies, token_cache
from customers_ui.upstream.clients import thredfi_client
from sandbox.demo import BUSINESS_GBP, DEMO_CUSTOMER_ID
from tests.factories import make_credential

from .conftest import ACTOR, TEAM_KEY, TEAM_LABEL, TEAM_NAME, make_team_credential

pytestmark = pytest.mark.django_db

DETAIL = f"/customers/{BUSINESS_GBP}/{DEMO_CUSTOMER_ID}/"


def mints(sandbox) -> tuple[int, int]:
    requests = sandbox.stats()["requests"]
    return requests["partner_token"], requests["business_token"]


# -- tokens -------------------------------------------------------------------------------------


def test_two_members_share_one_token_mint(agent, other_agent, team, login, thredfi_sandbox) -> None:
    services.team_members_change(team=team, add=[other_agent], actor=ACTOR)

    assert login(agent).get(DETAIL).status_code == 200
    clear_local_copies()  # Ben's request as if served by another process
    assert login(other_agent).get(DETAIL).status_code == 200

    assert mints(thredfi_sandbox) == (1, 1)
    assert thredfi_sandbox.stats()["requests"]["get_customer"] == 2


def test_tokens_are_never_shared_across_credentials(
    agent, team_credential, login, thredfi_sandbox
) -> None:
    """Ana's own credential for the same partner and key mints its own tokens."""
    personal = make_credential(agent, "Mine", api_key=TEAM_KEY)
    client = login(agent)
    assert client.get(DETAIL).status_code == 200  # her own credential: personal ones first
    session = client.session
    session[ACTIVE_CREDENTIAL_SESSION_KEY] = team_credential.pk
    session.save()
    assert client.get(DETAIL).status_code == 200

    assert mints(thredfi_sandbox) == (2, 2)
    kinds = set(LookupEvent.objects.values_list("credential_label", "credential_kind"))
    assert kinds == {(personal.label, "personal"), (TEAM_LABEL, "team")}


@pytest.mark.parametrize("change", ["replace", "delete"])
def test_replacing_or_deleting_a_team_key_drops_its_cached_tokens_at_once(
    agent_client, team_credential, thredfi_sandbox, change
) -> None:
    assert agent_client.get(DETAIL).status_code == 200
    client = thredfi_client(team_credential)
    keys = [client.partner_token_cache_key, client.business_token_cache_key(BUSINESS_GBP)]
    assert all(token_cache.get(key) is not None for key in keys)

    if change == "replace":
        services.team_credential_replace_key(
            credential=team_credential, api_key=TEAM_KEY, actor=ACTOR
        )
    else:
        services.team_credential_delete(credential=team_credential, actor=ACTOR)

    clear_local_copies()
    assert all(token_cache.get(key) is None for key in keys)
    if change == "replace":
        assert agent_client.get(DETAIL).status_code == 200
        assert mints(thredfi_sandbox) == (2, 2)  # the new key minted its own


# -- agents -------------------------------------------------------------------------------------


def test_an_agent_with_only_a_team_credential_goes_straight_to_lookups(agent_client) -> None:
    response = agent_client.get("/")

    assert response.status_code == 200
    assert f"Looking up with <strong>{TEAM_LABEL}</strong> (shared by {TEAM_NAME})" in (
        response.content.decode()
    )


def test_the_switcher_lists_personal_and_team_credentials(
    agent, team_credential, login, thredfi_sandbox
) -> None:
    make_credential(agent, "Mine")
    response = login(agent).get("/")

    text = response.content.decode()
    assert "Looking up with <strong>Mine</strong>" in text
    assert f"Use {TEAM_LABEL} (shared by {TEAM_NAME})" in text


def test_a_team_credential_has_no_edit_key_delete_or_test_pages(
    agent_client, team_credential
) -> None:
    listing = agent_client.get("/credentials/").content.decode()
    assert f"shared by {TEAM_NAME}" in listing
    pk = team_credential.pk
    for page in ("edit", "key", "delete", "test"):
        assert f"/credentials/{pk}/{page}/" not in listing
        assert agent_client.get(f"/credentials/{pk}/{page}/").status_code == 404
        assert agent_client.post(f"/credentials/{pk}/{page}/").status_code == 404
    assert PartnerCredential.objects.filter(pk=pk).exists()


def test_a_member_can_choose_the_team_credential_and_others_cannot(
    agent, bob, team_credential, login
) -> None:
    make_credential(agent, "Mine")
    chosen = login(agent).post(f"/credentials/{team_credential.pk}/activate/")
    assert chosen.status_code == 302

    assert login(bob).post(f"/credentials/{team_credential.pk}/activate/").status_code == 404


def test_a_removed_member_cannot_use_the_credential_on_their_next_request(
    agent, agent_client, team, thredfi_sandbox
) -> None:
    assert agent_client.get(DETAIL).status_code == 200

    services.team_members_change(team=team, remove=[agent], actor=ACTOR)

    response = agent_client.get(DETAIL)
    assert response.status_code == 302
    assert response["Location"].startswith("/credentials/new/")
    assert LookupEvent.objects.count() == 1  # the one before


def test_a_removed_member_falls_back_to_their_own_credential(
    agent, agent_client, team, team_credential, thredfi_sandbox
) -> None:
    personal = make_credential(agent, "Mine")
    session = agent_client.session
    session[ACTIVE_CREDENTIAL_SESSION_KEY] = team_credential.pk
    session.save()

    services.team_members_change(team=team, remove=[agent], actor=ACTOR)

    assert agent_client.get(DETAIL).status_code == 200
    assert LookupEvent.objects.get().credential_label == personal.label


# -- PERSONAL_CREDENTIALS_ALLOWED -------------------------------------------------------------


@override_settings(PERSONAL_CREDENTIALS_ALLOWED=False)
def test_without_personal_credentials_the_personal_pages_are_gone(
    agent, agent_client, team_credential
) -> None:
    mine = make_credential(agent, "Mine")
    listing = agent_client.get("/credentials/")
    assert listing.status_code == 200
    text = listing.content.decode()
    assert "Mine" not in text and "/credentials/new/" not in text
    assert TEAM_LABEL in text
    assert agent_client.get("/credentials/new/").status_code == 404
    for page in ("edit", "key", "delete", "test"):
        assert agent_client.get(f"/credentials/{mine.pk}/{page}/").status_code == 404
    assert agent_client.post(f"/credentials/{mine.pk}/activate/").status_code == 404


@override_settings(PERSONAL_CREDENTIALS_ALLOWED=False)
def test_without_personal_credentials_lookups_use_only_team_credentials(
    agent, agent_client, team_credential, thredfi_sandbox
) -> None:
    mine = make_credential(agent, "Mine")
    session = agent_client.session
    session[ACTIVE_CREDENTIAL_SESSION_KEY] = mine.pk  # chosen while they were allowed
    session.save()

    assert agent_client.get(DETAIL).status_code == 200
    assert LookupEvent.objects.get().credential_kind == "team"


@override_settings(PERSONAL_CREDENTIALS_ALLOWED=False)
def test_without_personal_credentials_a_personal_only_user_is_refused(
    staff_client, thredfi_sandbox
) -> None:
    response = staff_client.get(DETAIL)

    assert response.status_code == 302
    assert response["Location"] == "/credentials/"
    assert thredfi_sandbox.stats()["total_requests"] == 0


@override_settings(PERSONAL_CREDENTIALS_ALLOWED=False)
def test_without_personal_credentials_the_lookup_service_refuses_one(
    support_user, credential, thredfi_sandbox
) -> None:
    from customers_ui.core.problems import LookupFailed
    from customers_ui.lookup import services as lookup_services

    with pytest.raises(LookupFailed) as refused:
        lookup_services.customer_get(
            user=support_user,
            credential=credential,
            business_id=BUSINESS_GBP,
            customer_id=DEMO_CUSTOMER_ID,
        )
    assert refused.value.problem.status == 403
    assert thredfi_sandbox.stats()["total_requests"] == 0


def test_personal_credentials_keep_working_beside_teams(staff_client, team) -> None:
    assert staff_client.get(DETAIL).status_code == 200
    assert LookupEvent.objects.get().credential_kind == "personal"


# -- the model ----------------------------------------------------------------------------------


def test_a_credential_is_held_by_exactly_one_user_or_team(agent, team) -> None:
    for holder in ({"owner": agent, "team": team}, {}):
        credential = PartnerCredential(label="X", partner_uuid=BUSINESS_GBP, **holder)
        credential.set_api_key(TEAM_KEY)
        with pytest.raises(IntegrityError), transaction.atomic():
            credential.save()


def test_a_team_key_is_encrypted_and_keeps_no_hint(team_credential) -> None:
    stored = PartnerCredential.objects.get(pk=team_credential.pk)
    assert stored.api_key_hint == ""
    assert TEAM_KEY not in stored.api_key_encrypted
    assert stored.get_api_key() == TEAM_KEY
    assert stored.key_changed_at is not None


def test_membership_and_credential_changes_are_recorded(agent, other_agent, team) -> None:
    services.team_members_change(team=team, add=[other_agent], remove=[agent], actor=ACTOR)

    rows = list(TeamChange.objects.order_by("pk").values_list("action", "detail", "actor_name"))
    assert rows[0][0] == "team_created"
    assert rows[1][0] == "credential_created"
    assert ("member_added", "agent-ana", "tests") in rows
    assert ("member_added", "agent-ben", "tests") in rows
    assert rows[-1] == ("member_removed", "agent-ana", "tests")
    assert all(TEAM_KEY[-4:] not in detail for _, detail, _ in rows)


def test_a_second_team_may_use_the_same_label(team_credential) -> None:
    other = make_team_credential(team_name="Tier 2", label=TEAM_LABEL)
    assert other.team.name == "Tier 2"
