"""The view edge: domain errors become pages here, and only here.

Services raise `LookupFailed`; `shows_problems` catches it around a view and renders the problem
with its status (and `Retry-After` when Thredfi gave one). Views stay free of try/except.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from customers_ui.problems import LookupFailed, Problem

View = Callable[..., HttpResponse]


def problem_response(request: HttpRequest, problem: Problem) -> HttpResponse:
    """The problem page, with "Try again" pointing back at what was asked for."""
    try_again_url = request.get_full_path() if problem.try_again and request.method == "GET" else ""
    response = render(
        request,
        "customers_ui/problem.html",
        {"problem": problem, "nav": "lookup", "try_again_url": try_again_url},
        status=problem.status,
    )
    if problem.retry_after:
        response["Retry-After"] = str(int(problem.retry_after))
    return response


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
