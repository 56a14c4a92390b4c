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
