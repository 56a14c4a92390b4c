"""Credentials pages: a user's own Thredfi partner UUIDs + API keys.

Thin: validate input, call the use case from `services`, choose template and status.
Every credential is looked up within the requesting user's own, so another user's id is a 404,
exactly like an id that doesn't exist.

Status codes: forms re-render with 400 when invalid (so tests and tools can tell); the test
page answers 200 whether or not Thredfi accepted the key, because the page *is* the report of
that check and it was delivered (the reason and Thredfi's request id are on the page).
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from customers_ui.credentials import selectors, services
from customers_ui.credentials.forms import (
    CredentialCreateForm,
    CredentialKeyForm,
    CredentialRenameForm,
)
from customers_ui.models import PartnerCredential

TEMPLATE_DIR = "customers_ui/credentials"


def _personal_pages() -> None:
    """Personal credential pages exist only while personal credentials are allowed."""
    if not selectors.personal_credentials_allowed():
        raise Http404("Personal credentials are switched off.")


def _owned(request: HttpRequest, pk: int) -> PartnerCredential:
    """One of the user's own credentials (team credentials have no edit, key or delete page)."""
    _personal_pages()
    return get_object_or_404(PartnerCredential, pk=pk, owner=request.user)


def _safe_next(request: HttpRequest) -> str | None:
    """The `next` parameter only when it points back into this site (no open redirect)."""
    candidate = request.POST.get("next") or request.GET.get("next")
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return None


def _render(
    request: HttpRequest, template: str, context: dict[str, object], *, status: int = 200
) -> HttpResponse:
    return render(
        request, f"{TEMPLATE_DIR}/{template}", {"nav": "credentials", **context}, status=status
    )


def _apply_validation_error(form: Form, error: ValidationError) -> None:
    """A use case's ValidationError (e.g. a label taken meanwhile) shown on the form's fields."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


@require_GET
@never_cache
def credential_list(request: HttpRequest) -> HttpResponse:
    allowed = selectors.personal_credentials_allowed()
    usable = list(selectors.usable_credentials(user=request.user))
    active = selectors.active_credential(user=request.user, session=request.session)
    return _render(
        request,
        "list.html",
        {
            "credentials": [c for c in usable if not c.is_team],
            "team_credentials": [c for c in usable if c.is_team],
            "personal_allowed": allowed,
            "active_id": active.pk if active else None,
        },
    )


@sensitive_post_parameters("api_key")
@require_http_methods(["GET", "POST"])
@never_cache
def credential_create(request: HttpRequest) -> HttpResponse:
    _personal_pages()
    next_url = _safe_next(request)
    if request.method == "POST":
        form = CredentialCreateForm(request.POST, owner=request.user)
        if form.is_valid():
            try:
                credential = services.credential_create(
                    owner=request.user,
                    label=form.cleaned_data["label"],
                    partner_uuid=form.cleaned_data["partner_uuid"],
                    api_key=form.cleaned_data["api_key"],
                    make_default=form.cleaned_data["make_default"],
                )
            except ValidationError as error:
                _apply_validation_error(form, error)
            else:
                messages.success(
                    request,
                    f"Saved “{credential.label}” (key …{credential.api_key_hint}). "
                    "Use “Test” to check that Thredfi accepts it.",
                )
                return redirect(next_url or "customers_ui:credential_list")
        status = 400
    else:
        form = CredentialCreateForm(owner=request.user)
        status = 200
    return _render(
        request,
        "create.html",
        {
            "form": form,
            "next": next_url,
            "first": not PartnerCredential.objects.filter(owner=request.user).exists(),
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
@never_cache
def credential_edit(request: HttpRequest, pk: int) -> HttpResponse:
    credential = _owned(request, pk)
    if request.method == "POST":
        form = CredentialRenameForm(request.POST, owner=request.user, instance=credential)
        if form.is_valid():
            try:
                services.credential_rename(credential=credential, label=form.cleaned_data["label"])
                if form.cleaned_data["make_default"]:
                    services.credential_make_default(credential=credential)
            except ValidationError as error:
                _apply_validation_error(form, error)
            else:
                messages.success(request, f"Saved “{credential.label}”.")
                return redirect("customers_ui:credential_list")
        status = 400
    else:
        form = CredentialRenameForm(
            owner=request.user,
            instance=credential,
            initial={"label": credential.label, "make_default": credential.is_default},
        )
        status = 200
    return _render(request, "edit.html", {"form": form, "credential": credential}, status=status)


@sensitive_post_parameters("api_key")
@require_http_methods(["GET", "POST"])
@never_cache
def credential_replace_key(request: HttpRequest, pk: int) -> HttpResponse:
    credential = _owned(request, pk)
    if request.method == "POST":
        form = CredentialKeyForm(request.POST)
        if form.is_valid():
            try:
                services.credential_replace_key(
                    credential=credential, api_key=form.cleaned_data["api_key"]
                )
            except ValidationError as error:
                _apply_validation_error(form, error)
            else:
                messages.success(
                    request,
                    f"Replaced the API key of “{credential.label}” "
                    f"(now …{credential.api_key_hint}). Use “Test” to check it.",
                )
                return redirect("customers_ui:credential_list")
        status = 400
    else:
        form = CredentialKeyForm()
        status = 200
    return _render(
        request, "replace_key.html", {"form": form, "credential": credential}, status=status
    )


@require_http_methods(["GET", "POST"])
@never_cache
def credential_delete(request: HttpRequest, pk: int) -> HttpResponse:
    credential = _owned(request, pk)
    if request.method == "POST":
        label = credential.label
        services.credential_delete(credential=credential)
        messages.success(request, f"Deleted “{label}”.")
        return redirect("customers_ui:credential_list")
    return _render(request, "delete.html", {"credential": credential})


@require_http_methods(["GET", "POST"])
@never_cache
def credential_test(request: HttpRequest, pk: int) -> HttpResponse:
    """POST runs the test; GET (a reload or bookmark of the result) offers to run it again."""
    credential = _owned(request, pk)
    result = None
    if request.method == "POST":
        result = services.credential_verify(credential=credential)
    return _render(request, "test_result.html", {"credential": credential, "result": result})


@require_POST
def credential_activate(request: HttpRequest, pk: int) -> HttpResponseRedirect:
    credential = get_object_or_404(selectors.usable_credentials(user=request.user), pk=pk)
    services.credential_activate(user=request.user, credential=credential, session=request.session)
    messages.success(request, f"Looking up with “{credential.label}”.")
    return HttpResponseRedirect(_safe_next(request) or reverse("customers_ui:home"))
