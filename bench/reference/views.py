"""One customer page, the straightforward way: look the credential up, GET, render.

Tokens and the business's currency are kept in process memory for a few minutes, as an
afternoon version would, so that a warm page makes exactly one upstream call, like the dashboard.
"""

from __future__ import annotations

import threading
import time
import uuid

import requests
from babel.numbers import format_currency
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from customers_ui.models import PartnerCredential

_session = requests.Session()
_lock = threading.Lock()
_tokens: dict[str, tuple[str, float]] = {}
_currencies: dict[str, str] = {}
TOKEN_SECONDS = 300


def _business_token(credential: PartnerCredential, business_id: str) -> str:
    with _lock:
        token, expires = _tokens.get(business_id, ("", 0.0))
    if token and expires > time.monotonic():
        return token
    base = settings.THREDFI_BASE_URL
    partner = _session.post(
        f"{base}/v1/platform/oauth2/token/",
        auth=(str(credential.partner_uuid), credential.get_api_key()),
        data={"grant_type": "client_credentials"},
        timeout=10,
    ).json()["access_token"]
    token = _session.post(
        f"{base}/v1/platform/{business_id}/oauth2/token/",
        headers={"Authorization": f"Bearer {partner}"},
        timeout=10,
    ).json()["access_token"]
    with _lock:
        _tokens[business_id] = (token, time.monotonic() + TOKEN_SECONDS)
    return token


def _currency(token: str, business_id: str) -> str:
    if business_id not in _currencies:
        business = _session.get(
            f"{settings.THREDFI_BASE_URL}/v1/platform/businesses/{business_id}/",
            headers={"Authorization": f"Bearer {token}"},
            timeout=10,
        ).json()
        _currencies[business_id] = business.get("currency") or "GBP"
    return _currencies[business_id]


def customer(request: HttpRequest, business_id: uuid.UUID, customer_id: uuid.UUID) -> HttpResponse:
    credential = PartnerCredential.objects.filter(owner=request.user).first()
    if credential is None:
        return HttpResponse("no credential", status=400)
    business = str(business_id)
    token = _business_token(credential, business)
    currency = _currency(token, business)
    answer = _session.get(
        f"{settings.THREDFI_BASE_URL}/v1/platform/businesses/{business}/customers/{customer_id}/",
        headers={"Authorization": f"Bearer {token}"},
        timeout=10,
    )
    if answer.status_code != 200:
        return HttpResponse("Thredfi said no", status=502)
    data = answer.json()
    balance = data.get("outstanding_balance")
    limit = data.get("credit_limit_cents")
    return render(
        request,
        "reference/customer.html",
        {
            "c": data,
            "balance": format_currency(balance / 100, currency, locale="en_GB")
            if balance is not None
            else "—",
            "limit": format_currency(limit / 100, currency, locale="en_GB")
            if limit is not None
            else "—",
        },
    )
