"""sandbox/launcher.py: the one way tests and benchmarks start, wait for and stop a process."""

from __future__ import annotations

import signal
import sys
import time

import pytest

from sandbox.launcher import Launched, LaunchError, banner, free_port, http_ok, port_open

# Every test here starts an interpreter: left out of `make test-fast`.
pytestmark = pytest.mark.processes

PRINT_THEN_WAIT = "import sys, time; print('ready at here'); sys.stdout.flush(); time.sleep(60)"


def test_waits_for_the_banner_and_captures_output() -> None:
    read = banner("ready at ")
    argv = [sys.executable, "-c", PRINT_THEN_WAIT]
    with Launched(argv, name="printer", ready=lambda process: bool(read(process))) as launched:
        assert launched.running()
        assert read(launched) == "here"
        assert "ready at here" in launched.output()
    assert not launched.running()
    launched.stop()  # idempotent


def test_a_process_that_dies_is_reported_with_its_output() -> None:
    code = "import sys; sys.stderr.write('boom: no config'); sys.exit(3)"
    launched = Launched([sys.executable, "-c", code], name="doomed", ready=lambda _: False)
    with pytest.raises(LaunchError, match=r"doomed exited with code 3(.|\n)*boom: no config"):
        launched.start()
    assert not launched.running()


def test_a_process_never_ready_is_stopped_after_the_timeout() -> None:
    launched = Launched(
        [sys.executable, "-c", "import time; time.sleep(60)"],
        name="silent",
        ready=port_open(free_port()),
        start_timeout=0.5,
    )
    with pytest.raises(LaunchError, match="silent not ready after"):
        launched.start()
    assert not launched.running()


def test_http_readiness_and_the_stop_signal(tmp_path) -> None:
    """SIGINT stops the server even when this process ignores it, as every process of a job a
    shell starts in the background (`.ci/run &`) does, and children inherit."""
    port = free_port()
    server = [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1"]
    ignored = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        launched = Launched(
            server,
            name="http.server",
            cwd=tmp_path,
            ready=http_ok(f"http://127.0.0.1:{port}/"),
            stop_signal=signal.SIGINT,
        ).start()
    finally:
        signal.signal(signal.SIGINT, ignored)
    process = launched.process
    assert process is not None
    started = time.monotonic()
    launched.stop()
    assert process.returncode is not None
    assert time.monotonic() - started < 10  # SIGINT ends it at once; 10 s is the kill fallback


def test_reading_the_output_never_overwrites_what_the_process_writes() -> None:
    """The parent and the child share the output file's offset: a parent that seeks to 0 to read
    the banner must not make the child's next write land over it. (CI once saw the banner's first
    letter replaced by a newline, so the banner never matched and a healthy sandbox timed out.)"""
    code = (
        "import sys\n"
        "print('ready at here', flush=True)\n"
        "for n in range(20000):\n"
        "    sys.stdout.write(f'line {n}\\n'); sys.stdout.flush()\n"
        "import time; time.sleep(60)\n"
    )
    read = banner("ready at ")
    with Launched(
        [sys.executable, "-c", code], name="writer", ready=lambda p: bool(read(p))
    ) as run:
        deadline = time.monotonic() + 20
        while "line 19999" not in run.output() and time.monotonic() < deadline:
            assert read(run) == "here"  # each read seeks to 0 while the child writes
        lines = run.output().splitlines()
    assert lines[0] == "ready at here"
    assert lines[1:] == [f"line {n}" for n in range(20000)]
