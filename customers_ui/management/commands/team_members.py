"""Add people to a team or remove them, for runbooks and provisioning scripts.

All or nothing: an unknown team or user is an error (exit 1) and nothing changes. Each change is
recorded (TeamChange). A removed member cannot use the team's credentials from their next
request on.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from customers_ui.models import Team
from customers_ui.teams import services


class Command(BaseCommand):
    help = "Add members to a team (--add USER …) and remove members (--remove USER …)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("team", help="The team's name.")
        parser.add_argument("--add", nargs="+", default=[], metavar="USER", help="Users to add.")
        parser.add_argument(
            "--remove", nargs="+", default=[], metavar="USER", help="Users to remove."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["add"] and not options["remove"]:
            raise CommandError("Nothing to do: give --add USER … and/or --remove USER ….")
        team = Team.objects.filter(name__iexact=options["team"].strip()).first()
        if team is None:
            raise CommandError(
                f"No team named {options['team']!r}. Create it with store_team_credentials or "
                "in the admin."
            )
        user_model = get_user_model()
        field = user_model.USERNAME_FIELD
        wanted = [*options["add"], *options["remove"]]
        found = {
            getattr(user, field): user
            for user in user_model.objects.filter(**{f"{field}__in": wanted})
        }
        unknown = [name for name in wanted if name not in found]
        if unknown:
            raise CommandError(f"No user named {', '.join(map(repr, unknown))}. Nothing changed.")
        with transaction.atomic():
            added, removed = services.team_members_change(
                team=team,
                add=[found[name] for name in options["add"]],
                remove=[found[name] for name in options["remove"]],
                actor=services.Actor(name="manage.py team_members"),
            )
        self.stdout.write(
            f"Team '{team.name}': added {', '.join(added) or 'nobody'}; removed "
            f"{', '.join(removed) or 'nobody'}."
        )
