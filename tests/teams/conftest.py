"""Fixtures of the teams tests: a team holding the sandbox's demo key, scoped to one business,
and agents who hold no key of their own."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.test import Client

from customers_ui.models import PartnerCredential, Team
from customers_ui.teams import services
from sandbox.demo import BUSINESS_GBP, DEMO_API_KEY, DEMO_PARTNER_UUID

TEAM_NAME = "Tier 1 UK"
TEAM_LABEL = "UK support"
ACTOR = services.Actor(name="tests")

# The key and the pieces of it that must never be shown anywhere.
TEAM_KEY = DEMO_API_KEY
KEY_PIECES = [TEAM_KEY, TEAM_KEY[:-4], TEAM_KEY[4:16]]
# Its last 4 characters on their own (as a "…9b4d" hint would show them), not inside a longer
# run of letters, digits or hyphens (a UUID or request id that happens to contain them).
LAST_FOUR = re.compile(rf"(?<![0-9A-Za-z-]){re.escape(TEAM_KEY[-4:])}(?![0-9A-Za-z-])")


def assert_no_team_key(text: str, where: str = "") -> None:
    for piece in KEY_PIECES:
        assert piece not in text, f"a piece of the team key in {where}"
    assert not LAST_FOUR.search(text), f"the team key's last 4 characters in {where}"


def make_agent(username: str) -> AbstractBaseUser:
    return get_user_model().objects.create_user(username, password="a-long-agent-password-1")


def make_team_credential(
    *,
    team_name: str = TEAM_NAME,
    label: str = TEAM_LABEL,
    scope: list[str] | None = None,
    members: tuple[AbstractBaseUser, ...] = (),
    partner_uuid: str = DEMO_PARTNER_UUID,
    api_key: str = TEAM_KEY,
) -> PartnerCredential:
    team, _ = services.team_get_or_create(name=team_name, actor=ACTOR)
    credential = services.team_credential_create(
        team=team,
        label=label,
        partner_uuid=partner_uuid,
        api_key=api_key,
        scope=scope,
        actor=ACTOR,
    )
    if members:
        services.team_members_change(team=team, add=members, actor=ACTOR)
    return credential


@pytest.fixture
def agent(db) -> AbstractBaseUser:
    return make_agent("agent-ana")


@pytest.fixture
def other_agent(db) -> AbstractBaseUser:
    return make_agent("agent-ben")


@pytest.fixture
def team_credential(agent) -> PartnerCredential:
    """The team's credential for the demo partner, scoped to the GBP business; Ana is a member."""
    return make_team_credential(scope=[BUSINESS_GBP], members=(agent,))


@pytest.fixture
def team(team_credential) -> Team:
    return team_credential.team


@pytest.fixture
def login() -> Callable[[AbstractBaseUser], Client]:
    def log_in(user: AbstractBaseUser) -> Client:
        client = Client()
        client.force_login(user)
        return client

    return log_in


@pytest.fixture
def agent_client(agent, team_credential, thredfi_sandbox, login) -> Client:
    """Ana, who holds no key of her own: only the team's credential."""
    return login(agent)
