"""GET /businesses/status/: the progress bar's poll, in numbers and in words."""

from __future__ import annotations

import pytest

from customers_ui.directory.selectors import DirectoryStatus
from customers_ui.models import BusinessDirectory

from .conftest import run_jobs

pytestmark = pytest.mark.django_db


def test_while_filling_then_complete(big_client, background_jobs):
    big_client.get("/")
    filling = big_client.get("/businesses/status/").json()
    assert filling == {
        "known": 100,
        "upstream": 2_500,
        "total": 2_500,
        "running": True,
        "filling": True,
        "partial": False,
        "complete": False,
        "text": "100 of 2,500 businesses",
    }
    run_jobs(background_jobs)
    done = big_client.get("/businesses/status/").json()
    assert done["complete"] and not done["filling"] and not done["running"]
    assert done["text"] == "2,500 of 2,500 businesses"


def test_a_sync_that_stopped_short_is_partial(big_client, background_jobs, directory_sandbox):
    big_client.get("/")
    directory_sandbox.set_outage("503")
    run_jobs(background_jobs)
    directory_sandbox.set_outage("off")
    status = big_client.get("/businesses/status/").json()
    assert status["partial"] and not status["complete"]
    assert status["text"] == "100 of 2,500 businesses"
    assert BusinessDirectory.objects.get().last_error


def test_the_status_needs_a_login(client, db):
    response = client.get("/businesses/status/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize(
    ("known", "upstream", "running", "ever", "state"),
    [
        (0, None, True, False, "filling"),
        (12_400, 25_000, True, False, "filling"),
        (12_400, 25_000, False, False, "partial"),
        (24_000, 25_000, False, True, "partial"),  # a refresh found more than it could read
        (25_000, 25_000, True, True, "complete"),  # refreshing: the old directory serves
        (25_000, 25_000, False, True, "complete"),
    ],
)
def test_states(known, upstream, running, ever, state):
    from django.utils import timezone

    status = DirectoryStatus(
        known=known,
        upstream=upstream,
        running=running,
        last_complete_sync_at=timezone.now() if ever else None,
        last_error="",
    )
    assert status.as_json()[state] is True
    assert sum(status.as_json()[s] for s in ("filling", "partial", "complete")) == 1


def test_progress_words():
    status = DirectoryStatus(12_400, 25_000, True, None, "")
    assert status.progress_text == "12,400 of 25,000 businesses"
    assert (status.total, status.percent) == (25_000, 49)
    assert DirectoryStatus(7, None, True, None, "").progress_text == "7 businesses"


def _scoped_agent_client(client, scope: list[str]):
    """An agent whose only credential is a team's, for the big partner, scoped to `scope`."""
    from sandbox.demo import BIG_API_KEY, BIG_PARTNER_UUID
    from tests.teams.conftest import make_agent, make_team_credential

    agent = make_agent("agent-scoped")
    make_team_credential(
        team_name="Tier 2 EU",
        label="EU escalations",
        scope=scope,
        members=(agent,),
        partner_uuid=BIG_PARTNER_UUID,
        api_key=BIG_API_KEY,
    )
    client.force_login(agent)
    return client


def test_a_scoped_credential_sees_progress_over_its_own_businesses(
    client, directory_sandbox, background_jobs
):
    """The partner-wide sync serves everyone, but an agent limited to three of the partner's
    2,500 businesses is told about those three: "1 of 3", never the partner's size (which the
    scope exists to keep from them)."""
    from sandbox.big_partner import business_id

    first_page, later, last = business_id(42, 0), business_id(42, 1_200), business_id(42, 2_300)
    scoped = _scoped_agent_client(client, [first_page, later, last])

    scoped.get("/")  # the first page (100 businesses, one of the three) is stored; sync queued
    filling = scoped.get("/businesses/status/").json()
    assert (filling["known"], filling["upstream"], filling["total"]) == (1, 3, 3)
    assert filling["filling"] and filling["text"] == "1 of 3 businesses"
    page = scoped.get("/businesses/", {"q": "zzzz-nothing"}).content.decode()
    assert "2,500" not in page and "100 of" not in page

    run_jobs(background_jobs)
    done = scoped.get("/businesses/status/").json()
    assert done["complete"] and done["text"] == "3 of 3 businesses"


@pytest.mark.parametrize(
    ("known", "of_scope", "running", "state"),
    [
        (1, 3, True, "filling"),
        (1, 3, False, "partial"),  # the sync stopped short of two of the scope's businesses
        (3, 3, True, "complete"),  # all of the scope known: nothing to wait for
        (3, 3, False, "complete"),  # even if the partner's list was never read whole
    ],
)
def test_states_within_a_scope(known, of_scope, running, state):
    status = DirectoryStatus(known, of_scope, running, None, "", within_scope=True)
    assert status.as_json()[state] is True
    assert sum(status.as_json()[s] for s in ("filling", "partial", "complete")) == 1
