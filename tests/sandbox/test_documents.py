"""Presigned document URLs: real bytes before expiry, S3-style refusals after or when tampered."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from sandbox.demo import BUSINESS_GBP, DEMO_CUSTOMER_ID
from tests.sandbox.conftest import pass_time_until


def _documents(api, token: str) -> dict[str, dict]:
    body = api.customer(BUSINESS_GBP, DEMO_CUSTOMER_ID, token).json()
    return {doc["mime_type"]: doc for doc in body["documents"]}


def test_pdf_download_serves_real_pdf_bytes(api, business_tokens) -> None:
    doc = _documents(api, business_tokens[BUSINESS_GBP])["application/pdf"]

    response = api.http.get(doc["url"], timeout=5)

    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/pdf"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert 'filename="INV-2024-0042.pdf"' in response.headers["Content-Disposition"]
    assert response.headers["X-Request-ID"].startswith("req_")
    assert response.content.startswith(b"%PDF-1.4")
    assert response.content.rstrip().endswith(b"%%EOF")
    assert b"INV-2024-0042" in response.content
    assert len(response.content) == doc["file_size"]


def test_csv_download_and_sizes_match_for_every_document(api, business_tokens) -> None:
    token = business_tokens[BUSINESS_GBP]
    csv = _documents(api, token)["text/csv"]
    response = api.http.get(csv["url"], timeout=5)
    assert response.headers["Content-Type"] == "text/csv"
    assert response.content.decode("utf-8-sig").startswith("date,reference,description")

    rows = api.customers(BUSINESS_GBP, token, page_size=40).json()["results"]
    checked = 0
    for row in rows:
        for doc in api.customer(BUSINESS_GBP, row["id"], token).json()["documents"]:
            content = api.http.get(doc["url"], timeout=5).content
            assert len(content) == doc["file_size"], doc["file_name"]
            magic = b"%PDF" if doc["mime_type"] == "application/pdf" else b"\xef\xbb\xbf"
            assert content.startswith(magic)
            checked += 1
    assert checked >= 10


def test_bad_signature_is_403(api, business_tokens) -> None:
    url = _documents(api, business_tokens[BUSINESS_GBP])["application/pdf"]["url"]
    response = api.http.get(url[:-4] + "0000", timeout=5)
    assert response.status_code == 403
    assert b"<Code>SignatureDoesNotMatch</Code>" in response.content


def test_other_file_name_or_later_expiry_with_same_signature_is_403(api, business_tokens) -> None:
    url = _documents(api, business_tokens[BUSINESS_GBP])["application/pdf"]["url"]
    expires = parse_qs(urlsplit(url).query)["expires"][0]
    later = url.replace(f"expires={expires}", f"expires={int(expires) + 3600}")
    assert api.http.get(later, timeout=5).status_code == 403
    renamed = url.replace("INV-2024-0042.pdf", "INV-2024-0043.pdf")
    assert api.http.get(renamed, timeout=5).status_code == 403


def test_missing_signature_is_403(api, business_tokens) -> None:
    url = _documents(api, business_tokens[BUSINESS_GBP])["application/pdf"]["url"]
    assert api.http.get(url.split("?")[0], timeout=5).status_code == 403


def test_urls_expire(start_sandbox) -> None:
    process, client = start_sandbox(document_ttl=1)
    token = client.business_token(BUSINESS_GBP)
    doc = _documents(client, token)["application/pdf"]
    assert doc["expires_in"] == 1
    assert client.http.get(doc["url"], timeout=5).status_code == 200

    pass_time_until(process, int(parse_qs(urlsplit(doc["url"]).query)["expires"][0]))

    response = client.http.get(doc["url"], timeout=5)
    assert response.status_code == 403
    assert b"Request has expired" in response.content
    fresh = _documents(client, token)["application/pdf"]["url"]
    assert client.http.get(fresh, timeout=5).status_code == 200
