"""The detail page's "Copy summary": plain text for the reply to the ticket.

Laid out by LOOKUP_SUMMARY_TEMPLATE (Django template syntax, text only), so each team can match
its helpdesk's tone. The template comes from the environment, the values from Thredfi, so:
- it is rendered by its own `Engine` with autoescaping off (the text goes to a clipboard, not to
  HTML; the page that carries it escapes it as usual) and no template loaders, so `{% include %}`
  and `{% extends %}` cannot read files;
- its context holds only the summary's plain strings below (no records, no request, no user), so
  nothing can be reached through attribute lookups;
- a template that does not compile or fails to render falls back to the default, logged once,
  so a typo in the setting never breaks the detail page.

Names a template may use: name, business, status, outstanding_balance, credit_limit,
available_credit, reference, external_id, email, customer_id, business_id, dashboard_url,
ticket, via.
"""

from __future__ import annotations

import logging
from functools import lru_cache

from django.conf import settings
from django.template import Context, Engine, Template, TemplateSyntaxError

from customers_ui.lookup.presenters import UNREADABLE, CustomerPresenter
from customers_ui.templatetags.money import money

logger = logging.getLogger(__name__)

DEFAULT_SUMMARY_TEMPLATE = (
    "Customer: {{ name }}\n"
    "Business: {{ business }}\n"
    "Status: {{ status }}\n"
    "Outstanding balance: {{ outstanding_balance }}\n"
    "Credit limit: {{ credit_limit }}\n"
    "Available credit: {{ available_credit }}\n"
    "Reference: {{ reference }}\n"
    "Dashboard: {{ dashboard_url }}"
)
MAX_SUMMARY_CHARS = 4_000

_ENGINE = Engine(autoescape=False, loaders=[], libraries={}, debug=False)


@lru_cache(maxsize=8)
def _compiled(source: str) -> Template | None:
    try:
        return _ENGINE.from_string(source)
    except (TemplateSyntaxError, ValueError, TypeError) as error:
        logger.warning("LOOKUP_SUMMARY_TEMPLATE does not compile (%s); using the default", error)
        return None


def summary_template_error(source: str) -> str:
    """Why `source` would not compile ("" when it does, or is empty): for the system check."""
    if not source:
        return ""
    try:
        _ENGINE.from_string(source)
    except (TemplateSyntaxError, ValueError, TypeError) as error:
        return str(error)[:200]
    return ""


def _available_credit(view: CustomerPresenter) -> str:
    customer = view.customer
    limit, balance = customer.credit_limit_cents, customer.outstanding_balance
    if {"credit_limit_cents", "outstanding_balance"} & customer.unreadable:
        return UNREADABLE
    if limit is None or balance is None:
        return "—"
    if limit == 0:
        return "No credit limit"
    return money(limit - balance, view.business.currency)


def summary_values(
    view: CustomerPresenter, *, dashboard_url: str, ticket: str = "", via: str = ""
) -> dict[str, str]:
    """The summary's values, each a plain string."""
    customer, business = view.customer, view.business
    return {
        "name": view.title,
        "business": business.legal_name or "—",
        "status": customer.lifecycle_label or "—",
        "outstanding_balance": view.balance_text,
        "credit_limit": view.credit_limit_label,
        "available_credit": _available_credit(view),
        "reference": customer.reference_number or "—",
        "external_id": customer.external_id or "—",
        "email": customer.email or "—",
        "customer_id": str(customer.id),
        "business_id": str(business.id),
        "dashboard_url": dashboard_url,
        "ticket": ticket,
        "via": via,
    }


def _render(source: str, values: dict[str, str]) -> str | None:
    template = _compiled(source)
    if template is None:
        return None
    try:
        return template.render(Context(values, autoescape=False))
    except Exception as error:  # a broken setting must not break the page
        logger.warning("LOOKUP_SUMMARY_TEMPLATE failed (%s); using the default", type(error))
        return None


def customer_summary(
    view: CustomerPresenter, *, dashboard_url: str, ticket: str = "", via: str = ""
) -> str:
    """The text "Copy summary" copies: the configured layout, or the default one."""
    values = summary_values(view, dashboard_url=dashboard_url, ticket=ticket, via=via)
    text = _render(settings.LOOKUP_SUMMARY_TEMPLATE or DEFAULT_SUMMARY_TEMPLATE, values)
    if text is None:
        text = _render(DEFAULT_SUMMARY_TEMPLATE, values) or ""
    # Text only: no control characters but line breaks and tabs; bounded. The usual text has
    # none, and one `isprintable` over it costs ~1 µs against ~14 µs for the loop (issue #23).
    if not text.replace("\n", "").replace("\t", "").isprintable():
        text = "".join(ch for ch in text if ch in "\n\t" or ch.isprintable())
    return text.strip()[:MAX_SUMMARY_CHARS]
