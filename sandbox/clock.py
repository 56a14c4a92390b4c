"""The sandbox's clock: the wall clock plus an offset a test may advance (``POST /_sandbox/clock``).

Tokens and presigned URLs really expire; a test proving what happens after they do moves this
clock forward instead of sleeping through their lifetime. ``/_sandbox/reset`` sets it back.
"""

from __future__ import annotations

import threading
import time


class SandboxClock:
    """``clock()`` is the sandbox's now, in Unix seconds. Thread-safe."""

    def __init__(self) -> None:
        self._offset = 0.0
        self._lock = threading.Lock()

    def __call__(self) -> float:
        return time.time() + self._offset

    @property
    def offset(self) -> float:
        return self._offset

    def advance(self, seconds: float) -> float:
        """Move the clock ``seconds`` forward; returns the offset now in force."""
        with self._lock:
            self._offset += seconds
            return self._offset

    def reset(self) -> None:
        with self._lock:
            self._offset = 0.0
