"""Every sign-in, failure and sign-out is in the audit trail with who, when, from where and how;
staff read, filter and export it in the admin."""

from __future__ import annotations

import csv
import io

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from customers_ui.models import SignInEvent

from .conftest import PASSWORD, enrol, password_sign_in, sign_in_verified

pytestmark = pytest.mark.django_db
User = get_user_model()


def kinds() -> list[tuple[str, str, str]]:
    return list(
        SignInEvent.objects.order_by("created_at").values_list("kind", "method", "username")
    )


def test_sign_in_and_sign_out_by_password(client, sam) -> None:
    password_sign_in(client, REMOTE_ADDR="203.0.113.7")
    client.post("/accounts/logout/", REMOTE_ADDR="203.0.113.7")

    assert kinds() == [("sign_in", "password", "sam"), ("sign_out", "", "sam")]
    assert set(SignInEvent.objects.values_list("ip_address", flat=True)) == {"203.0.113.7"}
    assert set(SignInEvent.objects.values_list("user", flat=True)) == {sam.pk}


def test_a_failed_sign_in_keeps_what_was_typed(client, sam) -> None:
    password_sign_in(client, username="sam", password="wrong", REMOTE_ADDR="203.0.113.8")
    password_sign_in(client, username="nobody-here", password="wrong")

    failed = SignInEvent.objects.filter(kind="sign_in_failed").order_by("created_at")
    assert [(e.username, e.method, e.user) for e in failed] == [
        ("sam", "password", None),
        ("nobody-here", "password", None),
    ]
    assert failed[0].ip_address == "203.0.113.8"
    assert PASSWORD not in str(list(SignInEvent.objects.values()))


def test_a_locked_out_attempt_is_recorded_as_such(client, sam, settings) -> None:
    for _ in range(settings.AXES_FAILURE_LIMIT + 1):
        password_sign_in(client, password="wrong")

    assert SignInEvent.objects.filter(
        kind="sign_in_failed", detail="locked out after repeated failures"
    ).exists()


def test_the_admins_own_login_page_is_recorded_too(client, sam) -> None:
    client.post("/admin/login/", {"username": "sam", "password": "nope"})

    assert kinds() == [("sign_in_failed", "password", "sam")]


def test_second_factor_events(client, sam) -> None:
    _, codes = enrol(sam)
    password_sign_in(client)
    client.post("/accounts/mfa/verify/", {"recovery_code": codes[0]})

    assert kinds()[-1] == ("mfa_verified", "recovery_code", "sam")


def test_sso_events(client, sso) -> None:
    person = sso.add_person()
    sso.sign_in(client, person)
    refused = sso.add_person(email="x@elsewhere.test")
    sso.sign_in(Client(), refused)

    assert [kind for kind, _, _ in kinds()] == ["sso_user_created", "sign_in", "sso_refused"]
    created, signed_in, refusal = SignInEvent.objects.order_by("created_at")
    assert created.username == signed_in.username == person.email
    assert signed_in.method == refusal.method == "sso"
    assert refusal.username == "x@elsewhere.test"
    assert refusal.ip_address == "127.0.0.1"


def test_the_address_is_the_one_the_trusted_proxy_saw(client, sam, settings) -> None:
    """Behind one proxy, the client can prepend anything to X-Forwarded-For; only the entry the
    proxy appended (the right-most) is the client's address."""
    settings.TRUSTED_PROXY_COUNT = 1

    password_sign_in(
        client,
        password="wrong",
        REMOTE_ADDR="10.0.0.2",
        HTTP_X_FORWARDED_FOR="6.6.6.6, 198.51.100.23",
    )

    event = SignInEvent.objects.get(kind="sign_in_failed")
    assert event.ip_address == "198.51.100.23"
    assert not SignInEvent.objects.filter(ip_address="6.6.6.6").exists()


def test_events_cannot_be_changed_or_deleted(client, sam) -> None:
    password_sign_in(client)
    event = SignInEvent.objects.get()

    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()


# In the admin ---------------------------------------------------------------------------------


@pytest.fixture
def admin_client_(db) -> Client:
    root = User.objects.create_superuser("root", "root@example.test", "pw-admin-12345")
    device, _ = enrol(root)
    client = Client()
    sign_in_verified(client, root, device)
    return client


def _read_csv(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))


def test_staff_see_and_filter_the_events(admin_client_, sam) -> None:
    password_sign_in(Client(), REMOTE_ADDR="203.0.113.9")
    password_sign_in(Client(), password="wrong")

    everything = admin_client_.get("/admin/customers_ui/signinevent/").content.decode()
    failures = admin_client_.get(
        "/admin/customers_ui/signinevent/", {"kind__exact": "sign_in_failed"}
    ).content.decode()

    assert "203.0.113.9" in everything
    assert "Failed sign-in" in everything and "Signed in" in everything
    assert "Failed sign-in" in failures
    assert "203.0.113.9" not in failures


def test_the_events_are_read_only_in_the_admin(admin_client_, sam) -> None:
    password_sign_in(Client())
    event = SignInEvent.objects.get(username="sam")

    assert admin_client_.get("/admin/customers_ui/signinevent/add/").status_code == 403
    delete = f"/admin/customers_ui/signinevent/{event.pk}/delete/"
    assert admin_client_.post(delete, {"post": "yes"}).status_code == 403
    assert SignInEvent.objects.filter(pk=event.pk).exists()


def test_the_export_button_streams_the_filtered_events_as_csv(admin_client_, sam) -> None:
    password_sign_in(Client(), REMOTE_ADDR="203.0.113.10")
    password_sign_in(Client(), username="=HYPERLINK(1)", password="wrong")

    page = admin_client_.get("/admin/customers_ui/signinevent/").content.decode()
    assert 'href="/admin/customers_ui/signinevent/export.csv?' in page
    response = admin_client_.get(
        "/admin/customers_ui/signinevent/export.csv", {"kind__exact": "sign_in_failed"}
    )

    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="sign-ins-' in response["Content-Disposition"]
    header, *rows = _read_csv(response)
    assert header[:5] == ["created_at", "kind", "method", "username", "user_id"]
    assert [row[header.index("username")] for row in rows] == ["'=HYPERLINK(1)"]


def test_the_export_action_on_selected_events(admin_client_, sam) -> None:
    password_sign_in(Client(), REMOTE_ADDR="203.0.113.11")
    chosen = SignInEvent.objects.get(username="sam")

    response = admin_client_.post(
        "/admin/customers_ui/signinevent/",
        {"action": "export_csv", "_selected_action": [str(chosen.pk)]},
    )

    header, *rows = _read_csv(response)
    assert len(rows) == 1
    assert rows[0][header.index("ip_address")] == "203.0.113.11"


def test_non_staff_cannot_export(client, sam) -> None:
    client.force_login(sam)

    response = client.get("/admin/customers_ui/signinevent/export.csv")

    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
