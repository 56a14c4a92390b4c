"""The sandbox against the published Thredfi contract (get-customer.openapi.yaml).

The contract is transcribed into this repository (tests/sandbox/contract/), so the test runs the
same on any clone and never reads outside it; `make contract-check` notices when the published
one (../shared/thredfi/, beside a checkout) has changed.

Two documented deviations, both taken from what the real API does (see shared/thredfi/API.md):

1. **Nulls.** The contract marks every Customer field required and none ``nullable``, yet real
   responses carry ``null`` (``archived_at`` "null if active", ``individual_name`` when only a
   company is known, ...). We validate against a copy of the contract where every Customer
   property is nullable, and separately pin down *which* fields may be null and when
   (``NULLABLE_FIELDS`` and the consistency checks below); everything else stays as published:
   required fields, types, formats. The copy also forbids unknown properties, so a renamed
   field fails twice (missing required + unexpected name).
2. **List rows.** The contract's Customer requires ``documents`` but says "retrieve only, not in
   list"; list rows are validated with ``documents`` removed from ``required`` and asserted absent.

Statuses the contract does not list (429, 502, 503) are validated against its ErrorResponse schema.
"""

from __future__ import annotations

import copy
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
import yaml

if TYPE_CHECKING:  # imported where used: openapi_core costs every xdist worker 0.4 s to import
    from openapi_core import OpenAPI
    from openapi_schema_validator import OAS30ReadValidator

from sandbox import faults
from sandbox.demo import (
    BUSINESS_EUR,
    BUSINESS_GBP,
    BUSINESS_USD,
    DEMO_CUSTOMER_ID,
    INDIVIDUAL_ONLY_CUSTOMER_ID,
    PENDING_CUSTOMER_ID,
)

SPEC_PATH = Path(__file__).resolve().parent / "contract" / "get-customer.openapi.yaml"
# Off the contract on purpose (sandbox/demo.py): real answers carry a null display_name, and
# statuses beyond ACTIVE/ARCHIVED, and the dashboard must cope with both.
OFF_CONTRACT = frozenset({INDIVIDUAL_ONLY_CUSTOMER_ID, PENDING_CUSTOMER_ID})

# Fields the sandbox (like Thredfi) may send as null. Everything else must always be present.
NULLABLE_FIELDS = frozenset(
    {
        "external_id",
        "individual_name",
        "company_name",
        "email",
        "mobile_phone",
        "office_phone",
        "address_line2",
        "state_county",
        "vat_number",
        "notes",
        "metadata",
        "payment_terms_days",
        "credit_limit",
        "credit_limit_cents",
        "archived_at",
    }
)


@cache
def published_spec() -> dict[str, Any]:
    return yaml.safe_load(SPEC_PATH.read_text(encoding="utf-8"))


@cache
def tolerant_spec() -> dict[str, Any]:
    """Deviation 1: the published contract with every Customer property nullable, nothing else."""
    spec = copy.deepcopy(published_spec())
    customer = spec["components"]["schemas"]["Customer"]
    for prop in customer["properties"].values():
        prop["nullable"] = True
    customer["additionalProperties"] = False
    return spec


@cache
def openapi() -> OpenAPI:
    from openapi_core import OpenAPI

    return OpenAPI.from_dict(tolerant_spec())


def _validator(schema: dict[str, Any]) -> OAS30ReadValidator:
    from openapi_schema_validator import OAS30ReadValidator, oas30_format_checker

    return OAS30ReadValidator(schema, format_checker=oas30_format_checker)


def _validate_response(spec: OpenAPI, response) -> None:
    from openapi_core.contrib.requests import RequestsOpenAPIRequest, RequestsOpenAPIResponse

    spec.validate_response(
        RequestsOpenAPIRequest(response.request), RequestsOpenAPIResponse(response)
    )


@cache
def row_validator() -> OAS30ReadValidator:
    """Deviation 2: a list row is a Customer without ``documents``."""
    spec = tolerant_spec()
    schema = copy.deepcopy(spec["components"]["schemas"]["Customer"])
    schema["required"] = [name for name in schema["required"] if name != "documents"]
    schema["properties"]["documents"]["items"] = spec["components"]["schemas"]["DocumentFileUrl"]
    return _validator(schema)


@cache
def error_validator() -> OAS30ReadValidator:
    schema = published_spec()["components"]["schemas"]["ErrorResponse"]
    return _validator(schema)


def validate_detail(response) -> None:
    _validate_response(openapi(), response)


def check_nulls(customer: dict[str, Any]) -> None:
    """Where nulls may appear and what must hold between fields."""
    if customer["id"] in OFF_CONTRACT:
        return
    nulls = {name for name, value in customer.items() if value is None}
    assert nulls <= NULLABLE_FIELDS, f"{customer['id']}: unexpected nulls {nulls - NULLABLE_FIELDS}"
    assert customer["company_name"] or customer["individual_name"]
    assert customer["display_name"] in (customer["company_name"], customer["individual_name"])
    assert customer["status"] in {"ACTIVE", "ARCHIVED"}
    assert customer["is_active"] is (customer["status"] == "ACTIVE")
    assert customer["is_archived"] is (customer["status"] == "ARCHIVED")
    assert (customer["archived_at"] is None) is customer["is_active"]
    assert customer["credit_limit"] == customer["credit_limit_cents"]
    assert customer["type"] == "CustomerData"
    for name in ("created_at", "updated_at", "archived_at"):
        if customer[name] is not None:
            assert datetime.fromisoformat(customer[name].replace("Z", "+00:00")).tzinfo


@pytest.fixture(scope="module")
def sample(api, business_tokens) -> list[tuple[str, str]]:
    """30 customers, 10 per business, spread over each list, plus the demo customer."""
    picked = [(BUSINESS_GBP, DEMO_CUSTOMER_ID)]
    for business_id in (BUSINESS_GBP, BUSINESS_EUR, BUSINESS_USD):
        rows = api.all_rows(business_id, business_tokens[business_id])
        step = len(rows) // 10
        picked += [(business_id, row["id"]) for row in rows[::step][:10]]
    return picked


def test_published_contract_rejects_real_nulls(api, business_tokens) -> None:
    """Why deviation 1 exists: the contract as published refuses a perfectly normal customer."""
    from openapi_core import OpenAPI
    from openapi_core.validation.response.exceptions import InvalidData

    response = api.customer(BUSINESS_GBP, DEMO_CUSTOMER_ID, business_tokens[BUSINESS_GBP])
    assert response.json()["archived_at"] is None
    with pytest.raises(InvalidData):
        _validate_response(OpenAPI.from_dict(published_spec()), response)


def test_customer_details_match_the_contract(api, business_tokens, sample) -> None:
    assert len(sample) == 31
    seen_nulls: set[str] = set()
    for business_id, customer_id in sample:
        response = api.customer(business_id, customer_id, business_tokens[business_id])
        assert response.status_code == 200
        validate_detail(response)
        body = response.json()
        check_nulls(body)
        seen_nulls |= {name for name, value in body.items() if value is None}
        for doc in body["documents"]:
            assert doc["expires_in"] > 0 and doc["file_size"] > 0
    # The nulls are real, not hypothetical: these showed up in the sample.
    assert {"archived_at", "individual_name", "company_name", "address_line2"} <= seen_nulls


def test_demo_customer_has_no_nulls_but_archived_at(api, business_tokens) -> None:
    body = api.customer(BUSINESS_GBP, DEMO_CUSTOMER_ID, business_tokens[BUSINESS_GBP]).json()
    assert {name for name, value in body.items() if value is None} == {"archived_at"}
    assert len(body["documents"]) == 2


def test_list_rows_match_the_contract(api, business_tokens) -> None:
    statuses = set()
    for business_id, token in business_tokens.items():
        for row in api.all_rows(business_id, token):
            assert "documents" not in row
            row_validator().validate(row)
            check_nulls(row)
            if row["id"] not in OFF_CONTRACT:
                statuses.add(row["status"])
    assert statuses == {"ACTIVE", "ARCHIVED"}


@pytest.mark.parametrize(
    "customer_id",
    [
        faults.BAD_REQUEST,
        faults.UNAUTHORIZED,
        faults.FORBIDDEN,
        faults.NOT_FOUND,
        faults.CONFLICT,
        faults.UNPROCESSABLE,
        faults.SERVER_ERROR,
    ],
    ids=faults.BY_ID.get,
)
def test_documented_error_responses_match_the_contract(api, business_tokens, customer_id) -> None:
    response = api.customer(BUSINESS_EUR, customer_id, business_tokens[BUSINESS_EUR])
    assert response.status_code in {400, 401, 403, 404, 409, 422, 500}
    validate_detail(response)


@pytest.mark.parametrize(
    "customer_id",
    [faults.RATE_LIMITED, faults.BAD_GATEWAY, faults.UNAVAILABLE],
    ids=faults.BY_ID.get,
)
def test_undocumented_statuses_still_use_the_error_schema(
    api, business_tokens, customer_id
) -> None:
    response = api.customer(BUSINESS_USD, customer_id, business_tokens[BUSINESS_USD])
    error_validator().validate(response.json())


def test_real_404_and_401_match_the_contract(api, business_tokens) -> None:
    missing = api.customer(
        BUSINESS_GBP, "99999999-9999-4999-8999-999999999999", business_tokens[BUSINESS_GBP]
    )
    assert missing.status_code == 404
    validate_detail(missing)
    unauthenticated = api.customer(BUSINESS_GBP, DEMO_CUSTOMER_ID, "garbage")
    assert unauthenticated.status_code == 401
    validate_detail(unauthenticated)


@pytest.mark.parametrize(
    "mutate",
    [
        pytest.param(lambda c: c.update(email_address=c.pop("email")), id="renamed-field"),
        pytest.param(lambda c: c.pop("display_name"), id="missing-field"),
        pytest.param(lambda c: c.update(outstanding_balance="1234.56"), id="money-as-string"),
        pytest.param(lambda c: c.update(tax_exempt="false"), id="bool-as-string"),
        pytest.param(lambda c: c.update(created_at="yesterday"), id="bad-date-time"),
        pytest.param(lambda c: c.update(id="not-a-uuid"), id="bad-uuid"),
        pytest.param(lambda c: c.update(transaction_tags="a,b"), id="tags-not-array"),
    ],
)
def test_the_tolerant_contract_still_catches_drift(api, business_tokens, mutate) -> None:
    """Keeps the test honest: nullable-everything must not mean anything-goes."""
    from jsonschema.exceptions import ValidationError

    row = api.customers(BUSINESS_GBP, business_tokens[BUSINESS_GBP]).json()["results"][0]
    row_validator().validate(row)
    mutate(row)
    with pytest.raises(ValidationError):
        row_validator().validate(row)
