"""Lookup pages. Thin: validate input, call one service, choose the template and status code.

Failures raised as `LookupFailed` (by a service, or here for input that makes no sense) become
problem pages in `shows_problems`, the view edge.
"""

from __future__ import annotations

import uuid
from urllib.parse import urlencode

from django import forms
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from customers_ui.core.problem_pages import shows_problems
from customers_ui.core.problems import BadLookupInput, LookupFailed
from customers_ui.credentials import selectors as credential_selectors
from customers_ui.credentials.decorators import uses_credential
from customers_ui.directory import services as directory_services
from customers_ui.lookup import selectors, services
from customers_ui.lookup.forms import PasteForm, ResultsForm, SearchForm
from customers_ui.lookup.presenters import CustomerPresenter, recent_lookup_rows
from customers_ui.lookup.references import parse_customer_reference
from customers_ui.models import PartnerCredential
from customers_ui.thredfi.client import MAX_QUERY_CHARS
from customers_ui.upstream.guards import thredfi_state


def _valid(form: forms.Form) -> dict[str, object]:
    """The cleaned data, or a 400 page saying what was wrong (nothing reaches Thredfi)."""
    if not form.is_valid():
        errors = " ".join(str(e) for field_errors in form.errors.values() for e in field_errors)
        raise LookupFailed(BadLookupInput(errors))
    return form.cleaned_data


@require_GET
@never_cache
@uses_credential
def home(request: HttpRequest, credential: PartnerCredential) -> HttpResponse:
    context: dict[str, object] = {
        "nav": "lookup",
        "credential": credential,
        "credentials": list(credential_selectors.credential_list(user=request.user)),
        "selected_business": credential.last_business_id,
        "thredfi": thredfi_state(),
    }
    # The business picker is the partner's directory: a <select> for a few, a finder for many.
    recent = selectors.recent_lookups(user=request.user)
    directory = directory_services.directory_home(
        user=request.user, credential=credential, also_name=[e.business_id for e in recent]
    )
    if directory.access.failure is not None:
        context["business_problem"] = directory.access.failure.problem
    context["directory"] = directory
    context["businesses"] = directory.picker or []
    context["recent"] = recent_lookup_rows(recent, directory.named(e.business_id for e in recent))
    return render(request, "customers_ui/home.html", context)


@require_GET
@shows_problems
def search(request: HttpRequest) -> HttpResponse:
    """The home page's search form lands here and is sent on to a bookmarkable results URL."""
    data = _valid(SearchForm(request.GET))
    url = reverse("customers_ui:customer_list", args=[data["business"]])
    return HttpResponseRedirect(f"{url}?{urlencode({'q': data['q']})}" if data["q"] else url)


@require_GET
@shows_problems
def paste_lookup(request: HttpRequest) -> HttpResponse:
    """Open a customer from a pasted ID, ID pair or URL; anything else becomes a search."""
    data = _valid(PasteForm(request.GET))
    text = str(data["ref"])
    reference = parse_customer_reference(text)
    business_id = data.get("business")
    if reference is None:
        if business_id is None:
            raise LookupFailed(BadLookupInput("Paste a customer ID or a link that contains one."))
        url = reverse("customers_ui:customer_list", args=[business_id])
        return HttpResponseRedirect(f"{url}?{urlencode({'q': text[:MAX_QUERY_CHARS]})}")
    business_id = reference.business_id or business_id
    if business_id is None:
        raise LookupFailed(
            BadLookupInput("Pick the customer's business, or paste a link that names it.")
        )
    return redirect("customers_ui:customer_detail", business_id, reference.customer_id)


@require_GET
@never_cache
@uses_credential
@shows_problems
def customer_list(
    request: HttpRequest, credential: PartnerCredential, business_id: uuid.UUID
) -> HttpResponse:
    data = _valid(ResultsForm(request.GET))
    result = services.customer_search(
        user=request.user,
        credential=credential,
        business_id=business_id,
        query=str(data["q"] or ""),
        page=int(data["page"] or 1),  # type: ignore[call-overload]
    )
    return render(
        request,
        "customers_ui/customer_list.html",
        {"nav": "lookup", "result": result, "credential": credential},
    )


@require_GET
@never_cache
@uses_credential
@shows_problems
def customer_detail(
    request: HttpRequest,
    credential: PartnerCredential,
    business_id: uuid.UUID,
    customer_id: uuid.UUID,
) -> HttpResponse:
    lookup = services.customer_get(
        user=request.user,
        credential=credential,
        business_id=business_id,
        customer_id=customer_id,
    )
    return render(
        request,
        "customers_ui/customer_detail.html",
        {
            "nav": "lookup",
            "credential": credential,
            "business": lookup.business,
            "customer": lookup.customer,
            "view": CustomerPresenter(lookup.customer, lookup.business),
        },
    )


@require_GET
@never_cache
@uses_credential
@shows_problems
def document_download(
    request: HttpRequest,
    credential: PartnerCredential,
    business_id: uuid.UUID,
    customer_id: uuid.UUID,
    document_id: uuid.UUID,
) -> HttpResponse:
    """Fetch a fresh presigned URL and send the browser there, however old the page is."""
    url = services.document_download_url(
        user=request.user,
        credential=credential,
        business_id=business_id,
        customer_id=customer_id,
        document_id=document_id,
    )
    response = HttpResponseRedirect(url)
    # The presigned URL is a short-lived secret: don't cache it or leak our page as referrer.
    response["Referrer-Policy"] = "no-referrer"
    return response
