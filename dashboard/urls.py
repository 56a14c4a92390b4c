"""Top-level URLs. The paths here are contracts (README "URLs"): extend, never rename."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from customers_ui.health import healthz

admin.site.site_header = "Customer lookup administration"
admin.site.site_title = "Customer lookup admin"

urlpatterns = [
    # Only the account pages we support: no sign-up, no e-mailed password resets.
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
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
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("", include("customers_ui.urls")),
]
