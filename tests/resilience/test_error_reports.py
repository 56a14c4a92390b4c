"""An unexpected failure shows a plain page: no traceback, settings or request data."""

from __future__ import annotations

import logging

from django.test import Client

from customers_ui.lookup import services
from sandbox.demo import BUSINESS_GBP, DEMO_CUSTOMER_ID


def test_an_unexpected_error_is_a_plain_500(support_user, credential, monkeypatch, caplog) -> None:
    def explode(**kwargs):
        raise RuntimeError("unexpected failure while rendering")

    monkeypatch.setattr(services, "customer_get", explode)
    client = Client(raise_request_exception=False)
    client.force_login(support_user)
    with caplog.at_level(logging.ERROR):
        response = client.get(
            f"/customers/{BUSINESS_GBP}/{DEMO_CUSTOMER_ID}/", {"q": "private-search-text"}
        )
    assert response.status_code == 500
    html = response.content.decode()
    assert "Something went wrong on our side" in html
    for leak in ("Traceback", "SECRET_KEY", "RuntimeError", "unexpected failure", "sessionid"):
        assert leak not in html
    logged = caplog.text
    assert "private-search-text" not in logged
    assert "sessionid" not in logged


def test_admin_is_for_staff_only(client, support_user) -> None:
    client.force_login(support_user)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
