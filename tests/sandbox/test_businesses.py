"""Partner-level business routes: listing with page links, and one business."""

from __future__ import annotations

from sandbox.demo import BUSINESS_EUR, BUSINESS_GBP, BUSINESS_USD
from tests.sandbox.conftest import assert_error_envelope

FIELDS = {"id", "legal_name", "country", "currency", "entity_type", "is_active"}


def test_list_businesses(api) -> None:
    response = api.get("/v1/platform/businesses/", api.partner_token())

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 3
    assert body["next"] is None and body["previous"] is None
    by_id = {row["id"]: row for row in body["results"]}
    assert set(by_id) == {BUSINESS_GBP, BUSINESS_EUR, BUSINESS_USD}
    assert all(set(row) == FIELDS for row in body["results"])
    assert by_id[BUSINESS_GBP] == {
        "id": BUSINESS_GBP,
        "legal_name": "Harbour & Finch Ltd",
        "country": "GB",
        "currency": "GBP",
        "entity_type": "limited_company",
        "is_active": True,
    }
    assert by_id[BUSINESS_EUR]["legal_name"] == "Müller Holzbau GmbH"
    assert by_id[BUSINESS_USD]["currency"] == "USD"


def test_list_businesses_pages_with_absolute_links(api) -> None:
    token = api.partner_token()
    first = api.get("/v1/platform/businesses/", token, params={"page_size": 2}).json()

    assert len(first["results"]) == 2
    assert first["previous"] is None
    assert first["next"] == f"{api.base_url}/v1/platform/businesses/?page=2&page_size=2"
    second = api.http.get(first["next"], headers={"Authorization": f"Bearer {token}"}).json()
    assert len(second["results"]) == 1
    assert second["next"] is None
    assert second["previous"].startswith(api.base_url)
    assert_error_envelope(api.get("/v1/platform/businesses/", token, params={"page": 3}), 404)


def test_get_one_business_with_and_without_trailing_slash(api) -> None:
    token = api.partner_token()
    for path in (
        f"/v1/platform/businesses/{BUSINESS_EUR}/",
        f"/v1/platform/businesses/{BUSINESS_EUR}",
    ):
        response = api.get(path, token)
        assert response.status_code == 200
        assert response.json()["country"] == "DE"


def test_unknown_business_is_404(api) -> None:
    token = api.partner_token()
    assert_error_envelope(api.get("/v1/platform/businesses/not-a-uuid/", token), 404)
    unknown = "/v1/platform/businesses/99999999-9999-4999-8999-999999999999/"
    assert_error_envelope(api.get(unknown, token), 404)


def test_business_routes_need_a_partner_token(api, business_tokens) -> None:
    assert_error_envelope(api.get("/v1/platform/businesses/"), 401)
    assert_error_envelope(api.get("/v1/platform/businesses/", business_tokens[BUSINESS_GBP]), 401)
