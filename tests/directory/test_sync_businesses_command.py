"""`manage.py sync_businesses`: every partner with a stored credential, for a scheduler; two
processes never sync the same partner at once."""

from __future__ import annotations

import subprocess
import threading
from datetime import timedelta
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from customers_ui.directory import access, locks
from customers_ui.models import BusinessDirectory, DirectoryBusiness
from sandbox.demo import BIG_API_KEY, BIG_PARTNER_UUID, DEMO_PARTNER_UUID
from tests.factories import make_credential

from .conftest import BIG_BUSINESSES

pytestmark = [pytest.mark.django_db, pytest.mark.processes, pytest.mark.xdist_group("timing")]
ROOT = Path(__file__).resolve().parents[2]


def _run(*args: str) -> str:
    out = StringIO()
    call_command("sync_businesses", *args, stdout=out, stderr=out)
    return out.getvalue()


def test_every_partner_with_a_credential_is_synced(big_credential, alice, directory_sandbox):
    make_credential(alice, "Demo")  # the demo partner too
    output = _run()
    assert f"partner {BIG_PARTNER_UUID}: 2,500 of 2,500 businesses known (complete)" in output
    assert f"partner {DEMO_PARTNER_UUID}: 3 of 3 businesses known (complete)" in output
    assert DirectoryBusiness.objects.count() == BIG_BUSINESSES + 3
    assert access.access_proof_age(credential=big_credential) is not None


def test_stale_only_skips_fresh_directories(big_credential, directory_sandbox):
    _run()
    directory_sandbox.reset()
    assert "fresh, skipped" in _run("--stale-only")
    assert directory_sandbox.stats()["total_requests"] == 0
    yesterday = timezone.now() - timedelta(days=1)
    BusinessDirectory.objects.update(last_complete_sync_at=yesterday, sync_finished_at=yesterday)
    assert "(complete)" in _run("--stale-only")


def test_a_refused_credential_hands_over_to_a_working_one(alice, bob, directory_sandbox):
    make_credential(
        alice, "Broken", api_key="thredfi_wrong_key_0000", partner_uuid=BIG_PARTNER_UUID
    )
    make_credential(bob, "Works", api_key=BIG_API_KEY, partner_uuid=BIG_PARTNER_UUID)
    assert "(complete)" in _run("--partner", BIG_PARTNER_UUID)


def test_an_incomplete_sync_fails_the_command_so_the_scheduler_notices(
    big_credential, directory_sandbox
):
    directory_sandbox.set_outage("503")
    try:
        with pytest.raises(CommandError, match="1 directory sync"):
            _run()
    finally:
        directory_sandbox.set_outage("off")


def test_a_partner_being_synced_elsewhere_is_skipped(big_credential, directory_sandbox, settings):
    directory = BusinessDirectory.objects.create(
        partner_uuid=BIG_PARTNER_UUID, base_url=settings.THREDFI_BASE_URL
    )
    token = locks.sync_lock_acquire(directory=directory)
    try:
        assert "another process is syncing it" in _run()
    finally:
        locks.sync_lock_release(directory=directory, token=token)
    assert directory_sandbox.stats()["total_requests"] == 0


def test_the_lock_is_taken_by_one_caller_only_and_expires_by_itself(big_credential, settings):
    directory = BusinessDirectory.objects.create(
        partner_uuid=BIG_PARTNER_UUID, base_url=settings.THREDFI_BASE_URL
    )
    token = locks.sync_lock_acquire(directory=directory)
    assert token and locks.sync_lock_acquire(directory=directory) is None
    assert locks.sync_running(directory=directory)
    locks.sync_lock_release(directory=directory, token="not-the-holder")
    assert locks.sync_running(directory=directory)
    assert locks.sync_lock_extend(directory=directory, token=token)
    assert not locks.sync_lock_extend(directory=directory, token="not-the-holder")
    locks.sync_lock_release(directory=directory, token=token)
    assert not locks.sync_running(directory=directory)


def test_no_stored_credentials_means_nothing_to_do(db):
    assert "No stored credentials" in _run()


@pytest.fixture
def slow_sandbox(big_sandbox):
    """100 ms a page, one page at a time: a sync takes ~2.5 s, so two processes overlap. The
    directory tests' sandbox (2,500 businesses), slowed through its control route."""
    big_sandbox.reset()
    big_sandbox.configure(latency_ms=100)
    yield big_sandbox
    big_sandbox.reset()


def test_two_processes_never_sync_the_same_partner_at_once(
    tmp_path, slow_sandbox, dashboard_template
):
    """Two `sync_businesses` at once, as two scheduler jobs or machines would: one syncs, the
    other sees the lock in the shared cache and skips; the list is read once, not twice."""
    from bench.harness import Dashboard, run_manage

    dashboard = Dashboard(thredfi_base_url=slow_sandbox.base_url, workdir=tmp_path)
    env = {
        **dashboard.env,
        "BUSINESS_DIRECTORY_FETCHES": "1",
        "THREDFI_ALLOW_INSECURE_HTTP": "True",
    }

    def manage(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
        return run_manage(env, *args, stdin=stdin)

    # The session's migrated database, where zoe holds the big partner (tests/dashboards.py).
    dashboard_template.provision(dashboard)
    slow_sandbox.reset()
    slow_sandbox.configure(latency_ms=100)  # reset() undid it

    results: list[subprocess.CompletedProcess[str]] = []
    runs = [
        threading.Thread(
            target=lambda: results.append(manage("sync_businesses", "--partner", BIG_PARTNER_UUID))
        )
        for _ in "ab"
    ]
    for run in runs:
        run.start()
    for run in runs:
        run.join()

    outputs = sorted(r.stdout + r.stderr for r in results)
    assert [r.returncode for r in results] == [0, 0], outputs
    assert sum("another process is syncing it" in o for o in outputs) == 1, outputs
    assert sum("2,500 of 2,500 businesses known (complete)" in o for o in outputs) == 1, outputs
    assert slow_sandbox.stats()["requests"]["list_businesses"] == 25
