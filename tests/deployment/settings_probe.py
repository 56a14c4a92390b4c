"""Import the settings in a fresh interpreter with a given environment, as a PaaS process would.

Settings are read once per process, so a different environment needs a different process; the
probe prints what it was asked for as JSON.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]

# Production mode with throwaway values; DATABASE_URL and REDIS_URL are left to each test.
PRODUCTION_ENV = {
    "DEBUG": "False",
    "SECRET_KEY": "probe-secret-key-0123456789abcdefghijklmnopqrstuvwxyz-ABCDEFGHIJKLMN",
    "THREDFI_BASE_URL": "https://backend.thredfi.example",
    "CREDENTIALS_ENCRYPTION_KEYS": "0YqfS7qv7r1C2o3yVsl4oYy6s3eI1n6l9D8y0f8J0WQ=",
    "ALLOWED_HOSTS": "lookup.example.com",
}


def run_python(code: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """Run `code` with the project on the path and only PATH/HOME/LANG from this process."""
    base = {k: v for k, v in os.environ.items() if k in {"PATH", "HOME", "LANG"}}
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**base, "DJANGO_SETTINGS_MODULE": "dashboard.settings", **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def settings_with(env: dict[str, str], *names: str) -> dict[str, Any]:
    """The named settings, as JSON values, under PRODUCTION_ENV updated with `env`."""
    code = (
        "import json\n"
        "from django.conf import settings\n"
        f"print(json.dumps({{n: getattr(settings, n) for n in {list(names)!r}}}, default=str))\n"
    )
    result = run_python(code, {**PRODUCTION_ENV, **env})
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])
