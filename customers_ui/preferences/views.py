"""The settings page: a user's own preferences."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from customers_ui.preferences import selectors, services
from customers_ui.preferences.forms import PreferencesForm
from customers_ui.preferences.middleware import browser_time_zone


@require_http_methods(["GET", "POST"])
@never_cache
def settings_page(request: HttpRequest) -> HttpResponse:
    browser_zone = browser_time_zone(request)
    if request.method == "POST":
        form = PreferencesForm(request.POST, browser_zone=browser_zone)
        if form.is_valid():
            try:
                services.preferences_update(
                    user=request.user,
                    time_zone=form.cleaned_data["time_zone"],
                    session=request.session,
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, "Your settings are saved.")
                return redirect("customers_ui:settings")
    else:
        saved = selectors.preferences_get(user=request.user)
        form = PreferencesForm(initial={"time_zone": saved.time_zone}, browser_zone=browser_zone)
    return render(
        request,
        "customers_ui/preferences/settings.html",
        {
            "nav": "settings",
            "form": form,
            "now": timezone.now(),
            "zone_name": timezone.get_current_timezone_name(),
            "browser_zone": browser_zone,
        },
    )
