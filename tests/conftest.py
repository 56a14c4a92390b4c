"""Fixtures shared by every test: built static files, a clean cache, the sandbox and the OpenID
Connect provider over real HTTP."""

from __future__ import annotations

from collections.abc import Iterator

import pytest


@pytest.fixture(scope="session", autouse=True)
def _static_files_built() -> None:
    """Templates use whitenoise's manifest storage, exactly as in production: build it once."""
    from django.conf import settings
    from django.core.management import call_command

    if not settings.configured:  # e.g. `pytest -p no:django tests/thredfi`
        return
    call_command("collectstatic", "--noinput", verbosity=0)


@pytest.fixture(scope="session", autouse=True)
def _flush_may_empty_the_audit_trail() -> Iterator[None]:
    """Transactional tests end with Django's `flush`, a TRUNCATE of every table, which the audit
    trail's PostgreSQL triggers refuse (migration 0007). Between tests only, the flush switches
    those triggers off around its TRUNCATE, as the table owner may (docs/operations.md); the
    tests of the triggers themselves run with them on."""
    from django.conf import settings

    if not settings.configured:
        yield
        return
    from django.db.backends.postgresql.operations import DatabaseOperations

    original = DatabaseOperations.sql_flush
    guarded = ("customers_ui_lookupevent", "customers_ui_signinevent", "customers_ui_auditpurge")

    def sql_flush(self, style, tables, *, reset_sequences=False, allow_cascade=False):
        statements = original(
            self, style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade
        )
        present = [table for table in guarded if table in tables]
        if not statements or not present:
            return statements
        off = [f"ALTER TABLE {table} DISABLE TRIGGER USER;" for table in present]
        on = [f"ALTER TABLE {table} ENABLE TRIGGER USER;" for table in present]
        return [*off, *statements, *on]

    DatabaseOperations.sql_flush = sql_flush
    yield
    DatabaseOperations.sql_flush = original


@pytest.fixture(autouse=True)
def _fast_password_hashing(request: pytest.FixtureRequest) -> None:
    """Production-strength hashing costs ~0.4 s per user; tests only need it to be a hash."""
    from django.conf import settings

    if settings.configured:
        django_settings = request.getfixturevalue("settings")
        django_settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fresh_caches(request: pytest.FixtureRequest) -> Iterator[None]:
    """Every test starts as a fresh process would: no tokens, no business metadata, no lockouts,
    a Thredfi guard of its own, and Redis presumed up.

    In-process, the guard reads the shared breaker state once, on the test's first Thredfi call,
    and not again every second: that read is a database query with the database cache, and a
    once-a-second query would make the page query budgets below depend on how fast the machine
    is. (Cross-process sharing of the breaker is tested with real processes in
    tests/resilience/test_outage.py.)
    """
    from django.conf import settings

    if not settings.configured:
        yield
        return
    from customers_ui.core.fail_soft_cache import forget_shared_cache_failures
    from customers_ui.upstream import guards
    from customers_ui.upstream.caching import clear_local_copies

    django_settings = request.getfixturevalue("settings")
    django_settings.THREDFI_BREAKER_STATE_REFRESH_SECONDS = 600
    guards._guards.clear()
    clear_local_copies()
    forget_shared_cache_failures()
    if settings.REDIS_URL:
        # The database cache is rolled back with each test; Redis outlives tests, so empty it.
        from django.core.cache import cache

        cache.clear()
    yield
    clear_local_copies()


@pytest.fixture(scope="session")
def sandbox() -> Iterator[object]:
    """One sandbox process for the session, on a free loopback port."""
    from sandbox.testing import SandboxProcess

    with SandboxProcess(hang_seconds=6, document_ttl=2) as process:
        yield process


@pytest.fixture(scope="session")
def oidc_provider_process() -> Iterator[object]:
    """A real OpenID Connect provider (tests/oidc_provider), started once (about a second);
    tests add their own users and clients, so sharing it is safe."""
    from tests.oidc_provider.process import OIDCProviderProcess

    with OIDCProviderProcess() as provider:
        yield provider


@pytest.fixture
def oidc_provider(oidc_provider_process):
    """The shared provider, issuing correct tokens when the test starts and again after it."""
    oidc_provider_process.behave()
    yield oidc_provider_process
    oidc_provider_process.behave()


@pytest.fixture
def thredfi_sandbox(sandbox, settings):
    """Point the dashboard at the sandbox with short timeouts; counters start at zero."""
    settings.THREDFI_BASE_URL = sandbox.base_url
    settings.THREDFI_READ_TIMEOUT = 2.0
    settings.THREDFI_TOTAL_TIMEOUT = 3.0
    sandbox.reset()
    return sandbox


@pytest.fixture
def support_user(db):
    from tests.factories import make_user

    return make_user("ada")


@pytest.fixture
def alice(db):
    from tests.factories import make_user

    return make_user("alice")


@pytest.fixture
def bob(db):
    from tests.factories import make_user

    return make_user("bob")


@pytest.fixture
def credential(support_user):
    """Ada's credential for the sandbox's demo partner (her default)."""
    from tests.factories import make_credential

    return make_credential(support_user)


@pytest.fixture
def staff_client(client, support_user, credential, thredfi_sandbox):
    """A logged-in support user holding the sandbox's demo partner credential."""
    client.force_login(support_user)
    return client
