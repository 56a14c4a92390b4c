"""An administrator resets someone's second factor: the factor is gone, the reset is audited,
and the person is told at their next sign-in (once)."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from customers_ui.models import AuthenticatorApp, RecoveryCodeSet, SignInEvent, SignInNotice

from .conftest import enrol, password_sign_in, sign_in_verified

pytestmark = pytest.mark.django_db
User = get_user_model()
CHANGELIST = "/admin/auth/user/"
TOLD = "An administrator reset your two-factor authentication"


@pytest.fixture
def admin_client_(db) -> Client:
    root = User.objects.create_superuser("root", "root@example.test", "pw-admin-12345")
    device, _ = enrol(root)
    client = Client()
    sign_in_verified(client, root, device)
    return client


def reset(admin_client_: Client, *users) -> object:
    return admin_client_.post(
        CHANGELIST,
        {"action": "reset_second_factor", "_selected_action": [str(u.pk) for u in users]},
        follow=True,
    )


def test_the_action_removes_the_factor_and_says_so(admin_client_, sam) -> None:
    enrol(sam)

    response = reset(admin_client_, sam)

    assert response.status_code == 200
    assert "Second factor reset for sam" in response.content.decode()
    assert not AuthenticatorApp.objects.filter(user=sam).exists()
    assert not RecoveryCodeSet.objects.filter(user=sam).exists()
    event = SignInEvent.objects.get(kind="mfa_reset")
    assert (event.user, event.actor, event.method) == (sam, "root", "admin")
    assert SignInNotice.objects.filter(user=sam, delivered_at__isnull=True).count() == 1


def test_the_user_list_shows_who_has_a_second_factor(admin_client_, sam) -> None:
    response = admin_client_.get(CHANGELIST)

    html = response.content.decode()
    assert "sortable column-two_factor" in html
    # root (enrolled, staff, active): three yes; sam (not enrolled, not staff, active): two no.
    assert (html.count('alt="True"'), html.count('alt="False"')) == (4, 2)


def test_a_user_without_a_second_factor_is_left_alone(admin_client_, sam) -> None:
    response = reset(admin_client_, sam)

    assert "had no second factor; nothing changed" in response.content.decode()
    assert not SignInEvent.objects.filter(kind="mfa_reset").exists()
    assert not SignInNotice.objects.exists()


def test_the_user_is_told_at_their_next_sign_in_and_only_then(admin_client_, sam) -> None:
    enrol(sam)
    reset(admin_client_, sam)
    client = Client()

    first = password_sign_in(client)
    page = client.get(first["Location"], follow=True).content.decode()

    assert TOLD in page
    assert "If you did not ask for this, tell your security team" in page
    client.post("/accounts/logout/")
    password_sign_in(client)
    assert TOLD not in client.get("/credentials/", follow=True).content.decode()


def test_after_a_reset_no_code_is_asked_for_and_enrolment_is_offered(admin_client_, sam) -> None:
    enrol(sam)
    reset(admin_client_, sam)
    client = Client()
    password_sign_in(client)

    assert client.get("/credentials/").status_code == 200
    security = client.get("/accounts/security/").content.decode()
    assert "Set up two-factor authentication" in security


def test_staff_without_the_change_permission_cannot_reset(sam) -> None:
    from django.contrib.auth.models import Permission

    enrol(sam)
    viewer = User.objects.create_user("viewer", password="pw-viewer-12345", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_user"))
    client = Client()
    client.force_login(viewer)

    response = reset(client, sam)

    assert response.status_code == 200
    assert AuthenticatorApp.objects.filter(user=sam).exists()


def test_non_staff_cannot_reach_the_action(sam) -> None:
    enrol(sam)
    client = Client()
    client.force_login(User.objects.create_user("kim", password="pw-kim-12345"))

    response = client.post(
        CHANGELIST, {"action": "reset_second_factor", "_selected_action": [str(sam.pk)]}
    )

    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
    assert AuthenticatorApp.objects.filter(user=sam).exists()


def test_device_admins_that_would_skip_the_audit_are_not_offered(admin_client_) -> None:
    assert admin_client_.get("/admin/otp_totp/totpdevice/").status_code == 404
    assert admin_client_.get("/admin/otp_static/staticdevice/").status_code == 404
