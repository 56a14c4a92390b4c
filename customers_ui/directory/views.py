"""Directory pages. Thin: validate input, call one service, choose the template or JSON.

`/businesses/?q=` is one endpoint in two forms: the HTML page (what the home page's finder submits
to without JavaScript) and, with `format=json`, the suggestions the finder's script shows as
you type. `/businesses/status/` is the progress bar's poll.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from customers_ui.core.problem_pages import shows_problems
from customers_ui.core.problems import BadLookupInput, LookupFailed
from customers_ui.credentials.decorators import uses_credential
from customers_ui.directory import presenters, selectors, services
from customers_ui.directory.forms import BusinessSearchForm
from customers_ui.models import PartnerCredential


@require_GET
@never_cache
@uses_credential
@shows_problems
def business_search(request: HttpRequest, credential: PartnerCredential) -> HttpResponse:
    form = BusinessSearchForm(request.GET)
    if not form.is_valid():
        errors = " ".join(str(e) for field_errors in form.errors.values() for e in field_errors)
        raise LookupFailed(BadLookupInput(errors))
    as_json = form.cleaned_data["format"] == "json"
    page_size = selectors.SUGGESTIONS if as_json else selectors.PAGE_SIZE
    found = services.business_find(
        user=request.user,
        credential=credential,
        query=form.cleaned_data["q"],
        page=form.cleaned_data["page"] or 1,
        page_size=page_size,
    )
    if as_json:
        if found.open_url is not None:
            return JsonResponse({"query": found.query, "results": [], "open": found.open_url})
        assert found.matches is not None
        return JsonResponse(presenters.matches_json(found.matches, found.access.status))
    if found.open_url is not None:
        return HttpResponseRedirect(found.open_url)
    return render(
        request,
        "customers_ui/directory/search.html",
        {
            "nav": "lookup",
            "credential": credential,
            "found": found,
            "matches": found.matches,
            "status": found.access.status,
        },
    )


@require_GET
@never_cache
@uses_credential
@shows_problems
def directory_status(request: HttpRequest, credential: PartnerCredential) -> HttpResponse:
    """How far the directory has filled: polled by the progress bar (JSON)."""
    opened = services.directory_open(credential=credential)
    if opened.failure is not None:
        raise opened.failure
    assert opened.status is not None
    return JsonResponse(opened.status.as_json())
