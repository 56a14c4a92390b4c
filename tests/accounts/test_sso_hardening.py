"""Issue #20, single sign-on findings L4, L6, L9 and L10, each attacked through the real test
provider (tests/oidc_provider) misbehaving, not through mocks.

- L4: one `amr` value such as `otp` is one method, not multi-factor (RFC 8176): it must not
  excuse the dashboard's own second factor. `mfa`, or two methods, do.
- L6: `email_verified` missing or the *string* "false" must not pass; Google's `hd` is honoured.
- L9: anonymous hits on the callback are throttled per address, and repeats collapse into one
  audit row instead of one row each.
- L10: the ID token's algorithm is ours to choose, never the discovery document's: an unsigned
  (`alg: none`) token is refused even when the provider lists "none".
"""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from customers_ui.accounts.services import provider_did_mfa
from customers_ui.models import SignInEvent, SSOIdentity

from .conftest import CALLBACK_PATH, signed_in_user_id, text

pytestmark = pytest.mark.django_db
User = get_user_model()
SETUP = "/accounts/mfa/setup/"


def refusal_details() -> list[str]:
    return list(
        SignInEvent.objects.filter(kind=SignInEvent.Kind.SSO_REFUSED).values_list(
            "detail", flat=True
        )
    )


# L4 -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("amr", "counts"),
    [
        (["otp"], False),  # one method, whatever it is
        (["hwk"], False),
        (["sms"], False),
        (["pwd"], False),
        (["pwd", "pwd"], False),  # the same method twice is still one
        (["pwd", "geo"], False),  # where you are is not how you proved who you are
        (["mca"], False),  # several channels, not several factors
        (["mfa"], True),
        (["pwd", "otp"], True),
        (["hwk", "pin"], True),
        ("mfa", False),  # not a list: malformed, never trusted
        ([7, "mfa"], True),
        ([], False),
    ],
)
def test_only_mfa_or_two_methods_count_as_the_providers_second_factor(amr, counts) -> None:
    assert provider_did_mfa({"amr": amr}) is counts


def test_trusting_one_method_is_the_operators_choice(settings) -> None:
    settings.OIDC_MFA_AMR_VALUES = ["mfa", "hwk"]
    assert provider_did_mfa({"amr": ["hwk"]}) is True
    assert provider_did_mfa({"amr": ["otp"]}) is False


def test_counting_two_methods_can_be_turned_off(settings) -> None:
    settings.OIDC_MFA_TWO_METHODS = False
    assert provider_did_mfa({"amr": ["pwd", "otp"]}) is False
    assert provider_did_mfa({"amr": ["mfa"]}) is True


def test_a_single_otp_amr_from_the_provider_still_owes_our_second_factor(
    client, sso, settings
) -> None:
    settings.MFA_REQUIRED = True
    person = sso.add_person(amr=("otp",))

    sso.sign_in(client, person)

    assert client.get("/credentials/")["Location"].startswith(SETUP)


# L6 -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "spoil",
    [
        {"drop_claims": ["email_verified"]},
        {"claims": {"email_verified": "false"}},
        {"claims": {"email_verified": "true"}},  # a string is not the boolean true
        {"claims": {"email_verified": 1}},
        {"claims": {"email_verified": None}},
    ],
    ids=["missing", "string-false", "string-true", "number", "null"],
)
def test_an_email_address_not_verified_by_a_real_true_is_refused(client, sso, spoil) -> None:
    person = sso.add_person()
    callback = sso.at_provider(sso.start(client), person)
    sso.provider.misbehave(**spoil, count=1)

    response = client.get(callback)

    assert response.status_code == 403
    assert "is not verified yet" in text(response)
    assert signed_in_user_id(client) is None
    assert not SSOIdentity.objects.exists()
    assert refusal_details() == ["email_not_verified"]


def test_a_provider_that_never_sends_email_verified_can_be_allowed(client, sso, settings) -> None:
    settings.OIDC_REQUIRE_EMAIL_VERIFIED = False
    person = sso.add_person()
    callback = sso.at_provider(sso.start(client), person)
    sso.provider.misbehave(drop_claims=["email_verified"], count=1)

    assert client.get(callback).status_code == 302
    assert signed_in_user_id(client) is not None


def test_an_explicit_false_is_refused_even_when_verification_is_not_required(
    client, sso, settings
) -> None:
    settings.OIDC_REQUIRE_EMAIL_VERIFIED = False
    person = sso.add_person()
    callback = sso.at_provider(sso.start(client), person)
    sso.provider.misbehave(claims={"email_verified": "false"}, count=1)

    assert client.get(callback).status_code == 403
    assert signed_in_user_id(client) is None


def test_a_hosted_domain_outside_the_allowed_domains_is_refused(client, sso) -> None:
    """Google puts the Workspace domain in `hd`; an account of another organisation whose
    address merely ends in an allowed domain is not one of ours."""
    person = sso.add_person()
    callback = sso.at_provider(sso.start(client), person)
    sso.provider.misbehave(claims={"hd": "elsewhere.test"}, count=1)

    response = client.get(callback)

    assert response.status_code == 403
    assert signed_in_user_id(client) is None
    assert refusal_details() == ["hosted_domain_not_allowed: elsewhere.test"]


def test_a_hosted_domain_can_be_required_as_with_google(client, sso, settings) -> None:
    """A consumer Google account registered with a company address has no `hd`: refused."""
    settings.OIDC_REQUIRE_HOSTED_DOMAIN = True
    person = sso.add_person()
    response = sso.sign_in(client, person)
    assert response.status_code == 403
    assert refusal_details() == ["no_hosted_domain"]

    callback = sso.at_provider(sso.start(client), person)
    sso.provider.misbehave(claims={"hd": "example.test"}, count=1)
    assert client.get(callback).status_code == 302
    assert signed_in_user_id(client) is not None


# Settings probes in fresh interpreters (manage.py): `processes`, left out of make test-fast.
@pytest.mark.processes
@pytest.mark.xdist_group("probes")
def test_google_as_issuer_requires_a_hosted_domain_by_default() -> None:
    from tests.deployment.test_settings import PRODUCTION_ENV, run_manage

    probe = "from django.conf import settings; print(settings.OIDC_REQUIRE_HOSTED_DOMAIN)"
    sso_env = {
        **PRODUCTION_ENV,
        "OIDC_CLIENT_ID": "x",
        "OIDC_CLIENT_SECRET": "y",
        "OIDC_ALLOWED_EMAIL_DOMAINS": "example.com",
    }
    google = run_manage(
        "shell", "-c", probe, env={**sso_env, "OIDC_ISSUER": "https://accounts.google.com"}
    )
    other = run_manage(
        "shell", "-c", probe, env={**sso_env, "OIDC_ISSUER": "https://login.example.com"}
    )
    answers = (google.stdout.split()[-1:], other.stdout.split()[-1:])
    assert answers == (["True"], ["False"]), google.stderr


# L10 ------------------------------------------------------------------------------------------


def test_an_unsigned_id_token_is_refused_even_when_discovery_lists_none(client, sso) -> None:
    person = sso.add_person()
    # Pending from the start, so the discovery document the dashboard reads lists "none" too.
    sso.provider.misbehave(unsigned=True, count=1)
    callback = sso.at_provider(sso.start(client), person)

    response = client.get(callback)

    assert response.status_code == 403
    assert signed_in_user_id(client) is None
    assert not SSOIdentity.objects.exists()
    [detail] = refusal_details()
    assert detail.startswith("id_token_invalid"), detail


def test_a_signed_token_still_passes_when_discovery_lists_none(client, sso) -> None:
    """The provider's list is ignored, not trusted the other way: RS256 still signs people in."""
    person = sso.add_person()
    sso.provider.misbehave(unsigned=True, count=1)
    sso.start(client)  # reads discovery while it lists "none"
    sso.provider.behave()

    assert sso.sign_in(client, person).status_code == 302
    assert signed_in_user_id(client) is not None


@pytest.mark.processes
@pytest.mark.xdist_group("probes")
@pytest.mark.parametrize("algorithms", ["RS256,none", "HS256", "RS256,HS512", ""])
def test_symmetric_or_no_algorithms_refuse_to_start(algorithms) -> None:
    from tests.deployment.test_settings import PRODUCTION_ENV, run_manage

    result = run_manage("check", env={**PRODUCTION_ENV, "OIDC_ID_TOKEN_ALGORITHMS": algorithms})
    assert result.returncode != 0
    assert "OIDC_ID_TOKEN_ALGORITHMS" in result.stderr


# L9 -------------------------------------------------------------------------------------------


def test_anonymous_callback_hits_are_throttled_per_address_and_collapse_in_the_trail(
    client, sso, settings
) -> None:
    settings.SSO_CALLBACK_FAILURES_PER_ADDRESS = 10
    statuses = [
        client.get(f"{CALLBACK_PATH}?code=guess-{n}&state=guess-{n}").status_code for n in range(60)
    ]

    assert statuses[:10] == [400] * 10
    assert set(statuses[10:]) == {429}
    # One row for the repeated refusal and one for the throttle, not sixty.
    details = refusal_details()
    assert len(details) <= 3, details
    assert any("state_mismatch" in detail for detail in details)
    assert any(detail.startswith("throttled") for detail in details)


def test_another_address_is_not_throttled_by_someone_elses_hits(client, sso, settings) -> None:
    settings.SSO_CALLBACK_FAILURES_PER_ADDRESS = 5
    settings.TRUSTED_PROXY_COUNT = 1
    for n in range(8):
        client.get(f"{CALLBACK_PATH}?code=x{n}&state=y{n}", HTTP_X_FORWARDED_FOR="203.0.113.9")

    person = sso.add_person()
    callback = sso.at_provider(sso.start(client), person)
    response = client.get(callback, HTTP_X_FORWARDED_FOR="198.51.100.4")

    assert response.status_code == 302
    assert signed_in_user_id(client) is not None


def test_hits_through_an_unconfigured_router_do_not_throttle_everyone_behind_it(
    client, sso, settings
) -> None:
    """TRUSTED_PROXY_COUNT left at 0 behind a router: every visitor's address is the router's.
    The throttle counts per sign-in bucket (the router plus the entry it appended), as lockouts
    do."""
    settings.SSO_CALLBACK_FAILURES_PER_ADDRESS = 5
    settings.TRUSTED_PROXY_COUNT = 0
    router = {"REMOTE_ADDR": "10.20.30.40"}
    for n in range(8):
        client.get(
            f"{CALLBACK_PATH}?code=x{n}&state=y{n}", HTTP_X_FORWARDED_FOR="203.0.113.77", **router
        )

    person = sso.add_person()
    callback = sso.at_provider(sso.start(client), person)
    response = client.get(callback, HTTP_X_FORWARDED_FOR="198.51.100.31", **router)

    assert response.status_code == 302


def test_an_unparseable_forwarded_entry_is_throttled_and_collapsed_too(
    client, sso, settings
) -> None:
    settings.SSO_CALLBACK_FAILURES_PER_ADDRESS = 5
    settings.TRUSTED_PROXY_COUNT = 1
    statuses = [
        client.get(
            f"{CALLBACK_PATH}?code=g{n}&state=g{n}", HTTP_X_FORWARDED_FOR="not-an-address"
        ).status_code
        for n in range(20)
    ]

    assert set(statuses[5:]) == {429}
    assert len(refusal_details()) <= 3


def test_a_throttled_address_is_told_why_and_when(client, sso, settings) -> None:
    settings.SSO_CALLBACK_FAILURES_PER_ADDRESS = 2
    for n in range(3):
        response = client.get(f"{CALLBACK_PATH}?code=x{n}&state=y{n}")

    assert response.status_code == 429
    assert "Too many single sign-on attempts" in text(response)
    assert response.has_header("Retry-After")
