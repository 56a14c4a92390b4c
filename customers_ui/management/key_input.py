"""What the credential commands read from the operator: a partner UUID and a key on stdin.

One place for both, so `store_partner_credentials` and `store_team_credentials` refuse the same
things with the same words. The key is read from standard input (or a hidden prompt on a
terminal), never from argv, which every user of the machine can see and shell history keeps.
"""

from __future__ import annotations

import getpass
import sys
import uuid
from typing import Any

from django.core.management.base import CommandError


def partner_uuid_parse(value: str) -> uuid.UUID:
    """The --partner-uuid option as a UUID, or a CommandError that shows the expected form."""
    try:
        return uuid.UUID(value)
    except ValueError as exc:
        raise CommandError(
            f"--partner-uuid {value!r} is not a UUID "
            "(expected e.g. 7d3c5e1a-2b4f-4c6d-8e9f-0a1b2c3d4e5f)."
        ) from exc


def api_key_read(stdin: Any | None) -> str:
    """One line from stdin (hidden prompt on a terminal); an empty answer is a CommandError."""
    stream = stdin or sys.stdin
    raw = getpass.getpass("API key (input hidden): ") if stream.isatty() else stream.readline()
    if not raw or not raw.strip():
        raise CommandError("No API key on standard input (expected one line).")
    return raw
