"""The web server caps glibc's malloc arenas (gunicorn.conf.py, dashboard/malloc_arenas.py).

Probed in fresh interpreters: twelve threads alive together each allocate, then glibc's own
report (`malloc_info`) counts the arenas. Without the cap each thread got one (13 on this box).
"""

from __future__ import annotations

import pytest

from dashboard.malloc_arenas import limit_malloc_arenas
from tests.deployment.settings_probe import run_python

pytestmark = [pytest.mark.processes, pytest.mark.xdist_group("probes")]

THREADS = 12
ARENAS_AFTER_THREADS = f"""
import ctypes, os, runpy, tempfile, threading
if os.environ.get("LOAD_GUNICORN_CONF"):
    runpy.run_path("gunicorn.conf.py")
barrier = threading.Barrier({THREADS})
kept = []
def allocate():
    kept.append([bytes(10_000) for _ in range(50)])  # past Python's small-object allocator
    barrier.wait()  # every thread alive at once, as a gthread worker's are
threads = [threading.Thread(target=allocate) for _ in range({THREADS})]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
libc = ctypes.CDLL("libc.so.6")
libc.fopen.restype = ctypes.c_void_p
libc.fopen.argtypes = [ctypes.c_char_p, ctypes.c_char_p]
libc.malloc_info.argtypes = [ctypes.c_int, ctypes.c_void_p]
libc.fclose.argtypes = [ctypes.c_void_p]
with tempfile.NamedTemporaryFile("r", suffix=".xml") as report:
    stream = libc.fopen(report.name.encode(), b"w")
    libc.malloc_info(0, stream)
    libc.fclose(stream)
    print(report.read().count("<heap nr="))
"""


def _arenas(env: dict[str, str]) -> int:
    result = run_python(ARENAS_AFTER_THREADS, {"PORT": "8000", **env})
    assert result.returncode == 0, result.stderr
    return int(result.stdout.strip().splitlines()[-1])


def test_the_server_config_caps_the_arenas_and_the_environment_still_decides() -> None:
    assert _arenas({}) > THREADS // 2  # the probe sees one arena per thread without the cap
    assert _arenas({"LOAD_GUNICORN_CONF": "1"}) <= 2
    # An operator's MALLOC_ARENA_MAX wins over the config's two.
    assert 2 < _arenas({"LOAD_GUNICORN_CONF": "1", "MALLOC_ARENA_MAX": "5"}) <= 5


def test_the_cap_is_left_to_the_environment_when_it_sets_one(monkeypatch) -> None:
    monkeypatch.setenv("MALLOC_ARENA_MAX", "4")
    assert limit_malloc_arenas() is False
