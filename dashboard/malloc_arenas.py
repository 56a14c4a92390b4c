"""Cap glibc's malloc arenas in the web server, where 32 threads per worker would each get one.

glibc gives every thread that allocates while the others hold arenas an arena of its own (up to
eight per core) and keeps what was freed in it for that arena's next use. A gthread worker's
threads are long-lived, so under load each held its own: RSS per worker grew from ~70 MB after
the first page to 87-95 MB at 32 concurrent pages, against ~80 MB with two arenas, for the same
CPU per page (measured 2026-12-08, bench/RESULTS.md). Python objects under 512 bytes come from
Python's own allocator and are not affected; the larger ones (page text, JSON, SQL rows) are.

`MALLOC_ARENA_MAX` in the environment does the same and wins: glibc read it when the process
started, and this leaves it alone. Elsewhere than glibc (musl, macOS) this does nothing.
"""

from __future__ import annotations

import ctypes
import os

M_ARENA_MAX = -8  # glibc's mallopt() parameter number (malloc.h)
DEFAULT_ARENAS = 2


def limit_malloc_arenas(count: int = DEFAULT_ARENAS) -> bool:
    """Cap this process's arenas (and its forks'): True when the cap was set here.

    Call it before any thread exists (gunicorn.conf.py runs in the master, before the workers
    fork and start their threads): arenas already made are kept.
    """
    if "MALLOC_ARENA_MAX" in os.environ:
        return False
    try:
        mallopt = ctypes.CDLL("libc.so.6").mallopt
    except (OSError, AttributeError):  # not glibc
        return False
    return bool(mallopt(M_ARENA_MAX, count))
