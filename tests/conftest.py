"""Fixtures shared by every test: built static files, a clean cache, the sandbox and the OpenID
Connect provider over real HTTP; the markers and xdist groups of docs/testing.md."""

from __future__ import annotations

import fcntl
import hashlib
import os
import threading
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

ROOT = Path(__file__).resolve().parents[1]

# Fixtures that start a process beyond the session's sandboxes: a test using one is `processes`
# (left out of `make test-fast`) whatever file it is in.
OIDC_FIXTURES = frozenset({"oidc_provider", "oidc_provider_process"})
PROCESS_FIXTURES = OIDC_FIXTURES | {"live_app", "big_partner_app", "dashboard_template"}


def xdist_worker() -> str:
    """This pytest-xdist worker's name (gw0, gw1, ...); empty in a plain run."""
    return os.environ.get("PYTEST_XDIST_WORKER", "")


def run_temp_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The temporary directory of this whole run: shared by its xdist workers (each worker's
    basetemp is ``<run's basetemp>/popen-gw<n>``), fresh for every run."""
    basetemp = tmp_path_factory.getbasetemp()
    return basetemp.parent if xdist_worker() else basetemp


def pytest_configure(config: pytest.Config) -> None:
    config.pluginmanager.register(_LongestFirst(), "longest-first")
    if not xdist_worker():
        _shared_cache_answers_or_exit()
    _redis_database_per_worker()


def _shared_cache_answers_or_exit() -> None:
    """Stop the run, with one line that says why, when REDIS_URL names a server that does not
    accept connections: otherwise each test's cache reset falls back to the database cache and
    hundreds of tests error with "Database access not allowed", which never mentions Redis.
    Only a TCP connect (a rediss:// server's certificate is the settings' business), and only
    host and port are printed: the URL may carry a password."""
    import socket

    url = os.environ.get("REDIS_URL", "")
    if not url:
        return
    parts = urlsplit(url)
    address = (parts.hostname or "127.0.0.1", parts.port or 6379)
    try:
        socket.create_connection(address, timeout=2).close()
    except OSError as error:
        pytest.exit(
            f"REDIS_URL ({address[0]}:{address[1]}) is not answering ({error.strerror or error}):"
            " start that Redis, or unset REDIS_URL to test on the database cache",
            returncode=pytest.ExitCode.USAGE_ERROR,
        )


@pytest.hookimpl(tryfirst=True)  # before the test's fixtures start any process
def pytest_runtest_setup(item: pytest.Item) -> None:
    """Under xdist, each worker takes the CPU priority of the group it is running (the processes
    its tests start inherit it):

    - ``timing``: the normal priority. Its bounds are taken on servers that the other workers'
      load must not starve (a refused connection seen as a timeout, a sampler too slow for its
      count, a breaker window outlived);
    - ``browser``: nice +5. It is the longest group on one worker, so it is the run's critical
      path: it must stay ahead of the work that can go anywhere;
    - everything else: ``SCHED_IDLE``. It gets the CPU that the two above leave, such as the
      seconds `timing` spends waiting for an outage window, and almost none of what they use.
      So a third worker fills those gaps without slowing the two groups (docs/testing.md).

    The policy only ever goes down the list: a worker that finished `timing` or `browser` goes
    on with single tests at the idle policy.
    """
    global _PRIORITY
    if not xdist_worker():
        return
    wanted = _GROUP_PRIORITY.get(_xdist_group_name(item), _IDLE)
    if wanted <= _PRIORITY:
        return
    if wanted == _BROWSER:
        os.nice(5)
    elif hasattr(os, "SCHED_IDLE"):
        os.sched_setscheduler(0, os.SCHED_IDLE, os.sched_param(0))
    else:  # not Linux: the lowest nice value is the nearest thing
        os.nice(19 - os.nice(0))
    _PRIORITY = wanted


# How far down each worker has gone (it never comes back up): normal, nice +5, idle.
_NORMAL, _BROWSER, _IDLE = 0, 1, 2
_GROUP_PRIORITY = {"timing": _NORMAL, "browser": _BROWSER}
_PRIORITY = _NORMAL


def _redis_database_per_worker() -> None:
    """Under xdist each worker gets a Redis database of its own (REDIS_URL's number + the
    worker's): every test empties the cache it uses (FLUSHDB), which must not empty the
    neighbour's mid-test. Worker subprocesses (gunicorn, manage.py) inherit the changed URL."""
    worker = xdist_worker()
    redis_url = os.environ.get("REDIS_URL", "")
    if not (worker and redis_url):
        return
    parts = urlsplit(redis_url)
    number = int(parts.path.lstrip("/") or 0) + int(worker.removeprefix("gw"))
    os.environ["REDIS_URL"] = urlunsplit(parts._replace(path=f"/{number}"))
    from django.conf import settings

    if settings.configured:
        from dashboard.backing_services import redis_cache_config

        settings.REDIS_URL = os.environ["REDIS_URL"]
        settings.CACHES = {
            "default": redis_cache_config(
                settings.REDIS_URL, ssl_cert_reqs=settings.REDIS_SSL_CERT_REQS
            )
        }


@pytest.hookimpl(tryfirst=True)  # before xdist reads the groups
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Markers from fixtures, and xdist groups (`--dist loadgroup`), unless a module names its
    own group:

    - ``browser``: every browser test on one worker: one Chromium, one Playwright driver and one
      set of live dashboards a run (split by module, two workers each started their own: ~6 s
      of CPU), while the `timing` group runs on another;
    - ``oidc``: the tests of the OpenID Connect provider's process share one (started once);
    - ``processes-<module>``: a module that starts servers keeps them on one worker (they start
      once; the worker's `<DATABASE_URL>_e2e` database and sandbox settings are its alone);
    - ``timing``: modules whose assertions depend on timing (outage windows, "under a second"
      while loaded) declare it and run one after another on one worker, never beside each other.
    """
    loadgroup = _loadgroup(config)
    for item in items:
        if PROCESS_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.processes)
        own = item.get_closest_marker("xdist_group")
        if own is not None:
            group: str | None = _xdist_group_name(item)
        elif item.get_closest_marker("browser"):
            group = "browser"
        elif OIDC_FIXTURES & set(getattr(item, "fixturenames", ())):
            group = "oidc"
        elif item.get_closest_marker("processes"):
            group = f"processes-{item.path.stem}"
        else:
            group = None
        if group == "timing":
            item.add_marker(pytest.mark.slow)  # seconds of load, outages and recoveries each
        if group is not None:
            if own is None:
                item.add_marker(pytest.mark.xdist_group(group))
            if loadgroup:
                _join_xdist_group(item, group)


class _LongestFirst:
    """The order `--dist loadgroup --no-loadscope-reorder` hands work out in: the longest unit
    first (the serial `timing` group: its waits leave CPU for the other workers, so it starts at
    once), then the browser group, the other process groups, and last the single tests that
    even out the workers' ends (`slow` ones first). sort() is stable: a module's tests keep
    their order, and pytest-django's (its database tests first) holds within each rank."""

    @pytest.hookimpl(trylast=True)  # after pytest-django's sort, which would undo this one
    def pytest_collection_modifyitems(self, config: pytest.Config, items: list[pytest.Item]):
        if _loadgroup(config):
            items.sort(key=_scheduling_rank)


def _loadgroup(config: pytest.Config) -> bool:
    """Whether xdist schedules by group (`--dist loadgroup`; False without xdist)."""
    return hasattr(config.option, "loadgroup") and bool(config.getvalue("loadgroup"))


_FIRST_GROUPS = ("timing", "browser", "oidc", "probes", "processes-")


def _xdist_group_name(item: pytest.Item) -> str:
    group = item.get_closest_marker("xdist_group")
    return str(group.args[0] if group.args else group.kwargs.get("name")) if group else ""


def _scheduling_rank(item: pytest.Item) -> int:
    name = _xdist_group_name(item)
    ungrouped = len(_FIRST_GROUPS) + (item.get_closest_marker("slow") is None)
    return next(
        (rank for rank, prefix in enumerate(_FIRST_GROUPS) if name.startswith(prefix)), ungrouped
    )


def _join_xdist_group(item: pytest.Item, group: str) -> None:
    """Give the test the "<nodeid>@<group>" id that `--dist loadgroup` schedules by.

    pytest-xdist 3.8 does this by assigning ``item._nodeid``, which pytest 9 no longer reads
    (the id lives in ``item._id``): without this, groups are silently ignored and a module's
    tests scatter over both workers, each starting the module's servers again.
    """
    if item.nodeid.endswith(f"@{group}") or not hasattr(item, "_id"):
        return  # xdist managed (older pytest), or a pytest whose ids we do not know
    from _pytest.nodeid import NodeId

    grouped = f"{item.nodeid}@{group}"
    parsed = NodeId.parse(grouped)
    item._id = parsed if str(parsed) == grouped else grouped


def _static_sources_fingerprint() -> str:
    """What collectstatic's output depends on: our static files, the storage that minifies and
    hashes them, and the Django and whitenoise releases (the admin's files, the compressors)."""
    from importlib.metadata import version

    from django.conf import settings

    digest = hashlib.sha256(f"{version('django')} {version('whitenoise')}".encode())
    storage_module = Path(__file__).resolve().parents[1] / "dashboard" / "static_storage.py"
    sources = [storage_module]
    for directory in settings.STATICFILES_DIRS:
        sources += sorted(path for path in Path(directory).rglob("*") if path.is_file())
    for path in sources:
        digest.update(str(path).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


@pytest.fixture(scope="session", autouse=True)
def _static_files_built(request: pytest.FixtureRequest, tmp_path_factory) -> None:
    """Templates use whitenoise's manifest storage, exactly as in production: build it once per
    run, or not at all when STATIC_ROOT already holds a build of these very sources (~2.5 s of
    brotli saved on every run after the first). xdist workers take a lock in the run's temporary
    directory (never in STATIC_ROOT, which is served); the first builds, the others find its
    stamp. Under xdist the controller has usually built it while the workers started."""
    from django.conf import settings

    if not settings.configured:  # e.g. `pytest -p no:django tests/thredfi`
        return
    _build_static_files_once(run_temp_dir(tmp_path_factory), request.config)
    # A worker whose storage was set up before the manifest existed (another worker was still
    # building it) holds an empty one: read it again, or every page fails on a fresh clone.
    from django.contrib.staticfiles.storage import staticfiles_storage

    manifest = staticfiles_storage.load_manifest()
    staticfiles_storage.hashed_files, staticfiles_storage.manifest_hash = manifest


def _build_static_files_once(shared: Path, config: pytest.Config) -> None:
    from django.conf import settings
    from django.core.management import call_command

    with open(shared / "collectstatic.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        stamp = shared / "collectstatic.done"
        if not stamp.exists():
            fingerprint, key = _static_sources_fingerprint(), "dashboard/staticfiles-fingerprint"
            cache = getattr(config, "cache", None)  # None under -p no:cacheprovider
            built = (Path(settings.STATIC_ROOT) / "staticfiles.json").exists()
            if not (built and cache is not None and cache.get(key, "") == fingerprint):
                call_command("collectstatic", "--noinput", verbosity=0)
                if cache is not None:
                    cache.set(key, fingerprint)
            stamp.touch()


@pytest.hookimpl(tryfirst=True)  # before xdist's own sessionstart starts the workers
def pytest_sessionstart(session: pytest.Session) -> None:
    """The xdist controller builds the static files in a thread while its workers start and
    collect (~2-4 s each), instead of a worker building them while the others wait on the lock
    (a fresh clone: ~2.5 s of brotli). Should the thread fail, the first worker builds them."""
    config = session.config
    if xdist_worker() or not getattr(config.option, "numprocesses", None):
        return
    from django.conf import settings

    if not settings.configured:
        return
    shared = run_temp_dir(config._tmp_path_factory)
    builder = threading.Thread(
        target=_build_static_files_once, args=(shared, config), name="collectstatic", daemon=True
    )
    builder.start()
    config.stash[_STATIC_BUILDER] = builder


def pytest_sessionfinish(session: pytest.Session) -> None:
    builder = session.config.stash.get(_STATIC_BUILDER, None)
    if builder is not None:
        builder.join()


_STATIC_BUILDER = pytest.StashKey[threading.Thread]()


@pytest.fixture(scope="session", autouse=True)
def _static_files_indexed_once(_static_files_built: None) -> Iterator[None]:
    """WhiteNoise's middleware reads every file under STATIC_ROOT when it is created (~270
    files, their compressed variants, headers: 25-60 ms). A server creates it once per process;
    Django's test client creates the whole middleware stack for every `Client`, i.e. for nearly
    every view test (~1,000 a run: tens of CPU seconds). The files do not change after
    `_static_files_built`, so the index is read once per session and copied for each instance,
    keyed by everything that shapes a file's headers (a test overriding WHITENOISE_* settings
    gets an index of its own). Serving is unchanged: the same StaticFile objects, the same
    lookups; gunicorn tests build their own, as production does."""
    try:
        from whitenoise.base import WhiteNoise
    except ImportError:  # e.g. `pytest -p no:django tests/thredfi` in a runtime-only venv
        yield
        return
    original = WhiteNoise.update_files_dictionary
    indexes: dict[tuple, dict] = {}

    def update_files_dictionary(self, root, prefix):
        key = (
            type(self), root, prefix, self.max_age, self.allow_all_origins, self.charset,
            self.index_file, self.add_headers_function, repr(self.media_types.types_map),
            getattr(self.immutable_file_test, "__func__", self.immutable_file_test),
            getattr(self, "static_prefix", None),
        )  # fmt: skip
        index = indexes.get(key)
        if index is None:
            before = dict(self.files)
            original(self, root, prefix)
            index = indexes[key] = {
                url: found for url, found in self.files.items() if before.get(url) is not found
            }
        self.files.update(index)

    WhiteNoise.update_files_dictionary = update_files_dictionary
    yield
    WhiteNoise.update_files_dictionary = original


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
def retry_pauses(request: pytest.FixtureRequest) -> list[float]:
    """The Thredfi client backs off 0.1-0.4 s between retries; in-process tests record the
    pauses instead of sleeping them (the retries, their count and the deadline still run)."""
    from django.conf import settings

    pauses: list[float] = []
    if settings.configured:
        from customers_ui.upstream import clients

        request.getfixturevalue("monkeypatch").setattr(clients, "retry_pause", pauses.append)
    return pauses


@pytest.fixture(autouse=True)
def _fast_password_hashing(request: pytest.FixtureRequest) -> None:
    """Production-strength hashing costs ~0.4 s per user; tests only need it to be a hash."""
    from django.conf import settings

    if settings.configured:
        django_settings = request.getfixturevalue("settings")
        django_settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fast_recovery_code_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each recovery code costs 50,000 PBKDF2 rounds (~10 ms; a code set is ten): ~3.5 s of a
    run's CPU in the tests that make codes. In-process tests only need the same hash on both
    sides; servers the tests start keep the real count, and
    tests/security/test_second_factor_at_rest.py pins the production value."""
    from customers_ui.core import crypto

    monkeypatch.setattr(crypto, "RECOVERY_CODE_HASH_ITERATIONS", 2)


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


@pytest.fixture(scope="session", autouse=True)
def _no_connection_outlives_the_test_database(request: pytest.FixtureRequest) -> Iterator[None]:
    """On PostgreSQL, end every connection to this worker's test database before Django drops
    it. A thread a test started (a load generator, a token fetch) may keep a pooled connection
    it never hands back; DROP DATABASE then failed with "being accessed by other users" after
    seconds of waiting, and left the database behind."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        yield
        return
    request.getfixturevalue("django_db_setup")  # so this teardown runs before its own
    yield
    import psycopg
    from django.db import connections

    name = connections["default"].settings_dict["NAME"]
    connections.close_all()
    connections["default"].close_pool()
    admin_url = urlsplit(url)._replace(path="/postgres").geturl()
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = %s AND pid <> pg_backend_pid()",
            [name],
        )


@pytest.fixture(scope="session")
def dashboard_template(tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    """The session's migrated, seeded database, copied for each gunicorn dashboard
    (`dashboard_template.provision(dashboard)` instead of `dashboard.prepare()`)."""
    from tests.dashboards import DatabaseTemplate

    template = DatabaseTemplate(run_temp_dir(tmp_path_factory) / "dashboard-template")
    yield template
    template.drop()


@pytest.fixture(scope="session")
def sandbox() -> Iterator[object]:
    """One sandbox process for the session, on a free loopback port."""
    from sandbox.testing import SandboxProcess

    with SandboxProcess(hang_seconds=6, document_ttl=2) as process:
        yield process


@pytest.fixture(scope="session")
def big_sandbox() -> Iterator[object]:
    """A second sandbox whose big partner has 2,500 businesses (its Zephyr business the last of
    them): the directory tests' and the browser's directory pages'. A process of its own because
    the size decides where the data lies; everything else is set through its control routes."""
    from sandbox.testing import SandboxProcess

    with SandboxProcess(big_partner_businesses=2_500, hang_seconds=5) as process:
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
    # Short enough that a hung upstream costs a test half a second, long enough for any real
    # answer of the sandbox on a busy machine (milliseconds; the slowest, a search of the 25,000
    # businesses, takes ~50 ms when both cores are busy).
    settings.THREDFI_READ_TIMEOUT = 0.5
    settings.THREDFI_TOTAL_TIMEOUT = 1.0
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
