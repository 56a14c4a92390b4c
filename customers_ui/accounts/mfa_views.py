"""Second-factor pages: enrol an authenticator app, verify after signing in, and the Security
page where people see, renew or remove their own factor. Thin: the rules are in `mfa`.

Status codes: a wrong code re-renders the form with 400, a throttled one with 429 (and
`Retry-After`), so tests and tools can tell them apart from a page that simply loaded.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods

from customers_ui.accounts import mfa
from customers_ui.accounts.forms import RecoveryCodeForm, TOTPCodeForm
from customers_ui.accounts.mfa import CodeCheck
from customers_ui.accounts.session_state import (
    provider_mfa_done,
    sign_in_method,
    signed_in_for_remember,
)
from customers_ui.accounts.views import safe_next
from customers_ui.models import SSOIdentity

TEMPLATE_DIR = "accounts"
# Codes are masked in Django's own error reports too (Sentry scrubs them: dashboard/sentry.py).
CODE_FIELDS = ("code", "recovery_code")


def _render(
    request: HttpRequest, template: str, context: dict[str, Any], *, status: int = 200
) -> HttpResponse:
    # Every view here is never_cache (no-store): secrets and recovery codes never sit in a cache.
    return render(
        request, f"{TEMPLATE_DIR}/{template}", {"nav": "security", **context}, status=status
    )


def _code_refused(form: Any, field: str, check: CodeCheck) -> int:
    """Put the refusal on the form; return the status code to answer with."""
    if check.unreadable:
        form.add_error(
            field,
            "Your authenticator app can't be checked here at the moment (a server key changed). "
            "Use a recovery code, or ask an administrator to reset your two-factor "
            "authentication.",
        )
        return 503
    if check.throttled:
        form.add_error(
            field,
            f"Too many wrong codes. Wait {check.retry_after} seconds, then try the newest code.",
        )
        return 429
    form.add_error(
        field,
        "That code didn't match. Check that your phone's clock is right and try the newest code."
        if field == "code"
        else "That recovery code didn't match, or it was already used.",
    )
    return 400


def _after(request: HttpRequest) -> str:
    return safe_next(request) or reverse("customers_ui:home")


def _with_retry_after(response: HttpResponse, check: CodeCheck) -> HttpResponse:
    if check.throttled:
        response["Retry-After"] = str(check.retry_after)
    return response


@require_http_methods(["GET", "POST"])
@never_cache
@sensitive_post_parameters(*CODE_FIELDS)
def mfa_setup(request: HttpRequest) -> HttpResponse:
    """Enrolment: scan the QR code (or type the key), confirm with a code, get recovery codes."""
    if mfa.has_second_factor(request.user):
        messages.info(request, "Two-factor authentication is already set up for your account.")
        return redirect("accounts:security")
    enrolment = mfa.totp_enrolment(request=request)
    form = TOTPCodeForm(request.POST if request.method == "POST" else None)
    context = {"enrolment": enrolment, "form": form, "next": safe_next(request)}
    if not form.is_bound:
        return _render(request, "mfa_setup.html", context)
    if not form.is_valid():
        return _render(request, "mfa_setup.html", context, status=400)
    check, codes = mfa.totp_enrolment_confirm(request=request, code=form.cleaned_data["code"])
    if not check.accepted:
        status = _code_refused(form, "code", check)
        return _with_retry_after(_render(request, "mfa_setup.html", context, status=status), check)
    return _render(
        request,
        "recovery_codes.html",
        {"codes": codes, "continue_url": _after(request), "first_time": True},
    )


@require_http_methods(["GET", "POST"])
@never_cache
@sensitive_post_parameters(*CODE_FIELDS)
def mfa_verify(request: HttpRequest) -> HttpResponse:
    """After the password (or an SSO sign-in without the provider's own second factor): the
    code from the app, or one recovery code."""
    if mfa.session_state_of(request) is not mfa.SecondFactor.UNVERIFIED:
        return redirect(_after(request))
    totp_form = TOTPCodeForm(request.POST if "code" in request.POST else None)
    recovery_form = RecoveryCodeForm(request.POST if "recovery_code" in request.POST else None)
    context = {"form": totp_form, "recovery_form": recovery_form, "next": safe_next(request)}
    posted = totp_form if totp_form.is_bound else recovery_form if recovery_form.is_bound else None
    if posted is None:
        return _render(request, "mfa_verify.html", context, status=400 if request.POST else 200)
    if not posted.is_valid():
        context["recovery_open"] = posted is recovery_form
        return _render(request, "mfa_verify.html", context, status=400)
    recovery = posted is recovery_form
    field = "recovery_code" if recovery else "code"
    check = mfa.second_factor_verify(
        request=request, code=posted.cleaned_data[field], recovery=recovery
    )
    if not check.accepted:
        context["recovery_open"] = recovery
        status = _code_refused(posted, field, check)
        return _with_retry_after(_render(request, "mfa_verify.html", context, status=status), check)
    if recovery:
        left = mfa.recovery_codes_left(request.user)
        messages.warning(
            request,
            f"You used a recovery code; {left} left. Each works once: make new ones under "
            "Security if you are running low, and set up your authenticator app again if you "
            "lost it.",
        )
    signed_in_for_remember(request=request, next_url=safe_next(request))
    return redirect(_after(request))


@require_GET
@never_cache
def security(request: HttpRequest) -> HttpResponse:
    """How you signed in, your second factor, and what you can do about it."""
    method = sign_in_method(request)
    return _render(
        request,
        "security.html",
        {
            "summary": mfa.factor_summary(request.user),
            "signed_in_with_sso": method == "sso",
            "provider_mfa": provider_mfa_done(request),
            "identities": SSOIdentity.objects.filter(user=request.user),
        },
    )


def _code_confirmed(
    request: HttpRequest, template: str, context: dict[str, Any]
) -> HttpResponse | None:
    """A current code from the app (or a recovery code) for a change to the factor itself.
    None when one was accepted; otherwise the page again, saying why (400, or 429 throttled)."""
    totp_form = TOTPCodeForm(request.POST if "code" in request.POST else None)
    recovery_form = RecoveryCodeForm(request.POST if "recovery_code" in request.POST else None)
    posted = totp_form if totp_form.is_bound else recovery_form if recovery_form.is_bound else None
    context = {**context, "form": totp_form, "recovery_form": recovery_form}
    if posted is None:
        totp_form = TOTPCodeForm({})
        totp_form.is_valid()
        context["form"] = totp_form
        return _render(request, template, context, status=400)
    recovery = posted is recovery_form
    context["recovery_open"] = recovery
    if not posted.is_valid():
        return _render(request, template, context, status=400)
    field = "recovery_code" if recovery else "code"
    check = mfa.second_factor_confirm(
        request=request, code=posted.cleaned_data[field], recovery=recovery
    )
    if check.accepted:
        return None
    status = _code_refused(posted, field, check)
    return _with_retry_after(_render(request, template, context, status=status), check)


@require_http_methods(["GET", "POST"])
@never_cache
@sensitive_post_parameters(*CODE_FIELDS)
def recovery_codes_renew(request: HttpRequest) -> HttpResponse:
    """New recovery codes, after a confirmation page asking for a current code (a POST does it)."""
    if not mfa.has_second_factor(request.user):
        return redirect("accounts:mfa_setup")
    if request.method == "GET":
        context = {"form": TOTPCodeForm(), "recovery_form": RecoveryCodeForm()}
        return _render(request, "recovery_codes_renew.html", context)
    refused = _code_confirmed(request, "recovery_codes_renew.html", {})
    if refused is not None:
        return refused
    codes = mfa.recovery_codes_renew(request=request)
    return _render(
        request,
        "recovery_codes.html",
        {"codes": codes, "continue_url": reverse("accounts:security"), "first_time": False},
    )


@require_http_methods(["GET", "POST"])
@never_cache
@sensitive_post_parameters(*CODE_FIELDS)
def mfa_remove(request: HttpRequest) -> HttpResponse:
    """Remove your own second factor, after a confirmation page asking for a current code."""
    if not mfa.has_second_factor(request.user):
        return redirect("accounts:security")
    if request.method == "GET":
        context = {"form": TOTPCodeForm(), "recovery_form": RecoveryCodeForm()}
        return _render(request, "mfa_remove.html", context)
    refused = _code_confirmed(request, "mfa_remove.html", {})
    if refused is not None:
        return refused
    mfa.second_factor_remove(request=request)
    messages.success(
        request,
        "Two-factor authentication is off for your account. Set it up again at any time.",
    )
    return redirect("accounts:security")
