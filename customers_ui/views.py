"""Lookup pages. Thin: validate input, call one service, choose the template and status code."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from functools import wraps
from urllib.parse import urlencode

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from customers_ui import selectors, services
from customers_ui.lookup_forms import PasteForm, ResultsForm, SearchForm
from customers_ui.models import PartnerCredential
from customers_ui.presenters import CustomerPresenter, recent_lookup_rows
from customers_ui.problems import Problem
from customers_ui.references import parse_customer_reference


def uses_credential(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Hand the view the user's active credential; without one, send them to add one."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        credential = selectors.active_credential(user=request.user, session=request.session)
        if credential is None:
            messages.info(
                request, "Add your Thredfi partner credentials to start looking up customers."
            )
            return redirect(f"{reverse('customers_ui:credential_create')}?next=/")
        return view(request, credential, *args, **kwargs)

    return wrapper


def _problem_page(request: HttpRequest, problem: Problem, **context: object) -> HttpResponse:
    response = render(
        request,
        "customers_ui/problem.html",
        {"problem": problem, "nav": "lookup", **context},
        status=problem.status,
    )
    if problem.retry_after:
        response["Retry-After"] = str(int(problem.retry_after))
    return response


def _bad_request(request: HttpRequest, form_errors: str) -> HttpResponse:
    problem = Problem(
        400,
        "bad_input",
        "That lookup doesn't make sense",
        form_errors,
        "Go back and check what you typed.",
    )
    return _problem_page(request, problem)


def _form_errors(form: object) -> str:
    return " ".join(str(e) for errors in form.errors.values() for e in errors)  # type: ignore[attr-defined]


@require_GET
@never_cache
@uses_credential
def home(request: HttpRequest, credential: PartnerCredential) -> HttpResponse:
    context: dict[str, object] = {
        "nav": "lookup",
        "credential": credential,
        "credentials": list(selectors.credential_list(user=request.user)),
        "selected_business": credential.last_business_id,
    }
    businesses = []
    try:
        businesses = services.business_list(credential=credential)
    except services.LookupFailed as failed:
        context["business_problem"] = failed.problem
    context["businesses"] = businesses
    context["recent"] = recent_lookup_rows(selectors.recent_lookups(user=request.user), businesses)
    return render(request, "customers_ui/home.html", context)


@require_GET
def search(request: HttpRequest) -> HttpResponse:
    """The home page's search form lands here and is sent on to a bookmarkable results URL."""
    form = SearchForm(request.GET)
    if not form.is_valid():
        return _bad_request(request, _form_errors(form))
    url = reverse("customers_ui:customer_list", args=[form.cleaned_data["business"]])
    query = form.cleaned_data["q"]
    return HttpResponseRedirect(f"{url}?{urlencode({'q': query})}" if query else url)


@require_GET
def paste_lookup(request: HttpRequest) -> HttpResponse:
    """Open a customer from a pasted ID, ID pair or URL; anything else becomes a search."""
    form = PasteForm(request.GET)
    if not form.is_valid():
        return _bad_request(request, _form_errors(form))
    reference = parse_customer_reference(form.cleaned_data["ref"])
    business_id = form.cleaned_data.get("business")
    if reference is None:
        if business_id is None:
            return _bad_request(request, "Paste a customer ID or a link that contains one.")
        url = reverse("customers_ui:customer_list", args=[business_id])
        return HttpResponseRedirect(f"{url}?{urlencode({'q': form.cleaned_data['ref'][:200]})}")
    business_id = reference.business_id or business_id
    if business_id is None:
        return _bad_request(request, "Pick the customer's business, or paste a link that names it.")
    return redirect("customers_ui:customer_detail", business_id, reference.customer_id)


@require_GET
@never_cache
@uses_credential
def customer_list(
    request: HttpRequest, credential: PartnerCredential, business_id: uuid.UUID
) -> HttpResponse:
    form = ResultsForm(request.GET)
    if not form.is_valid():
        return _bad_request(request, _form_errors(form))
    try:
        result = services.customer_search(
            user=request.user,
            credential=credential,
            business_id=business_id,
            query=form.cleaned_data["q"] or "",
            page=form.cleaned_data["page"] or 1,
        )
    except services.LookupFailed as failed:
        return _problem_page(request, failed.problem, business_id=business_id)
    return render(
        request,
        "customers_ui/customer_list.html",
        {"nav": "lookup", "result": result, "credential": credential},
    )


@require_GET
@never_cache
@uses_credential
def customer_detail(
    request: HttpRequest,
    credential: PartnerCredential,
    business_id: uuid.UUID,
    customer_id: uuid.UUID,
) -> HttpResponse:
    try:
        lookup = services.customer_get(
            user=request.user,
            credential=credential,
            business_id=business_id,
            customer_id=customer_id,
        )
    except services.LookupFailed as failed:
        return _problem_page(
            request, failed.problem, business_id=business_id, customer_id=customer_id
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
def document_download(
    request: HttpRequest,
    credential: PartnerCredential,
    business_id: uuid.UUID,
    customer_id: uuid.UUID,
    document_id: uuid.UUID,
) -> HttpResponse:
    """Fetch a fresh presigned URL and send the browser there, however old the page is."""
    try:
        url = services.document_download_url(
            user=request.user,
            credential=credential,
            business_id=business_id,
            customer_id=customer_id,
            document_id=document_id,
        )
    except services.LookupFailed as failed:
        return _problem_page(
            request, failed.problem, business_id=business_id, customer_id=customer_id
        )
    response = HttpResponseRedirect(url)
    # The presigned URL is a short-lived secret: don't cache it or leak our page as referrer.
    response["Referrer-Policy"] = "no-referrer"
    return response


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A plain page for an expired or forged form, instead of Django's developer page."""
    return render(request, "403_csrf.html", status=403)
