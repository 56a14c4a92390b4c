"""`manage.py store_team_credentials` and `manage.py team_members` (issue #22): key on stdin,
all or nothing, clear errors, every change recorded, no part of the key printed."""

from __future__ import annotations

import io
import uuid

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from customers_ui.core.crypto import decrypt_secret
from customers_ui.models import PartnerCredential, Team, TeamChange
from sandbox.demo import BUSINESS_EUR, BUSINESS_GBP, DEMO_PARTNER_UUID

from .conftest import TEAM_KEY, assert_no_team_key

pytestmark = pytest.mark.django_db

OTHER_KEY = "thredfi_live_TEAM_s3cr3t_Rz4Xw9Pq2m"


def store(*args: str, stdin: str = TEAM_KEY + "\n") -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command(
        "store_team_credentials",
        *args,
        stdin=io.StringIO(stdin),
        stdout=out,
        stderr=err,
    )
    return out.getvalue(), err.getvalue()


def members(*args: str) -> str:
    out = io.StringIO()
    call_command("team_members", *args, stdout=out)
    return out.getvalue()


BASE = ("Support EU", "--partner-uuid", DEMO_PARTNER_UUID, "--label", "EU")


def test_store_creates_the_team_and_its_credential(thredfi_sandbox) -> None:
    out, err = store(*BASE, "--businesses", f"{BUSINESS_GBP},{BUSINESS_EUR}")

    credential = PartnerCredential.objects.get(team__name="Support EU")
    assert credential.label == "EU"
    assert credential.business_scope == [BUSINESS_GBP, BUSINESS_EUR]
    assert decrypt_secret(credential.api_key_encrypted) == TEAM_KEY
    assert "Created team 'Support EU'" in out
    assert_no_team_key(out + err, "the command's output")
    actions = list(TeamChange.objects.order_by("pk").values_list("action", flat=True))
    assert actions == ["team_created", "credential_created"]


def test_store_again_updates_the_key_and_scope_of_the_label(thredfi_sandbox) -> None:
    store(*BASE, "--businesses", BUSINESS_GBP)
    before = PartnerCredential.objects.get()

    out, _ = store(*BASE, "--businesses", "all", stdin=OTHER_KEY)

    after = PartnerCredential.objects.get()
    assert after.pk == before.pk
    assert after.business_scope is None
    assert after.get_api_key() == OTHER_KEY
    assert after.secret_version == before.secret_version + 1
    assert "Updated team credential 'EU'" in out
    assert OTHER_KEY[-4:] not in out
    actions = set(TeamChange.objects.values_list("action", flat=True))
    assert {"scope_changed", "key_replaced"} <= actions


def test_store_twice_with_the_same_input_changes_nothing(thredfi_sandbox) -> None:
    store(*BASE)
    out, _ = store(*BASE)
    assert "already held this key and scope" in out
    assert PartnerCredential.objects.get().secret_version == 1


@pytest.mark.parametrize(
    "stdin", ["", "\n", "   \n", "clé-secrète-ünïcode-Ω\n", "has a space in it\n"]
)
def test_store_refuses_an_empty_or_unsendable_key_and_saves_nothing(db, stdin) -> None:
    with pytest.raises(CommandError) as refused:
        store(*BASE, stdin=stdin)
    assert stdin.strip() == "" or stdin.strip() not in str(refused.value)
    assert not Team.objects.exists()
    assert not PartnerCredential.objects.exists()


def test_store_refuses_a_business_the_partner_does_not_have(thredfi_sandbox) -> None:
    stranger = str(uuid.uuid4())
    with pytest.raises(CommandError, match=stranger):
        store(*BASE, "--businesses", f"{BUSINESS_GBP},{stranger}")
    assert not Team.objects.exists()
    assert not PartnerCredential.objects.exists()


def test_store_only_warns_about_the_scope_when_thredfi_is_unreachable(db, settings) -> None:
    settings.THREDFI_BASE_URL = "http://127.0.0.1:9"  # nothing listens there
    settings.THREDFI_TOTAL_TIMEOUT = 1.0
    stranger = str(uuid.uuid4())

    _, err = store(*BASE, "--businesses", stranger)

    assert "Warning: Could not check the scope with Thredfi" in err
    assert PartnerCredential.objects.get().business_scope == [stranger]


def test_store_warns_when_thredfi_refuses_a_key_for_all_businesses(thredfi_sandbox) -> None:
    """With no list of businesses to check, the key itself is asked about once."""
    _, err = store(*BASE, "--businesses", "all", stdin=OTHER_KEY + "\n")

    assert "Warning: Could not check the key with Thredfi (CredentialsRefused)" in err
    assert PartnerCredential.objects.get().business_scope is None
    assert OTHER_KEY not in err


def test_store_checks_a_key_for_all_businesses_quietly_when_thredfi_accepts_it(
    thredfi_sandbox,
) -> None:
    _, err = store(*BASE, "--businesses", "all")

    assert err == ""
    assert thredfi_sandbox.stats()["requests"].get("list_businesses") == 1


@pytest.mark.parametrize("businesses", ["nope", ",", f"{BUSINESS_GBP},nope"])
def test_store_refuses_a_malformed_scope(db, businesses) -> None:
    with pytest.raises(CommandError, match="--businesses"):
        store(*BASE, "--businesses", businesses)
    assert not Team.objects.exists()


def test_store_refuses_a_label_of_another_partner(thredfi_sandbox) -> None:
    store(*BASE)
    with pytest.raises(CommandError, match="belongs to partner"):
        store("Support EU", "--partner-uuid", str(uuid.uuid4()), "--label", "EU")


def test_store_has_no_way_to_pass_the_key_as_an_argument(db) -> None:
    with pytest.raises(CommandError):
        call_command("store_team_credentials", *BASE, "--api-key", TEAM_KEY, stdin=io.StringIO(""))


def test_team_members_adds_and_removes_and_records_it(agent, other_agent, team) -> None:
    out = members(team.name, "--add", "agent-ben", "--remove", "agent-ana")

    assert set(team.members.values_list("username", flat=True)) == {"agent-ben"}
    assert "added agent-ben; removed agent-ana" in out
    recorded = set(
        TeamChange.objects.filter(actor_name="manage.py team_members").values_list(
            "action", "detail"
        )
    )
    assert recorded == {("member_added", "agent-ben"), ("member_removed", "agent-ana")}


def test_team_members_with_an_unknown_user_changes_nothing(agent, other_agent, team) -> None:
    changes = TeamChange.objects.count()
    with pytest.raises(CommandError, match="nobody-here"):
        members(team.name, "--add", "agent-ben", "nobody-here")
    assert set(team.members.values_list("username", flat=True)) == {"agent-ana"}
    assert TeamChange.objects.count() == changes


def test_team_members_with_an_unknown_team_is_an_error(agent) -> None:
    with pytest.raises(CommandError, match="No team named"):
        members("No such team", "--add", "agent-ana")


@pytest.mark.parametrize(
    "argv",
    [
        ["team_members", "No such team", "--add", "agent-ana"],
        ["team_members", "Tier 1 UK", "--add", "nobody-here"],
        ["store_team_credentials", "T", "--partner-uuid", "nope", "--label", "L"],
    ],
    ids=["unknown-team", "unknown-user", "bad-partner-uuid"],
)
def test_the_commands_exit_1_with_a_clear_message(team, monkeypatch, capsys, argv) -> None:
    """As run from a shell: the message on stderr, exit status 1, no traceback."""
    from django.core.management import load_command_class

    # The test's transaction must outlive the command (which closes connections as it ends).
    monkeypatch.setattr("django.core.management.base.connections.close_all", lambda: None)
    command = load_command_class("customers_ui", argv[0])
    with pytest.raises(SystemExit) as exited:
        command.run_from_argv(["manage.py", *argv])
    assert exited.value.code == 1
    err = capsys.readouterr().err
    assert err.startswith("CommandError: ")
    assert "Traceback" not in err


def test_rotate_credentials_key_reencrypts_team_keys(team_credential, settings) -> None:
    from cryptography.fernet import Fernet

    before = PartnerCredential.objects.get(pk=team_credential.pk).api_key_encrypted
    settings.CREDENTIALS_ENCRYPTION_KEYS = [
        Fernet.generate_key().decode(),
        *settings.CREDENTIALS_ENCRYPTION_KEYS,
    ]
    call_command("rotate_credentials_key", stdout=io.StringIO())

    after = PartnerCredential.objects.get(pk=team_credential.pk)
    assert after.api_key_encrypted != before
    new_only = Fernet(settings.CREDENTIALS_ENCRYPTION_KEYS[0].encode())
    assert new_only.decrypt(after.api_key_encrypted.encode()).decode() == TEAM_KEY
