"""Break-glass: let one user sign in once with their password while PASSWORD_LOGIN=False.

For when the identity provider is down or misconfigured and an administrator must get in to
fix things. Only someone with a shell on the platform can run it (as with `createsuperuser`);
the grant is for one sign-in within --minutes, and it is in the sign-in audit trail.
"""

from __future__ import annotations

import getpass
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.urls import reverse
from django.utils import timezone

from customers_ui.accounts import break_glass


class Command(BaseCommand):
    help = (
        "Allow USERNAME one password sign-in within --minutes while PASSWORD_LOGIN=False "
        "(break-glass). Their second factor is still asked for."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username", help="The dashboard user who may sign in with a password.")
        parser.add_argument(
            "--minutes",
            type=int,
            default=break_glass.DEFAULT_MINUTES,
            help=f"How long the grant lasts (default {break_glass.DEFAULT_MINUTES}).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        username: str = options["username"]
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(
                f"No user {username!r}. Create one with `python manage.py createsuperuser`."
            )
        if not user.is_active:
            raise CommandError(f"{username!r} is deactivated; activate it in the admin first.")
        if not user.has_usable_password():
            raise CommandError(
                f"{username!r} has no password (it signs in through single sign-on). Set one "
                f"with `python manage.py changepassword {username}`."
            )
        try:
            grant = break_glass.password_login_allow(
                user=user, minutes=options["minutes"], granted_by=_operator()
            )
        except ValueError as error:
            raise CommandError(str(error)) from error
        until = timezone.localtime(grant.expires_at).strftime("%Y-%m-%d %H:%M %Z")
        self.stdout.write(
            f"{username} may sign in once with their password until {until}, at "
            f"{reverse('login')}?method=password"
        )
        if settings.PASSWORD_LOGIN:
            self.stdout.write("(PASSWORD_LOGIN is on, so password sign-in is open anyway.)")


def _operator() -> str:
    """Who ran the command, for the audit trail (the platform's user, if it has one)."""
    try:
        return f"shell:{getpass.getuser()}"
    except (KeyError, OSError):
        return "shell"
