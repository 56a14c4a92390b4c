"""The view edge: domain errors become pages here, and only here.

Services raise `LookupFailed`; `shows_problems` catches it around a view and renders the problem
with its status (and `Retry-After` when Thredfi gave one). Views stay free of try/except.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from functools import wraps

from django.http import HttpRequest, HttpResponse, HttpResponseServerError
from django.shortcuts import render
from django.template import loader

from customers_ui.core.database_unavailable import (
    database_unavailable_response,
    database_unreachable,
)
from customers_ui.core.problems import LookupFailed, Problem, retry_after_seconds
from customers_ui.core.request_context import current_request_id

View = Callable[..., HttpResponse]

logger = logging.getLogger(__name__)


def problem_response(request: HttpRequest, problem: Problem) -> HttpResponse:
    """The problem page, with "Try again" pointing back at what was asked for."""
    try_again_url = request.get_full_path() if problem.try_again and request.method == "GET" else ""
    response = render(
        request,
        "customers_ui/problem.html",
        {"problem": problem, "nav": "lookup", "try_again_url": try_again_url},
        status=problem.status,
    )
    if problem.retry_after is not None:
        response["Retry-After"] = str(retry_after_seconds(problem.retry_after))
    _log_problem(request, problem)
    # Logged once, above. Django would log every 5xx again at ERROR, which error reporting turns
    # into one event per lookup during a Thredfi outage; `_has_been_logged` is the flag
    # django.utils.log.log_response honours.
    response._has_been_logged = True  # type: ignore[attr-defined]
    return response


def _log_problem(request: HttpRequest, problem: Problem) -> None:
    """One line per problem page: a warning when Thredfi or the dashboard failed (5xx), info for
    what the user asked wrongly; the path only, never the query string (search terms)."""
    logger.log(
        logging.WARNING if problem.status >= 500 else logging.INFO,
        "%s: %s (HTTP %s)",
        request.path,
        problem.outcome,
        problem.status,
        extra={
            "problem_outcome": problem.outcome,
            "status_code": problem.status,
            "thredfi_request_id": problem.request_id or "",
        },
    )


def shows_problems(view: View) -> View:
    """Render a `LookupFailed` raised by the view (or a service it called) as its page."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except LookupFailed as failure:
            return problem_response(request, failure.problem)

    return wrapper


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A plain page for an expired or forged form, instead of Django's developer page."""
    return render(request, "403_csrf.html", status=403)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """Django's 400 page, with this request's id (Django's own handler renders no context)."""
    return render(request, "400.html", status=400)


def server_error(request: HttpRequest) -> HttpResponse:
    """The plain 500 page with this request's id and nothing else: no traceback, no settings, no
    request data, and no context processors that might fail again while rendering it.

    Django calls this while the exception is being handled; when that exception says the
    database cannot be reached, the answer is the database's 503 page instead.
    """
    error = sys.exc_info()[1]
    if error is not None and database_unreachable(error):
        return database_unavailable_response(request, error)
    template = loader.get_template("500.html")
    return HttpResponseServerError(template.render({"request_id": current_request_id()}))
