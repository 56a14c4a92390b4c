"""Lookup pages. Thin: validate input, call one service, choose the template and status code.

Failures raised as `LookupFailed` (by a service, or here for input that makes no sense) become
problem pages in `shows_problems`, the view edge.
"""

from __future__ import annotations

import uuid
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from customers_ui.core.problem_pages import shows_problems
from customers_ui.core.problems import BadLookupInput, LookupFailed
from customers_ui.core.ticket_links import ticket_url
from customers_ui.credentials import selectors as credential_selectors
from customers_ui.credentials.decorators import uses_credential
from customers_ui.directory import services as directory_services
from customers_ui.lookup import cross_site, selectors, services, tickets
from customers_ui.lookup.forms import HomePrefillForm, PasteForm, ResultsForm, SearchForm
from customers_ui.lookup.go_links import GoLink, go_link_parse, go_query
from customers_ui.lookup.other_credentials import offers_other_credentials
from customers_ui.lookup.presenters import CustomerPresenter, recent_lookup_rows
from customers_ui.lookup.references import MAX_REFERENCE_LENGTH, parse_customer_reference
from customers_ui.lookup.summary import customer_summary
from customers_ui.models import PartnerCredential
from customers_ui.teams.scope import scope_check
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
        "credentials": list(credential_selectors.usable_credentials(user=request.user)),
        "selected_business": credential.last_business_id,
        "thredfi": thredfi_state(),
        # A `/go` link without a business lands here with its customer in the search or paste box.
        "prefill": HomePrefillForm(request.GET).prefill(),
    }
    # The business picker is the partner's directory: a <select> for a few, a finder for many.
    recent = [
        event
        for event in selectors.recent_lookups(user=request.user)
        if credential.in_scope(event.business_id)
    ]
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
@uses_credential
@shows_problems
def search(request: HttpRequest, credential: PartnerCredential) -> HttpResponse:
    """The home page's search form lands here and is sent on to a bookmarkable results URL."""
    data = _valid(SearchForm(request.GET))
    scope_check(credential=credential, business_id=data["business"])  # type: ignore[arg-type]
    url = reverse("customers_ui:customer_list", args=[data["business"]])
    return HttpResponseRedirect(f"{url}?{urlencode({'q': data['q']})}" if data["q"] else url)


@require_GET
@uses_credential
@shows_problems
def paste_lookup(request: HttpRequest, credential: PartnerCredential) -> HttpResponse:
    """Open a customer from a pasted ID, ID pair or URL; anything else becomes a search.

    A business outside the credential's scope is refused here, before any redirect."""
    data = _valid(PasteForm(request.GET))
    text = str(data["ref"])
    reference = parse_customer_reference(text)
    business_id = data.get("business")
    if reference is None:
        scope_check(credential=credential, business_id=business_id)  # type: ignore[arg-type]
        if business_id is None:
            raise LookupFailed(BadLookupInput("Paste a customer ID or a link that contains one."))
        url = reverse("customers_ui:customer_list", args=[business_id])
        return HttpResponseRedirect(f"{url}?{urlencode({'q': text[:MAX_QUERY_CHARS]})}")
    business_id = reference.business_id or business_id
    scope_check(credential=credential, business_id=business_id)  # type: ignore[arg-type]
    if reference.customer_id is None:  # a business's page: its customer list
        return redirect("customers_ui:customer_list", business_id)
    if business_id is None:
        raise LookupFailed(
            BadLookupInput("Pick the customer's business, or paste a link that names it.")
        )
    return redirect("customers_ui:customer_detail", business_id, reference.customer_id)


@require_GET
@never_cache
@uses_credential
@shows_problems
@offers_other_credentials
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
        ticket=tickets.ticket_for(request.session, business_id=business_id),
    )
    return _results_page(request, credential, result)


def _results_page(
    request: HttpRequest, credential: PartnerCredential, result: services.SearchResult, **extra: Any
) -> HttpResponse:
    return render(
        request,
        "customers_ui/customer_list.html",
        {
            "nav": "lookup",
            "result": result,
            "credential": credential,
            "list_url": reverse("customers_ui:customer_list", args=[result.business.id]),
            **extra,
        },
    )


@require_GET
@never_cache
@uses_credential
@shows_problems
@offers_other_credentials
def customer_detail(
    request: HttpRequest,
    credential: PartnerCredential,
    business_id: uuid.UUID,
    customer_id: uuid.UUID,
) -> HttpResponse:
    ticket = tickets.ticket_for(request.session, business_id=business_id, customer_id=customer_id)
    lookup = services.customer_get(
        user=request.user,
        credential=credential,
        business_id=business_id,
        customer_id=customer_id,
        ticket=ticket,
    )
    view = CustomerPresenter(lookup.customer, lookup.business)
    return render(
        request,
        "customers_ui/customer_detail.html",
        {
            "nav": "lookup",
            "credential": credential,
            "business": lookup.business,
            "customer": lookup.customer,
            "view": view,
            **_for_the_ticket(request, view, ticket),
        },
    )


def _for_the_ticket(
    request: HttpRequest, view: CustomerPresenter, ticket: tickets.TicketRef | None
) -> dict[str, object]:
    """The detail page's ticket card: where it was opened from, Copy summary, Copy a /go link."""
    ref, via = (ticket.ticket_ref, ticket.via) if ticket else ("", "")
    query = go_query(business_id=view.business.id, customer_id=view.customer.id, ticket=ticket)
    return {
        "ticket": ticket,
        "ticket_url": ticket_url(ref),
        "summary": customer_summary(
            view, dashboard_url=request.build_absolute_uri(request.path), ticket=ref, via=via
        ),
        "go_link": request.build_absolute_uri(f"{reverse('customers_ui:go')}?{query}"),
    }


@require_GET
@never_cache
@uses_credential
@shows_problems
@offers_other_credentials
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
        ticket=tickets.ticket_for(
            request.session, business_id=business_id, customer_id=customer_id
        ),
    )
    response = HttpResponseRedirect(url)
    # The presigned URL is a short-lived secret: don't cache it or leak our page as referrer.
    response["Referrer-Policy"] = "no-referrer"
    return response


@require_http_methods(["GET", "POST"])
@never_cache
@uses_credential
@shows_problems
@offers_other_credentials
def go(request: HttpRequest, credential: PartnerCredential) -> HttpResponse:
    """A deep link from a helpdesk ticket (docs/helpdesk-links.md): straight to the customer.

    Checked first (a bad parameter is a 400 naming it). A cross-site request from anywhere but a
    listed helpdesk gets a confirmation page and no upstream call (`cross_site`); its button
    POSTs here (CSRF-checked) and comes back as a GET that may act. Every redirect goes to one
    of our own paths, built by `reverse`.
    """
    try:
        link = go_link_parse(request.POST if request.method == "POST" else request.GET)
    except BadLookupInput as error:
        raise LookupFailed(error) from error
    here = reverse("customers_ui:go")
    if request.method == "POST":
        cross_site.confirmation_remember(request.session, query=link.query)
        return HttpResponseRedirect(f"{here}?{link.query}", status=303)
    if not cross_site.go_may_act(request, query=link.query):
        return render(
            request,
            "customers_ui/go_confirm.html",
            {
                "nav": "lookup",
                "link": link,
                "came_from": cross_site.referer_origin(request),
                "listed": cross_site.referer_listed(request),
            },
        )
    outcome = services.go_link_follow(user=request.user, credential=credential, link=link)
    return _go_outcome_response(request, credential, link, outcome)


def _go_outcome_response(
    request: HttpRequest,
    credential: PartnerCredential,
    link: GoLink,
    outcome: services.GoOutcome,
) -> HttpResponse:
    End = services.GoEnd
    if link.ticket is not None and outcome.business_id is not None:
        tickets.ticket_remember(
            request.session,
            ticket=link.ticket,
            business_id=outcome.business_id,
            customer_id=outcome.customer_id,
        )
    elif outcome.business_id is not None:
        tickets.ticket_pending_end(request.session, business_id=outcome.business_id)
    if outcome.end is End.CUSTOMER:
        return redirect("customers_ui:customer_detail", outcome.business_id, outcome.customer_id)
    if outcome.end is End.CUSTOMERS:
        assert outcome.search is not None
        return _results_page(request, credential, outcome.search, from_go=True)
    if outcome.end is End.BUSINESS:
        return redirect("customers_ui:customer_list", outcome.business_id)
    if outcome.end is End.BUSINESSES:
        messages.info(
            request,
            f"Several businesses are called “{link.business_name}”: pick the customer's."
            if outcome.businesses_found
            else f"No business is called exactly “{link.business_name}”: find it below.",
        )
        url = reverse("customers_ui:business_search")
        return HttpResponseRedirect(f"{url}?{urlencode({'q': link.business_name})}")
    # A customer but no business: the home page, with the customer where it belongs.
    messages.info(request, "Pick the customer's business to open them.")
    field = "ref" if link.reference is not None else "q"
    value = link.customer[: MAX_REFERENCE_LENGTH if field == "ref" else MAX_QUERY_CHARS]
    return HttpResponseRedirect(f"{reverse('customers_ui:home')}?{urlencode({field: value})}")
