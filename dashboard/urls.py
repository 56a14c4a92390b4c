"""Top-level URLs. The paths here are contracts (docs/configuration.md "URLs"): extend, never
rename."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from customers_ui.accounts.views import SignInView
from customers_ui.health.views import healthz

admin.site.site_header = "Customer lookup administration"
admin.site.site_title = "Customer lookup admin"

urlpatterns = [
    # Only the account pages we support: no sign-up, no e-mailed password resets.
    # Django's LoginView with the single sign-on button (customers_ui.accounts.views).
    path("accounts/login/", SignInView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "accounts/password/",
        auth_views.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "accounts/password/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    # Single sign-on, second factors, the Security page.
    path("accounts/", include("customers_ui.accounts.urls")),
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("", include("customers_ui.urls")),
]

# Error pages that name the request id (Django's own 400 and 500 render without context).
handler400 = "customers_ui.core.problem_pages.bad_request"
handler500 = "customers_ui.core.problem_pages.server_error"
