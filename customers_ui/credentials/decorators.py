"""Views that look things up with the user's active credential get it from here."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from customers_ui.credentials.selectors import active_credential, personal_credentials_allowed


def uses_credential(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Hand the view the user's active credential; without one, send them to add one."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        credential = active_credential(user=request.user, session=request.session)
        if credential is None and not personal_credentials_allowed():
            messages.info(
                request, "Ask an administrator to add you to a team to start looking up customers."
            )
            return redirect("customers_ui:credential_list")
        if credential is None:
            messages.info(
                request, "Add your Thredfi partner credentials to start looking up customers."
            )
            # Back to where they were going (a /go link from a ticket, a bookmarked customer)
            # once the credential is saved; a form post cannot be replayed, so it goes home.
            back = request.get_full_path() if request.method == "GET" else "/"
            return redirect(
                f"{reverse('customers_ui:credential_create')}?{urlencode({'next': back})}"
            )
        return view(request, credential, *args, **kwargs)

    return wrapper
