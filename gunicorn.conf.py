"""gunicorn settings for a 2-core PaaS box (read automatically by `gunicorn dashboard.wsgi`).

A lookup spends almost all its time waiting on Thredfi, so threads, not processes, give concurrency.
Of each process's GUNICORN_THREADS, at most THREDFI_MAX_CONCURRENT + THREDFI_MAX_WAITING (16 + 8)
are ever spent on Thredfi calls (the bulkhead), so login, credentials, admin and /healthz always
find a thread, even while Thredfi hangs (see docs/deploying.md "Concurrency").
"""

import os

from dashboard.malloc_arenas import limit_malloc_arenas

# Sizing chosen by measurement (`WEB_CONCURRENCY=n GUNICORN_THREADS=m make bench`; figures in
# docs/performance.md): gthread, 2 workers x 32 threads for 2 cores and for a 512 MB PaaS dyno.
# Fewer threads than concurrent lookups queue them (2 x 8 at c=32: 137 req/s against 327); one
# worker caps lookups at its bulkhead (16 + 8) and answers "busy" at c=32; 3 or 4 workers cost
# 75-80 MB each and bought no CPU per page (5.5-6.4 ms in every sizing, same run). Sync workers
# would hold a process per 50 ms upstream wait. WEB_CONCURRENCY and GUNICORN_THREADS override.
bind = f"0.0.0.0:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "32"))

# The Thredfi client gives up after THREDFI_TOTAL_TIMEOUT (11 s by default), so a slow upstream
# ends a request well before gunicorn would kill the worker.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 20
keepalive = 5

# Import Django once in the master: workers fork ready, which keeps cold start and memory low.
preload_app = True

# Two malloc arenas per process instead of one per busy thread: ~80 MB per worker under load
# instead of 87-95 MB, same CPU per page (dashboard/malloc_arenas.py). Set here, in the master,
# before any worker or thread exists; MALLOC_ARENA_MAX in the environment overrides.
limit_malloc_arenas()

# Access log without query strings (search terms are customer data), cookies or referrers, with
# the request id that the application's lines and the error page carry too.
accesslog = "-"
errorlog = "-"
access_log_format = '%(h)s "%(m)s %(U)s" %(s)s %(B)s %(M)sms %({x-request-id}o)s'
# LOG_FORMAT as in settings: JSON lines (default when DEBUG is off) for gunicorn's lines too.
_debug = os.environ.get("DEBUG", "False").lower() in ("1", "true", "yes", "on")
if os.environ.get("LOG_FORMAT", "text" if _debug else "json") == "json":
    logger_class = "dashboard.gunicorn_logging.JsonLogger"
