"""Admin: credentials shown without their keys; the audit trail is read-only and exportable."""

from __future__ import annotations

import csv
import io
import uuid

import pytest
from django.test import Client
from django.urls import reverse

from customers_ui.admin import csv_safe
from customers_ui.models import LookupEvent, PartnerCredential

from .conftest import SECRET_KEY_ALICE

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client_(django_user_model) -> Client:
    admin = django_user_model.objects.create_superuser("root", "root@example.com", "pw-admin-12345")
    client = Client()
    client.force_login(admin)
    return client


@pytest.fixture
def credential(alice, make_credential) -> PartnerCredential:
    return make_credential(alice, "EU production")


def _event(**fields) -> LookupEvent:
    defaults = {
        "username": "alice",
        "action": LookupEvent.Action.VIEW,
        "outcome": "ok",
        "http_status": 200,
        "business_id": uuid.uuid4(),
        "customer_id": uuid.uuid4(),
        "request_id": "req_abc123",
        "duration_ms": 42,
        "credential_label": "EU production",
    }
    return LookupEvent.objects.create(**{**defaults, **fields})


def test_credential_changelist_shows_the_hint_not_the_key(admin_client_, credential):
    response = admin_client_.get(reverse("admin:customers_ui_partnercredential_changelist"))

    assert response.status_code == 200
    assert "EU production" in response.text
    assert f"…{SECRET_KEY_ALICE[-4:]}" in response.text
    assert SECRET_KEY_ALICE not in response.text
    assert credential.api_key_encrypted not in response.text


def test_credential_search_by_owner(admin_client_, credential, bob, make_credential):
    make_credential(bob, "Bob's account", api_key="bob_key_000011112222")

    url = reverse("admin:customers_ui_partnercredential_changelist")
    response = admin_client_.get(url, {"q": "alice"})

    assert "EU production" in response.text
    assert "Bob&#x27;s account" not in response.text


def test_credential_change_page_never_shows_or_edits_the_key(admin_client_, credential):
    url = reverse("admin:customers_ui_partnercredential_change", args=[credential.pk])

    response = admin_client_.get(url)

    assert response.status_code == 200
    assert SECRET_KEY_ALICE not in response.text
    assert credential.api_key_encrypted not in response.text
    assert "api_key_encrypted" not in response.text
    assert f"…{credential.api_key_hint}" in response.text


def test_credential_label_can_be_corrected_but_the_key_stays(admin_client_, credential):
    url = reverse("admin:customers_ui_partnercredential_change", args=[credential.pk])
    before = credential.api_key_encrypted

    response = admin_client_.post(
        url, {"label": "Renamed by admin", "api_key_encrypted": "tampered"}
    )

    assert response.status_code == 302
    credential.refresh_from_db()
    assert credential.label == "Renamed by admin"
    assert credential.api_key_encrypted == before


def test_credentials_cannot_be_added_in_the_admin(admin_client_):
    response = admin_client_.get(reverse("admin:customers_ui_partnercredential_add"))

    assert response.status_code == 403


def test_audit_changelist_lists_events(admin_client_):
    _event(request_id="req_visible_1")

    response = admin_client_.get(reverse("admin:customers_ui_lookupevent_changelist"))

    assert response.status_code == 200
    assert "req_visible_1" in response.text
    assert "Export CSV" in response.text
    assert reverse("admin:customers_ui_lookupevent_add") not in response.text


def test_audit_events_are_read_only(admin_client_):
    event = _event()
    change_url = reverse("admin:customers_ui_lookupevent_change", args=[event.pk])

    page = admin_client_.get(change_url)
    assert page.status_code == 200
    assert 'name="_save"' not in page.text
    assert admin_client_.post(change_url, {"outcome": "tampered"}).status_code == 403
    assert admin_client_.get(reverse("admin:customers_ui_lookupevent_add")).status_code == 403
    delete_url = reverse("admin:customers_ui_lookupevent_delete", args=[event.pk])
    assert admin_client_.post(delete_url, {"post": "yes"}).status_code == 403
    assert LookupEvent.objects.get(pk=event.pk).outcome == "ok"


def _read_csv(response) -> list[list[str]]:
    body = b"".join(response.streaming_content).decode()
    return list(csv.reader(io.StringIO(body)))


def test_export_csv_button_streams_the_filtered_events(admin_client_):
    _event(username="alice", request_id="req_alice")
    _event(username="bob", request_id="req_bob", action=LookupEvent.Action.SEARCH)

    url = reverse("admin:customers_ui_lookupevent_export")
    response = admin_client_.get(url, {"action__exact": "search"})

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = _read_csv(response)
    header, data = rows[0], rows[1:]
    assert header[:3] == ["created_at", "username", "credential_label"]
    assert [row[header.index("request_id")] for row in data] == ["req_bob"]


def test_export_csv_respects_search(admin_client_):
    _event(customer_name="Ada Lovelace", request_id="req_ada")
    _event(customer_name="Grace Hopper", request_id="req_grace")

    response = admin_client_.get(reverse("admin:customers_ui_lookupevent_export"), {"q": "Grace"})

    rows = _read_csv(response)
    assert len(rows) == 2
    assert "req_grace" in rows[1]


def test_export_csv_action_on_selected_events(admin_client_):
    chosen = _event(request_id="req_chosen")
    _event(request_id="req_other")

    response = admin_client_.post(
        reverse("admin:customers_ui_lookupevent_changelist"),
        {"action": "export_csv", "_selected_action": [str(chosen.pk)], "index": "0"},
    )

    assert response.status_code == 200
    rows = _read_csv(response)
    assert len(rows) == 2
    assert "req_chosen" in rows[1]


def test_export_csv_defuses_spreadsheet_formulas(admin_client_):
    _event(customer_name='=HYPERLINK("http://evil.example","click")', query="+1+1")

    response = admin_client_.get(reverse("admin:customers_ui_lookupevent_export"))

    rows = _read_csv(response)
    header, row = rows[0], rows[1]
    assert row[header.index("customer_name")].startswith("'=HYPERLINK")
    assert row[header.index("query")] == "'+1+1"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+2", "'=1+2"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("ok", "ok"),
        (None, ""),
    ],
)
def test_csv_safe(value, expected):
    assert csv_safe(value) == expected


def test_export_needs_staff(alice_client):
    response = alice_client.get(reverse("admin:customers_ui_lookupevent_export"))

    assert response.status_code == 302
    assert "/admin/login/" in response.url
