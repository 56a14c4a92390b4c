"""gunicorn settings for a 2-core PaaS box (read automatically by `gunicorn dashboard.wsgi`).

A lookup spends almost all its time waiting on Thredfi, so threads, not processes, give concurrency.
Of each process's GUNICORN_THREADS, at most THREDFI_MAX_CONCURRENT + THREDFI_MAX_WAITING (16 + 8)
are ever spent on Thredfi calls (the bulkhead), so login, credentials, admin and /healthz always
find a thread, even while Thredfi hangs (see docs/deploying.md "Concurrency").
"""

import os

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

# Access log without query strings (search terms are customer data), cookies or referrers, with
# the request id that the application's lines and the error page carry too.
accesslog = "-"
errorlog = "-"
access_log_format = '%(h)s "%(m)s %(U)s" %(s)s %(B)s %(M)sms %({x-request-id}o)s'
# LOG_FORMAT as in settings: JSON lines (default when DEBUG is off) for gunicorn's lines too.
_debug = os.environ.get("DEBUG", "False").lower() in ("1", "true", "yes", "on")
if os.environ.get("LOG_FORMAT", "text" if _debug else "json") == "json":
    logger_class = "dashboard.gunicorn_logging.JsonLogger"
