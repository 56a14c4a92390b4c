"""Sign-in pages: the login page (password form and the single sign-on button) and the two ends
of single sign-on. Thin: the protocol is in `oidc`, who the user is in `services`.

`/accounts/login/` stays Django's LoginView with the standard `username` / `password` fields, so
django-axes keeps throttling it and tools that post those fields keep working.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import login
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import LoginView
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from customers_ui.accounts import oidc, services, sso_throttle
from customers_ui.accounts import sign_in_events as audit
from customers_ui.accounts.refusals import SSORefused
from customers_ui.accounts.session_state import (
    SSO_BACKEND,
    SSO_NEXT_SESSION_KEY,
    provider_mfa_remember,
    signed_in_for_remember,
)
from customers_ui.models import SignInEvent


def safe_next(request: HttpRequest) -> str:
    """The `next` parameter only when it points back into this site (no open redirect)."""
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return ""


def _sso_context() -> dict[str, Any]:
    return {"sso": oidc.sso_configured(), "sso_provider_name": settings.OIDC_PROVIDER_NAME}


@method_decorator(login_not_required, name="dispatch")
class SignInView(LoginView):
    """The login page: "Sign in with {provider}" above the password form.

    With PASSWORD_LOGIN=False only the button is shown and password POSTs are refused (403) by
    the authentication backend, except for a break-glass grant; `?method=password` shows the
    form for that case.
    """

    def _password_form_shown(self) -> bool:
        return (
            settings.PASSWORD_LOGIN
            or self.request.method == "POST"
            or self.request.GET.get("method") == "password"
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(_sso_context())
        context["password_login"] = settings.PASSWORD_LOGIN
        context["password_form_shown"] = self._password_form_shown()
        return context

    def render_to_response(self, context: dict[str, Any], **response_kwargs: Any) -> HttpResponse:
        response = super().render_to_response(context, **response_kwargs)
        if context.get("sso"):
            # The SSO button's POST is answered with a redirect to the provider: let it through.
            response._csp_update = {"form-action": oidc.form_action_origins()}  # type: ignore[attr-defined]
        return response

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        signed_in_for_remember(request=self.request, next_url=self.get_redirect_url())
        return response

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if settings.PASSWORD_LOGIN:
            return super().post(request, *args, **kwargs)
        form = self.get_form()
        if form.is_valid():  # only a break-glass grant gets a user through the backend
            return self.form_valid(form)
        context = self.get_context_data(form=form, password_login_refused=True)
        return self.render_to_response(context, status=403)


def _refused(request: HttpRequest, refusal: SSORefused) -> HttpResponse:
    # The same refusal from the same address is one row per cool-off, not one per hit (L9).
    if sso_throttle.first_in_cool_off(request, what=f"{refusal.reason}\n{refusal.username}"):
        audit.record(
            kind=SignInEvent.Kind.SSO_REFUSED,
            request=request,
            user=refusal.user,
            username=refusal.username,
            method=SignInEvent.Method.SSO,
            detail=refusal.reason,
        )
    return render(
        request,
        "accounts/sso_refused.html",
        {"message": refusal.message, **_sso_context()},
        status=refusal.status,
    )


def _throttled(request: HttpRequest) -> HttpResponse:
    """429 before the provider is asked anything; one audit row per address and cool-off."""
    if sso_throttle.first_in_cool_off(request, what="throttled"):
        audit.record(
            kind=SignInEvent.Kind.SSO_REFUSED,
            request=request,
            method=SignInEvent.Method.SSO,
            detail=(
                f"throttled: {sso_throttle.refusals_so_far(request)} refused callbacks from this "
                "address; further ones are answered 429 without a row until the cool-off ends"
            ),
        )
    seconds = sso_throttle.cool_off_seconds()
    response = render(
        request,
        "accounts/sso_throttled.html",
        {"minutes": max(1, seconds // 60), **_sso_context()},
        status=429,
    )
    response["Retry-After"] = str(seconds)
    return response


def _redirect_uri(request: HttpRequest) -> str:
    """The callback URL registered with the provider: OIDC_REDIRECT_URI, or this host's."""
    return settings.OIDC_REDIRECT_URI or request.build_absolute_uri(
        reverse("accounts:sso_callback")
    )


@login_not_required
@require_POST
@never_cache
def sso_start(request: HttpRequest) -> HttpResponse:
    """The button: a POST (with CSRF), answered with a redirect to the provider."""
    if not oidc.sso_configured():
        raise Http404("single sign-on is not configured")
    try:
        response = oidc.authorization_redirect(request=request, redirect_uri=_redirect_uri(request))
    except SSORefused as refusal:
        return _refused(request, refusal)
    request.session[SSO_NEXT_SESSION_KEY] = safe_next(request)
    return response


@login_not_required
@require_GET
@never_cache
def sso_callback(request: HttpRequest) -> HttpResponse:
    """Where the provider sends the browser back: verify, find or create the user, sign in."""
    if not oidc.sso_configured():
        raise Http404("single sign-on is not configured")
    if sso_throttle.callback_blocked(request):
        return _throttled(request)
    next_url = request.session.pop(SSO_NEXT_SESSION_KEY, "")  # before login() renews the session
    try:
        claims = oidc.verified_claims(request=request)
        result = services.sso_sign_in(request=request, claims=claims)
    except SSORefused as refusal:
        if refusal.status < 500:  # the provider's outage is not the visitor's doing
            sso_throttle.refusal_counted(request)
        return _refused(request, refusal)
    login(request, result.user, backend=SSO_BACKEND)
    provider_mfa_remember(request=request, done=result.provider_mfa)
    # The last hop came from the provider's site; the person chose to sign in to reach this.
    signed_in_for_remember(request=request, next_url=next_url)
    return redirect(next_url or resolve_url(settings.LOGIN_REDIRECT_URL))
