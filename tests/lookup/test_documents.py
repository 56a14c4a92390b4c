"""Document links work whenever they are clicked: each click gets a fresh presigned URL."""

from __future__ import annotations

import re

import pytest
import requests

from customers_ui.models import LookupEvent
from sandbox import faults
from sandbox.demo import BUSINESS_GBP, DEMO_CUSTOMER_ID

DETAIL = f"/customers/{BUSINESS_GBP}/{DEMO_CUSTOMER_ID}/"


def document_links(client) -> list[str]:
    html = client.get(DETAIL).content.decode()
    return re.findall(r'href="(/customers/[^"]+/documents/[0-9a-f-]{36}/)"', html)


def test_download_redirects_to_a_fresh_url_even_after_the_old_one_expired(
    staff_client, thredfi_sandbox
) -> None:
    link = document_links(staff_client)[0]
    thredfi_sandbox.advance_clock(3)  # the page's presigned URLs (2 s) are dead upstream now
    response = staff_client.get(link)
    assert response.status_code == 302
    url = response["Location"]
    assert url.startswith(thredfi_sandbox.base_url)
    assert response["Referrer-Policy"] == "no-referrer"
    assert "no-store" in response["Cache-Control"]
    file = requests.get(url, timeout=5)
    assert file.status_code == 200
    assert file.content.startswith(b"%PDF") or b"," in file.content


def test_downloads_are_audited(staff_client) -> None:
    link = document_links(staff_client)[0]
    staff_client.get(link)
    event = LookupEvent.objects.filter(action="download").get()
    assert event.outcome == "ok"
    assert f"/documents/{event.document_id}/" in link
    assert event.customer_name == "Cobalt Kitchens Ltd"


def test_a_document_no_longer_attached_is_a_404(staff_client) -> None:
    response = staff_client.get(f"{DETAIL}documents/11111111-2222-4333-8444-555555555555/")
    assert response.status_code == 404
    assert "No such document" in response.content.decode()


def test_unsafe_document_urls_are_never_followed(staff_client) -> None:
    hostile = f"/customers/{BUSINESS_GBP}/{faults.HOSTILE}/"
    html = staff_client.get(hostile).content.decode()
    assert "link refused: not an https URL" in html
    # The one valid document of the hostile record still downloads.
    links = re.findall(r'href="(/customers/[^"]+/documents/[0-9a-f-]{36}/)"', html)
    for link in links:
        response = staff_client.get(link)
        assert response.status_code in {302, 502}
        if response.status_code == 302:
            assert response["Location"].startswith("http://127.0.0.1")


@pytest.mark.parametrize(
    ("thredfi", "link", "allowed"),
    [
        ("https://backend.thredfi.com", "https://files.example/a.pdf?sig=x", True),
        ("https://backend.thredfi.com", "http://files.example/a.pdf?sig=x", False),
        ("https://backend.thredfi.com", "HTTP://files.example/a.pdf", False),
        ("http://127.0.0.1:8765", "http://127.0.0.1:8765/files/a.pdf", True),  # the sandbox
        ("http://127.0.0.1:8765", "https://files.example/a.pdf", True),
        ("https://backend.thredfi.com", "ftp://files.example/a.pdf", False),
        ("https://backend.thredfi.com", None, False),
    ],
)
def test_presigned_links_travel_over_tls_in_production(settings, thredfi, link, allowed) -> None:
    from customers_ui.thredfi.records import Document
    from customers_ui.upstream.links import document_link_followable

    settings.THREDFI_BASE_URL = thredfi
    assert document_link_followable(Document(url=link)) is allowed


def test_a_link_the_policy_refuses_is_never_followed_or_offered(staff_client, monkeypatch) -> None:
    from customers_ui.lookup import presenters, services

    link = document_links(staff_client)[0]
    for module in (services, presenters):
        monkeypatch.setattr(module, "document_link_followable", lambda document: False)

    response = staff_client.get(link)
    html = staff_client.get(DETAIL).text

    assert response.status_code == 502
    assert "Location" not in response
    assert "link refused: not an https URL" in html
    assert (
        "/documents/"
        not in html.split("Documents</h2>")[1].split("</section>")[0].split("link refused")[0]
    )
