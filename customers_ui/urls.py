"""URLs of the lookup app. `/customers/...` paths are contracts (docs/configuration.md "URLs")."""

from django.urls import path

from customers_ui.credentials import views as credential_views
from customers_ui.directory import views as directory_views
from customers_ui.lookup import views
from customers_ui.preferences import views as preference_views

app_name = "customers_ui"

urlpatterns = [
    path("", views.home, name="home"),
    path("search/", views.search, name="search"),
    path("lookup/", views.paste_lookup, name="paste_lookup"),
    # Deep links from helpdesk tickets (docs/helpdesk-links.md).
    path("go", views.go, name="go"),
    path("businesses/", directory_views.business_search, name="business_search"),
    path("businesses/status/", directory_views.directory_status, name="directory_status"),
    path("settings/", preference_views.settings_page, name="settings"),
    path("customers/<uuid:business_id>/", views.customer_list, name="customer_list"),
    path(
        "customers/<uuid:business_id>/<uuid:customer_id>/",
        views.customer_detail,
        name="customer_detail",
    ),
    path(
        "customers/<uuid:business_id>/<uuid:customer_id>/documents/<uuid:document_id>/",
        views.document_download,
        name="document_download",
    ),
    path("credentials/", credential_views.credential_list, name="credential_list"),
    path("credentials/new/", credential_views.credential_create, name="credential_create"),
    path("credentials/<int:pk>/edit/", credential_views.credential_edit, name="credential_edit"),
    path(
        "credentials/<int:pk>/key/", credential_views.credential_replace_key, name="credential_key"
    ),
    path(
        "credentials/<int:pk>/delete/", credential_views.credential_delete, name="credential_delete"
    ),
    path("credentials/<int:pk>/test/", credential_views.credential_test, name="credential_test"),
    path(
        "credentials/<int:pk>/activate/",
        credential_views.credential_activate,
        name="credential_activate",
    ),
]
