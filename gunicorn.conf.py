"""gunicorn settings for a 2-core PaaS box (read automatically by `gunicorn dashboard.wsgi`).

A lookup spends almost all its time waiting on Thredfi, so threads, not processes, give concurrency:
WEB_CONCURRENCY processes x GUNICORN_THREADS threads = lookups in flight at once (see README).
"""

import os

bind = f"0.0.0.0:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "16"))

# The Thredfi client gives up after THREDFI_TOTAL_TIMEOUT (11 s by default), so a slow upstream
# ends a request well before gunicorn would kill the worker.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 20
keepalive = 5

# Import Django once in the master: workers fork ready, which keeps cold start and memory low.
preload_app = True

# Access log without query strings (search terms are customer data), cookies or referrers.
accesslog = "-"
errorlog = "-"
access_log_format = '%(h)s "%(m)s %(U)s" %(s)s %(B)s %(M)sms'
