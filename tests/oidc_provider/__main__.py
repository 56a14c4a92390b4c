"""``python -m tests.oidc_provider``: bind, configure Django, migrate, print the URL, serve.

The socket is bound before Django loads because the issuer (a setting) needs the port, and
``--port 0`` lets the OS pick a free one with no race. The first stdout line is the banner the
test helper waits for; nothing else is printed to stdout.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import secrets
import signal
import sys
import tempfile
from collections.abc import Sequence
from types import FrameType

BANNER_PREFIX = "OIDC provider listening on "
ISSUER_PATH = "/o"


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m tests.oidc_provider",
        description="A throwaway OpenID Connect provider for tests. Environment: "
        "OIDC_PROVIDER_CONTROL_SECRET (bearer secret of the /_control/ API; generated and shown "
        "on stderr if unset), OIDC_PROVIDER_DATA_DIR (where the SQLite file goes; a temporary "
        "directory if unset).",
    )
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0, help="0 picks a free port (printed)")
    parser.add_argument("--verbose", action="store_true", help="log every request to stderr")
    return parser.parse_args(argv)


def _stop_on_sigterm(signum: int, frame: FrameType | None) -> None:
    """SIGTERM (what the helper sends) unwinds like Ctrl-C, so temporary files are removed."""
    raise KeyboardInterrupt


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    signal.signal(signal.SIGTERM, _stop_on_sigterm)

    from django.core.servers.basehttp import ThreadedWSGIServer, WSGIRequestHandler

    server = ThreadedWSGIServer((args.host, args.port), WSGIRequestHandler)
    base_url = f"http://{args.host}:{server.server_address[1]}"
    with contextlib.ExitStack() as cleanup:
        cleanup.callback(server.server_close)
        data_dir = os.environ.get("OIDC_PROVIDER_DATA_DIR") or cleanup.enter_context(
            tempfile.TemporaryDirectory(prefix="oidc-provider-")
        )
        if not os.environ.get("OIDC_PROVIDER_CONTROL_SECRET"):
            os.environ["OIDC_PROVIDER_CONTROL_SECRET"] = secrets.token_urlsafe(32)
            print(
                f"control secret: {os.environ['OIDC_PROVIDER_CONTROL_SECRET']}",
                file=sys.stderr,
                flush=True,
            )
        os.environ.update(
            {
                "OIDC_PROVIDER_ISSUER": base_url + ISSUER_PATH,
                "OIDC_PROVIDER_DATA_DIR": data_dir,
                "OIDC_PROVIDER_VERBOSE": "1" if args.verbose else "",
                # Unconditionally ours: the parent (pytest) exports the dashboard's settings.
                "DJANGO_SETTINGS_MODULE": "tests.oidc_provider.settings",
            }
        )

        import django
        from django.core.management import call_command
        from django.core.wsgi import get_wsgi_application

        django.setup()
        call_command("migrate", interactive=False, run_syncdb=True, verbosity=0)
        server.set_app(get_wsgi_application())
        print(BANNER_PREFIX + base_url, flush=True)
        with contextlib.suppress(KeyboardInterrupt):
            server.serve_forever()
    return 0


if __name__ == "__main__":
    sys.exit(main())
