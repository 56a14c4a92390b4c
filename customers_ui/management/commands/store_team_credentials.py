"""Provision a team's Thredfi credential from a shell, with the API key on standard input.

Creates the team if it does not exist; an existing label gets this key and business scope. The
key never goes on the command line (argv is visible to every user of the machine and lands in
shell history), and nothing prints any part of it. All or nothing: a refusal saves nothing.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from customers_ui.credentials.services import StoreOutcome
from customers_ui.management.key_input import api_key_read, partner_uuid_parse
from customers_ui.teams import services


class Command(BaseCommand):
    help = (
        "Store (or update the key and business scope of) a team's Thredfi partner credential; "
        "creates the team if needed. The API key is read from standard input, one line."
    )
    stealth_options = ("stdin",)

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("team", help="The team's name (created if it does not exist).")
        parser.add_argument("--partner-uuid", required=True, help="Thredfi partner UUID.")
        parser.add_argument("--label", required=True, help="Name of the credential in the team.")
        parser.add_argument(
            "--businesses",
            default="all",
            help="“all” (default) or business UUIDs separated by commas: the businesses the "
            "team may look at with this credential.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        partner_uuid = partner_uuid_parse(options["partner_uuid"])
        try:
            scope = services.scope_parse(options["businesses"])
        except ValidationError as exc:
            raise CommandError(f"--businesses: {' '.join(exc.messages)}") from exc
        raw = api_key_read(options.get("stdin"))
        try:
            stored = services.team_credential_store(
                team_name=options["team"],
                label=options["label"],
                partner_uuid=partner_uuid,
                api_key=raw,
                scope=scope,
                actor=services.Actor(name="manage.py store_team_credentials"),
            )
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        credential = stored.credential
        for warning in stored.warnings:
            self.stderr.write(f"Warning: {warning}")
        team = credential.team.name
        if stored.team_created:
            self.stdout.write(f"Created team '{team}'.")
        scope_text = "all businesses" if scope is None else f"{len(scope)} business(es)"
        if stored.outcome is StoreOutcome.CREATED:
            self.stdout.write(
                f"Stored team credential '{credential.label}' for {team} ({scope_text})."
            )
        elif stored.outcome is StoreOutcome.REPLACED:
            self.stdout.write(
                f"Updated team credential '{credential.label}' for {team} ({scope_text}); tokens "
                "for an old key are not reused."
            )
        else:
            self.stdout.write(
                f"Team credential '{credential.label}' already held this key and scope."
            )
