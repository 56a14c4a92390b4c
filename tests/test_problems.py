"""The problem table: every failure class has exactly one row, and pages read only that."""

from __future__ import annotations

import pytest

from customers_ui.core.crypto import SecretDecryptionError
from customers_ui.core.problems import (
    PROBLEMS,
    BadLookupInput,
    DocumentNotAttached,
    LookupFailed,
    UnsafeDocumentLink,
    problem_for,
)
from customers_ui.thredfi import errors


@pytest.mark.parametrize(
    ("error", "status", "outcome", "try_again"),
    [
        (errors.NotFound(status=404), 404, "not_found", False),
        (errors.PermissionDenied(status=403), 403, "forbidden", False),
        (errors.AuthenticationFailed(status=401), 403, "auth_failed", False),
        (errors.CredentialsRefused(status=401), 403, "auth_failed", False),  # via its parent
        (errors.RateLimited(status=429, retry_after=7), 429, "rate_limited", True),
        (errors.UpstreamTimeout(), 504, "timeout", True),
        (errors.UpstreamUnreachable(), 502, "unreachable", True),
        (errors.UpstreamTLSFailure(), 502, "unreachable", True),
        (errors.BadResponse(status=200), 502, "bad_response", False),
        (errors.ValidationFailed(status=422), 502, "rejected", False),
        (errors.ServiceUnavailable(status=503), 503, "unavailable", True),
        (errors.UpstreamError(status=500), 502, "upstream_error", True),
        (errors.Conflict(status=409), 502, "upstream_error", True),
        (SecretDecryptionError(), 403, "credential_unreadable", False),
        (BadLookupInput("Pick a business."), 400, "bad_input", False),
        (DocumentNotAttached(), 404, "not_found", False),
        (UnsafeDocumentLink(), 502, "bad_response", False),
    ],
)
def test_each_failure_has_its_row(error, status, outcome, try_again):
    problem = problem_for(error)
    assert (problem.status, problem.outcome, problem.try_again) == (status, outcome, try_again)
    assert problem.title and problem.explanation and problem.advice
    assert "{" not in problem.title + problem.explanation + problem.advice  # all filled in


def test_the_request_id_and_retry_after_come_from_the_error():
    problem = problem_for(errors.RateLimited(status=429, retry_after=7, request_id="req_1"))
    assert (problem.request_id, problem.retry_after) == ("req_1", 7)
    assert problem.advice == "Try again in 7 seconds."
    assert problem_for(errors.UpstreamError(status=500)).explanation.endswith("(HTTP 500).")


def test_not_found_speaks_of_what_was_looked_up():
    assert problem_for(errors.NotFound(), subject="customer").title == "No such customer"
    business = problem_for(errors.NotFound(), subject="business")
    assert business.title == "No such business"
    assert "business" in business.explanation
    assert "fewer results" in problem_for(errors.NotFound(), subject="page").explanation


def test_the_credential_test_gets_advice_that_fits_its_own_page():
    lookup = problem_for(errors.CredentialsRefused(status=401))
    test = problem_for(errors.CredentialsRefused(status=401), subject="partner")
    assert "Credentials page" in lookup.advice
    assert "Replace key" in test.advice
    assert test.title == lookup.title


def test_bad_input_says_what_was_wrong():
    assert problem_for(BadLookupInput("Pick a business.")).explanation == "Pick a business."


def test_the_table_is_keyed_by_class_and_a_stranger_has_no_row():
    assert all(isinstance(cls, type) for cls in PROBLEMS)
    with pytest.raises(LookupError):
        problem_for(ZeroDivisionError())


def test_lookup_failed_carries_its_problem():
    failure = LookupFailed(errors.NotFound(request_id="req_2"), subject="business")
    assert failure.problem.title == "No such business"
    assert failure.problem.request_id == "req_2"
