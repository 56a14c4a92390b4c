"""The active credential's one SQL query answers as `usable_credentials` through the ORM."""

from __future__ import annotations

import pytest
from django.test import override_settings

from customers_ui.credentials import selectors
from customers_ui.credentials.selectors import ACTIVE_CREDENTIAL_SESSION_KEY as KEY
from tests.factories import make_credential

from .conftest import make_agent, make_team_credential

pytestmark = pytest.mark.django_db


def _by_orm(user, session):
    """`active_credential` as written before issue #23's SQL."""
    credentials = selectors.usable_credentials(user=user)
    chosen = session.get(KEY)
    if chosen is not None:
        found = credentials.filter(pk=chosen).first()
        if found is not None:
            return found
    return credentials.first()


def _fields(credential):
    if credential is None:
        return None
    values = {k: v for k, v in vars(credential).items() if not k.startswith("_")}
    team = credential.team
    return values, None if team is None else {
        k: v for k, v in vars(team).items() if not k.startswith("_")
    }


@pytest.mark.parametrize("personal", [True, False])
def test_every_choice_answers_as_the_orm(agent, other_agent, personal) -> None:
    scoped = make_team_credential(label="Scoped", scope=[], members=(agent,))
    other_team = make_team_credential(team_name="Elsewhere", label="Theirs", members=())
    own = make_credential(agent, "Mine")
    foreign = make_credential(other_agent, "Not hers")
    nobody = make_agent(f"nobody-{personal}")
    choices = [None, scoped.pk, other_team.pk, own.pk, foreign.pk, 10**9, str(scoped.pk)]
    with override_settings(PERSONAL_CREDENTIALS_ALLOWED=personal):
        for chosen in choices:
            session = {} if chosen is None else {KEY: chosen}
            for user in (agent, other_agent, nobody):
                expected = _by_orm(user, session)
                got = selectors.active_credential(user=user, session=session)
                assert got == expected, (chosen, user)
                assert _fields(got) == _fields(expected)


def test_one_query_and_the_team_comes_with_it(
    agent, team_credential, django_assert_num_queries
) -> None:
    make_credential(agent, "Mine")
    with django_assert_num_queries(1):
        got = selectors.active_credential(user=agent, session={KEY: team_credential.pk})
        assert got == team_credential
        assert got.team.name == team_credential.team.name
    with django_assert_num_queries(1):  # a stale choice: still one query
        assert selectors.active_credential(user=agent, session={KEY: 10**9}).team is None
