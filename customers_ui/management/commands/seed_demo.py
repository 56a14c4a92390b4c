"""Development only (`make demo`): a demo user with a working credential for the local sandbox.

Idempotent, so `make demo` can run it every time: an existing user keeps their password, and the
demo credential is put back to the sandbox's demo key if it was changed (`credential_store`).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from customers_ui.credentials import services

DEMO_LABEL = "Sandbox demo partner"


class Command(BaseCommand):
    help = "Create the demo user and its sandbox credential (development only; needs DEBUG=True)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--username", default="demo")
        parser.add_argument("--password", default="demo", help="Set only when the user is new.")

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG:
            # A well-known username/password pair must never appear on a real deployment.
            raise CommandError("seed_demo creates a demo/demo login: it only runs with DEBUG=True.")
        # Dev-only dependency: the sandbox is not needed to run the dashboard itself.
        from sandbox.demo import DEMO_API_KEY, DEMO_PARTNER_UUID

        username: str = options["username"]
        user_model = get_user_model()
        with transaction.atomic():
            user, created = user_model.objects.get_or_create(
                **{user_model.USERNAME_FIELD: username}
            )
            if created:
                user.set_password(options["password"])
                user.save()
            services.credential_store(
                owner=user,
                label=DEMO_LABEL,
                partner_uuid=DEMO_PARTNER_UUID,
                api_key=DEMO_API_KEY,
                make_default=True,
            )
        state = "Created" if created else "Kept"
        self.stdout.write(f"{state} user {username}; credential '{DEMO_LABEL}' is their default.")
        still_default = created or user.check_password(options["password"])
        password = options["password"] if still_default else "(the password you set)"
        self.stdout.write(f"Log in at http://127.0.0.1:8000/ as {username} / {password}")
