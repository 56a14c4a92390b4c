"""gunicorn's own log lines in the same shape as the application's (LOG_FORMAT=json).

Without this, gunicorn writes Apache-style access lines and bracketed error lines, so a log drain
gets two formats and nothing ties an access line to the application lines of the same request.
`JsonLogger` writes one JSON object a line for both, on stdout, and each access line carries the
request id and user id the dashboard put in the WSGI environ (customers_ui.core.middleware).
Query strings are never logged (search terms are customer data), nor cookies or referrers.
"""

from __future__ import annotations

import json
import logging
import sys
from datetime import UTC, datetime
from typing import Any

from gunicorn.glogging import Logger

from customers_ui.core.log_records import JsonFormatter


class JsonLogger(Logger):
    def setup(self, cfg: Any) -> None:
        super().setup(cfg)
        formatter = JsonFormatter()
        for handler in self.error_log.handlers:
            if isinstance(handler, logging.StreamHandler) and handler.stream is sys.stderr:
                handler.setStream(sys.stdout)
            handler.setFormatter(formatter)

    def access(self, resp: Any, req: Any, environ: dict[str, Any], request_time: Any) -> None:
        if not self.access_log_enabled:
            return
        status = getattr(resp, "status_code", None) or str(resp.status).split(" ", 1)[0]
        line = {
            "time": datetime.now(UTC).isoformat(timespec="milliseconds"),
            "level": "INFO",
            "logger": "gunicorn.access",
            "message": f"{environ.get('REQUEST_METHOD')} {environ.get('PATH_INFO')} {status}",
            "method": environ.get("REQUEST_METHOD"),
            "path": environ.get("PATH_INFO"),
            "status": int(status),
            "bytes": getattr(resp, "sent", None),
            "duration_ms": round(request_time.total_seconds() * 1000, 1),
            "request_id": environ.get("dashboard.request_id", ""),
            "user_id": environ.get("dashboard.user_id"),
            "client_ip": environ.get("dashboard.client_ip", ""),
        }
        try:
            self.access_log.info(json.dumps(line))
        except Exception:  # a log line must never fail a response
            self.error("access log line could not be written")
