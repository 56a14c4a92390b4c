"""What the client writes to logs: one INFO line per upstream call, never a secret."""

from __future__ import annotations

import base64
import logging

import pytest

from customers_ui.thredfi import NotFound, ThredfiError
from sandbox import faults
from sandbox.demo import BUSINESS_GBP, DEMO_API_KEY, DEMO_CUSTOMER_ID, DEMO_PARTNER_UUID

CUSTOMER_TEMPLATE = "/v1/platform/businesses/{business_id}/customers/{customer_id}/"


def _tokens(cache) -> set[str]:
    return {cache.get(key)["access_token"] for key in cache.live_keys()}


def test_no_secret_reaches_the_logs(api, make_client, token_cache, caplog):
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.DEBUG, logger="urllib3")
    client = make_client()
    issued: set[str] = set()

    client.list_businesses_page(1)
    client.get_customer(BUSINESS_GBP, DEMO_CUSTOMER_ID)
    client.search_customers(BUSINESS_GBP, "cobalt")
    issued |= _tokens(token_cache)
    for fault in (faults.NOT_FOUND, faults.UNAUTHORIZED, faults.BAD_GATEWAY, faults.RATE_LIMITED):
        with pytest.raises(ThredfiError):
            client.get_customer(BUSINESS_GBP, fault)
        issued |= _tokens(token_cache)
    api.revoke_tokens()
    client.get_customer(BUSINESS_GBP, DEMO_CUSTOMER_ID)
    issued |= _tokens(token_cache)
    with pytest.raises(ThredfiError):
        make_client(api_key=DEMO_API_KEY + "x").list_businesses_page(1)

    assert len(issued) >= 4
    basic = base64.b64encode(f"{DEMO_PARTNER_UUID}:{DEMO_API_KEY}".encode()).decode()
    forbidden = {DEMO_API_KEY, basic, "Authorization", "Basic ", "Bearer ", *issued}
    everything = caplog.text + "\n".join(repr(vars(record)) for record in caplog.records)
    assert caplog.records
    for secret in forbidden:
        assert secret not in everything


def test_each_call_logs_method_path_template_status_and_request_id(api, client, caplog):
    caplog.set_level(logging.INFO, logger="customers_ui.thredfi")
    with pytest.raises(NotFound) as caught:
        client.get_customer(BUSINESS_GBP, faults.NOT_FOUND)
    request_id = caught.value.request_id

    records = [r for r in caplog.records if r.name == "customers_ui.thredfi"]
    assert [r.thredfi_path for r in records] == [
        "/v1/platform/oauth2/token/",
        "/v1/platform/{business_id}/oauth2/token/",
        CUSTOMER_TEMPLATE,
    ]
    assert all(r.levelno == logging.INFO for r in records)
    line = records[-1]
    assert line.thredfi_method == "GET"
    assert line.thredfi_status == 404
    assert line.thredfi_request_id == request_id
    assert isinstance(line.thredfi_duration_ms, int)
    message = line.getMessage()
    assert message.startswith(f"thredfi GET {CUSTOMER_TEMPLATE} -> 404 in ")
    assert message.endswith(f"ms request_id={request_id}")
    assert faults.NOT_FOUND not in message and BUSINESS_GBP not in message


def test_query_strings_are_not_logged(api, client, caplog):
    caplog.set_level(logging.INFO, logger="customers_ui.thredfi")
    client.search_customers(BUSINESS_GBP, "ada@cobaltkitchens.example", page=1)
    text = "\n".join(r.getMessage() for r in caplog.records if r.name == "customers_ui.thredfi")
    assert "/v1/platform/businesses/{business_id}/customers/ -> 200" in text
    assert "cobaltkitchens" not in text and "page=" not in text
