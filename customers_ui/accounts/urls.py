"""Sign-in URLs under /accounts/ (the login and logout pages themselves are in dashboard/urls.py,
where Django's names `login` and `logout` live)."""

from django.urls import path

from customers_ui.accounts import mfa_views, views

app_name = "accounts"

urlpatterns = [
    path("sso/start/", views.sso_start, name="sso_start"),
    path("sso/callback/", views.sso_callback, name="sso_callback"),
    path("mfa/setup/", mfa_views.mfa_setup, name="mfa_setup"),
    path("mfa/verify/", mfa_views.mfa_verify, name="mfa_verify"),
    path("mfa/remove/", mfa_views.mfa_remove, name="mfa_remove"),
    path("mfa/recovery-codes/", mfa_views.recovery_codes_renew, name="recovery_codes_renew"),
    path("security/", mfa_views.security, name="security"),
]
