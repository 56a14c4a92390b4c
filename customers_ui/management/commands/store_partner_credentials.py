"""Provision a user's Thredfi credential from a shell, with the API key on standard input.

The key never goes on the command line: argv is visible to every user of the machine (`ps`) and
lands in shell history. Pipe it in (`... < key.txt`, or from a secret manager) or type it at the
hidden prompt.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from customers_ui.credentials import services
from customers_ui.credentials.forms import CredentialKeyForm
from customers_ui.management.key_input import api_key_read, partner_uuid_parse

DEFAULT_LABEL = "Thredfi"


class Command(BaseCommand):
    help = (
        "Store (or replace the key of) a user's Thredfi partner credential. The API key is read "
        "from standard input, one line; it is never accepted as an argument."
    )
    stealth_options = ("stdin",)

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username", help="The dashboard user who will own the credential.")
        parser.add_argument("--partner-uuid", required=True, help="Thredfi partner UUID.")
        parser.add_argument(
            "--label",
            default=DEFAULT_LABEL,
            help=f"Name of the credential (default “{DEFAULT_LABEL}”); an existing label has its "
            "key replaced.",
        )
        parser.add_argument(
            "--default", action="store_true", help="Make it the user's default credential."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        username: str = options["username"]
        label: str = options["label"].strip()
        if not label:
            raise CommandError("--label must not be empty.")
        partner_uuid = partner_uuid_parse(options["partner_uuid"])
        user_model = get_user_model()
        try:
            owner = user_model.objects.get(**{user_model.USERNAME_FIELD: username})
        except user_model.DoesNotExist as exc:
            raise CommandError(f"No user named {username!r}. Create it first.") from exc

        raw = api_key_read(options.get("stdin"))
        form = CredentialKeyForm(data={"api_key": raw})
        if not form.is_valid():
            # Form messages never repeat the key.
            raise CommandError(" ".join(form.errors["api_key"]))
        api_key: str = form.cleaned_data["api_key"]

        try:
            credential, outcome = services.credential_store(
                owner=owner,
                label=label,
                partner_uuid=partner_uuid,
                api_key=api_key,
                make_default=options["default"],
            )
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc

        hint = credential.api_key_hint
        self.stdout.write(f"Stored credential '{credential.label}' for {username} (key …{hint})")
        if outcome is services.StoreOutcome.REPLACED:
            self.stdout.write(
                "It replaced the previous key; tokens for the old key are not reused."
            )
        elif outcome is services.StoreOutcome.UNCHANGED:
            self.stdout.write("It already held this key; nothing changed.")
        if credential.is_default:
            self.stdout.write(f"It is {username}'s default credential.")
