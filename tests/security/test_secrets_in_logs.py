"""No API key, token or Authorization header reaches a log line, whatever happens in a lookup."""

from __future__ import annotations

import logging
import re

from customers_ui.upstream import caching
from sandbox import faults
from sandbox.demo import BUSINESS_GBP, DEMO_API_KEY, DEMO_CUSTOMER_ID
from tests.factories import make_credential


def cached_token_strings() -> list[str]:
    """Every bearer token the dashboard holds right now (from the in-process cache copies)."""
    found: list[str] = []

    def walk(value: object) -> None:
        if isinstance(value, str) and value.count(".") == 2 and len(value) > 40:
            found.append(value)
        elif isinstance(value, dict):
            for item in value.values():
                walk(item)
        elif isinstance(value, list | tuple):
            for item in value:
                walk(item)
        elif hasattr(value, "__dict__") or hasattr(value, "__slots__"):
            for name in getattr(value, "__slots__", ()) or vars(value):
                walk(getattr(value, name, None))

    with caching._local_lock:
        entries = list(caching._local.values())
    for _expiry, value in entries:
        walk(value)
    return found


def test_a_full_lookup_flow_including_failures_logs_no_secret(
    staff_client, support_user, caplog, thredfi_sandbox
) -> None:
    caplog.set_level(logging.DEBUG)
    detail = f"/customers/{BUSINESS_GBP}/{DEMO_CUSTOMER_ID}/"
    staff_client.get("/")
    staff_client.get(f"/customers/{BUSINESS_GBP}/", {"q": "cobalt"})
    html = staff_client.get(detail).content.decode()
    document = re.search(r'href="(/customers/[^"]+/documents/[0-9a-f-]{36}/)"', html).group(1)
    staff_client.get(document)
    for fault in (faults.SERVER_ERROR, faults.UNAUTHORIZED, faults.NON_JSON, faults.HANG):
        staff_client.get(f"/customers/{BUSINESS_GBP}/{fault}/")
    thredfi_sandbox.revoke_tokens()
    staff_client.get(detail)  # refresh-once path
    tokens = cached_token_strings()
    assert tokens, "expected the flow to have cached tokens"

    wrong = make_credential(support_user, "Wrong", api_key="wrong-key-value-0000")
    staff_client.post(f"/credentials/{wrong.pk}/test/")

    text = caplog.text + "\n".join(str(r.__dict__) for r in caplog.records)
    assert "customers_ui.thredfi" in {r.name for r in caplog.records}
    assert DEMO_API_KEY not in text
    assert "wrong-key-value-0000" not in text
    for token in tokens:
        assert token not in text
    assert "Authorization" not in text
    assert "Bearer " not in text
    assert "Basic " not in text


def test_upstream_calls_are_logged_as_path_templates_with_request_ids(staff_client, caplog) -> None:
    caplog.set_level(logging.INFO, logger="customers_ui.thredfi")
    staff_client.get(f"/customers/{BUSINESS_GBP}/{DEMO_CUSTOMER_ID}/")
    lines = [r.getMessage() for r in caplog.records if r.name.startswith("customers_ui.thredfi")]
    customer_lines = [line for line in lines if "/customers/{customer_id}/" in line]
    assert customer_lines
    assert DEMO_CUSTOMER_ID not in " ".join(lines)
    assert re.search(r"req_[0-9a-zA-Z]+", customer_lines[-1])
