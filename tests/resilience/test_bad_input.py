"""Bad input gets a clear 4xx, no upstream call, and nothing stored."""

from __future__ import annotations

import time

import pytest
from django.test import Client

from customers_ui.models import LookupEvent, PartnerCredential
from sandbox import faults
from sandbox.demo import BUSINESS_GBP, DEMO_CUSTOMER_ID

DETAIL = f"/customers/{BUSINESS_GBP}/{DEMO_CUSTOMER_ID}/"


def test_forms_without_a_csrf_token_are_refused_and_store_nothing(
    support_user, credential, thredfi_sandbox
) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(support_user)
    before = PartnerCredential.objects.count()
    response = client.post(
        "/credentials/new/",
        {"label": "x", "partner_uuid": DEMO_CUSTOMER_ID, "api_key": "abcdefghijkl"},
    )
    assert response.status_code == 403
    assert "This form has expired" in response.content.decode()
    assert PartnerCredential.objects.count() == before
    assert client.post(f"/credentials/{credential.pk}/delete/").status_code == 403
    assert PartnerCredential.objects.filter(pk=credential.pk).exists()
    assert client.post("/accounts/logout/").status_code == 403
    assert thredfi_sandbox.stats()["total_requests"] == 0


@pytest.mark.parametrize("method", ["post", "put", "delete", "patch"])
def test_lookup_pages_only_answer_get(staff_client, thredfi_sandbox, method: str) -> None:
    for path in ("/", DETAIL, f"/customers/{BUSINESS_GBP}/", "/search/", "/lookup/"):
        assert getattr(staff_client, method)(path).status_code == 405, path
    assert thredfi_sandbox.stats()["total_requests"] == 0
    assert LookupEvent.objects.count() == 0


@pytest.mark.parametrize(
    "path",
    [
        f"{DETAIL}%2e%2e/",
        f"/customers/{BUSINESS_GBP}/%2e%2e%2f{DEMO_CUSTOMER_ID}/",
        f"/customers/{BUSINESS_GBP}/{DEMO_CUSTOMER_ID}/documents/../../",
        "/customers/../../etc/passwd",
        f"/customers/{BUSINESS_GBP}/{DEMO_CUSTOMER_ID}%00/",
        f"/customers/{BUSINESS_GBP}/{'a' * 5000}/",
    ],
)
def test_path_tricks_are_404_without_an_upstream_call(staff_client, thredfi_sandbox, path) -> None:
    response = staff_client.get(path)
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()
    assert thredfi_sandbox.stats()["total_requests"] == 0


def test_overlong_input_is_a_400(staff_client, thredfi_sandbox) -> None:
    assert staff_client.get("/lookup/", {"ref": "x" * 2001}).status_code == 400
    assert (
        staff_client.get("/search/", {"business": BUSINESS_GBP, "q": "q" * 201}).status_code == 400
    )
    assert thredfi_sandbox.stats()["total_requests"] == 0
    assert LookupEvent.objects.count() == 0


def test_a_hung_upstream_is_cut_off_by_the_client_timeout_and_the_app_stays_healthy(
    staff_client, settings
) -> None:
    started = time.monotonic()
    response = staff_client.get(f"/customers/{BUSINESS_GBP}/{faults.HANG}/")
    elapsed = time.monotonic() - started
    assert response.status_code == 504
    assert elapsed < settings.THREDFI_TOTAL_TIMEOUT + 2
    assert staff_client.get("/healthz").status_code == 200
    assert staff_client.get(DETAIL).status_code == 200


def test_another_users_credential_is_never_used_for_lookups(
    staff_client, support_user, thredfi_sandbox, django_user_model
) -> None:
    from tests.factories import make_credential

    other = django_user_model.objects.create_user("eve", password="yet-another-password-3")
    foreign = make_credential(other, label="Eve's", api_key="eve-key-that-is-wrong")
    response = staff_client.post(f"/credentials/{foreign.pk}/activate/")
    assert response.status_code == 404
    assert staff_client.get(DETAIL).status_code == 200  # still the user's own, working key
    assert LookupEvent.objects.get().credential_label == "Sandbox"
