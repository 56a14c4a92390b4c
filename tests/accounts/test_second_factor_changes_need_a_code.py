"""L3 (issue 20): removing the second factor, and renewing recovery codes, need a current code
from the authenticator app (or a recovery code), not only a verified session: whoever finds a
signed-in browser cannot quietly turn the factor off or take the codes."""

from __future__ import annotations

import contextlib

import pytest

from customers_ui.accounts import mfa
from customers_ui.models import SignInEvent

from .conftest import code_for, codes_from_page, enrol, sign_in_verified

pytestmark = pytest.mark.django_db
REMOVE = "/accounts/mfa/remove/"
RENEW = "/accounts/mfa/recovery-codes/"


@pytest.fixture
def verified(client, sam):
    device, codes = enrol(sam)
    sign_in_verified(client, sam, device)
    return client, device, codes


@pytest.mark.parametrize("data", [{}, {"code": "000000"}, {"recovery_code": "aaaa bbbb cccc"}])
def test_removing_without_a_right_code_is_refused(verified, sam, data) -> None:
    client, _, _ = verified

    response = client.post(REMOVE, data)

    assert response.status_code == 400
    assert mfa.has_second_factor(sam)
    assert not SignInEvent.objects.filter(kind="mfa_removed").exists()


def test_removing_with_the_apps_code_works(verified, sam) -> None:
    client, device, _ = verified

    response = client.post(REMOVE, {"code": code_for(device.bin_key)})

    assert response.status_code == 302
    assert not mfa.has_second_factor(sam)
    assert SignInEvent.objects.filter(kind="mfa_removed", user=sam).exists()


def test_removing_with_a_recovery_code_works(verified, sam) -> None:
    client, _, codes = verified

    assert client.post(REMOVE, {"recovery_code": codes[0]}).status_code == 302
    assert not mfa.has_second_factor(sam)


@pytest.mark.parametrize("data", [{}, {"code": "000000"}])
def test_renewing_recovery_codes_without_a_right_code_is_refused(verified, sam, data) -> None:
    client, _, codes = verified

    response = client.post(RENEW, data)

    assert response.status_code == 400
    assert mfa.recovery_codes_left(sam) == len(codes)
    assert not SignInEvent.objects.filter(kind="recovery_codes_renewed").exists()


def test_renewing_with_the_apps_code_shows_new_codes(verified, sam) -> None:
    client, device, old = verified

    response = client.post(RENEW, {"code": code_for(device.bin_key)})

    assert response.status_code == 200
    new = codes_from_page(response.content.decode())
    assert len(new) == 10 and not set(new) & set(old)


@pytest.mark.parametrize("url", ["/accounts/mfa/setup/", "/accounts/mfa/verify/", REMOVE, RENEW])
def test_codes_are_masked_in_djangos_own_error_reports(rf, sam, url) -> None:
    from django.urls import resolve
    from django.views.debug import SafeExceptionReporterFilter

    request = rf.post(url, {"code": "902417", "recovery_code": "zq7x mk2p wv5r"})
    request.user = sam
    view = resolve(url).func
    with contextlib.suppress(Exception):  # only the markings the decorator leaves matter
        view(request)

    cleaned = SafeExceptionReporterFilter().get_post_parameters(request)
    assert cleaned["code"] != "902417"
    assert cleaned["recovery_code"] != "zq7x mk2p wv5r"
