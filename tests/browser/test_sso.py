"""Single sign-on and two-factor enrolment in headless Chromium, end to end.

The dashboard runs as in production (bench.harness.Dashboard: gunicorn, DEBUG=False) with the
OIDC settings pointing at the real test provider (tests/oidc_provider); the browser goes from
the login page to the provider's login page and back, signed in. The dashboard answers on
`localhost` and the provider on `127.0.0.1`: cookies are per host, not per port, so the two
sites' `sessionid` cookies must not overwrite each other.
"""

from __future__ import annotations

import os
import re
import shutil
import uuid
from base64 import b32decode
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from django_otp.oath import totp

from tests.browser.conftest import ROOT, browser_page, keep_screenshot
from tests.browser.test_accessibility import violations

pytestmark = pytest.mark.browser

PROVIDER_NAME = "Test IdP"
PROVIDER_PASSWORD = "correct horse battery staple"
SCREENSHOT = ROOT / "docs" / "screenshots" / "mfa-enrolment.png"


@dataclass
class SSOApp:
    base_url: str
    provider: object
    linked_person: str  # signs in as the harness's `demo` user, who has the sandbox credential


def _manage_shell(env: dict[str, str], code: str) -> None:
    from bench.harness import run_manage

    result = run_manage(env, "shell", stdin=code)
    if result.returncode != 0:
        raise RuntimeError(f"manage.py shell failed:\n{result.stderr[-3000:]}")


@pytest.fixture(scope="session")
def sso_app(
    tmp_path_factory, oidc_provider_process, dashboard_template, sandbox
) -> Iterator[SSOApp]:
    from bench.harness import Dashboard

    provider = oidc_provider_process
    dashboard = Dashboard(
        thredfi_base_url=sandbox.base_url,
        workdir=tmp_path_factory.mktemp("sso"),
        extra_env={"WEB_CONCURRENCY": "1", "GUNICORN_THREADS": "8"},
    )
    base_url = f"http://localhost:{dashboard.port}"
    callback = f"{base_url}/accounts/sso/callback/"
    client_id, client_secret = f"browser-{uuid.uuid4().hex[:8]}", uuid.uuid4().hex
    provider.add_client(client_id, client_secret, [callback])
    dashboard.extra_env.update(
        {
            "OIDC_ISSUER": provider.issuer,
            "OIDC_CLIENT_ID": client_id,
            "OIDC_CLIENT_SECRET": client_secret,
            "OIDC_PROVIDER_NAME": PROVIDER_NAME,
            "OIDC_ALLOWED_EMAIL_DOMAINS": "example.test",
            "OIDC_REDIRECT_URI": callback,
            "OIDC_ALLOW_INSECURE_HTTP": "True",  # the provider speaks plain HTTP on loopback
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "CSRF_TRUSTED_ORIGINS": base_url,
        }
    )
    dashboard_template.provision(dashboard)
    person = f"grace-{uuid.uuid4().hex[:8]}"
    claims = provider.add_user(
        person, PROVIDER_PASSWORD, email=f"{person}@example.test", name="Grace Hopper"
    )
    # As an administrator links an existing account (README): demo is that person here.
    _manage_shell(
        dashboard.env,
        "from django.contrib.auth import get_user_model\n"
        "from customers_ui.models import SSOIdentity\n"
        "SSOIdentity.objects.create(user=get_user_model().objects.get(username='demo'), "
        f"issuer={provider.issuer!r}, subject={claims['sub']!r})\n",
    )
    dashboard.start()
    try:
        yield SSOApp(base_url=base_url, provider=provider, linked_person=person)
    finally:
        dashboard.stop()


@pytest.fixture
def sso_page(browser, sso_app) -> Iterator[object]:
    with browser_page(browser, sso_app.base_url) as page:
        yield page


def sign_in_with_sso(page, sso_app: SSOApp, username: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_role("button", name=f"Sign in with {PROVIDER_NAME}").click()
    page.wait_for_url(re.compile(r"http://127\.0\.0\.1:\d+/login/"))
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PROVIDER_PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_sign_in_through_the_provider_lands_on_the_home_page(sso_page, sso_app) -> None:
    sign_in_with_sso(sso_page, sso_app, sso_app.linked_person)

    sso_page.wait_for_url(f"{sso_app.base_url}/")
    # The linked `demo` account, its name now the one the provider gives.
    assert sso_page.locator(".account-name").inner_text() == "Grace Hopper"
    assert sso_page.get_by_role("button", name="Log out").is_visible()
    assert sso_page.get_by_label("Business").count() >= 1  # the lookup form, with businesses


def test_a_first_sign_in_makes_an_account_and_asks_for_a_credential(sso_page, sso_app) -> None:
    person = f"ada-{uuid.uuid4().hex[:8]}"
    sso_app.provider.add_user(
        person, PROVIDER_PASSWORD, email=f"{person}@example.test", name="Ada Lovelace"
    )

    sign_in_with_sso(sso_page, sso_app, person)

    sso_page.wait_for_url("**/credentials/new/**")
    assert sso_page.locator(".account-name").inner_text() == "Ada Lovelace"
    assert "Add your Thredfi partner credentials" in sso_page.content()


def test_a_refused_domain_is_a_clear_page(sso_page, sso_app) -> None:
    person = f"eve-{uuid.uuid4().hex[:8]}"
    sso_app.provider.add_user(person, PROVIDER_PASSWORD, email=f"{person}@elsewhere.test")

    sign_in_with_sso(sso_page, sso_app, person)

    sso_page.wait_for_url("**/accounts/sso/callback/**")
    assert sso_page.get_by_role("heading", name="You were not signed in").is_visible()
    assert "Accounts from elsewhere.test cannot use this dashboard" in sso_page.content()
    assert sso_page.locator(".account-name").count() == 0


@pytest.mark.parametrize("width", [375, 1440])
def test_the_login_page_with_the_sso_button_has_no_violations(sso_page, width) -> None:
    sso_page.set_viewport_size({"width": width, "height": 900})
    sso_page.goto("/accounts/login/")

    assert sso_page.get_by_role("button", name=f"Sign in with {PROVIDER_NAME}").is_visible()
    assert violations(sso_page) == []
    assert sso_page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_enrolling_an_authenticator_in_the_browser(sso_page, sso_app) -> None:
    """Enrolment page (axe-checked; its screenshot is the README's, refreshed with
    UPDATE_SCREENSHOTS=1), a code from the app, the recovery codes."""
    person = f"kat-{uuid.uuid4().hex[:8]}"
    sso_app.provider.add_user(
        person, PROVIDER_PASSWORD, email=f"{person}@example.test", name="Katherine Johnson"
    )
    sign_in_with_sso(sso_page, sso_app, person)
    sso_page.wait_for_url("**/credentials/new/**")

    sso_page.goto("/accounts/security/")
    sso_page.get_by_role("link", name="Set up two-factor authentication").click()
    sso_page.wait_for_url("**/accounts/mfa/setup/")
    assert sso_page.get_by_role("img", name=re.compile("QR code")).is_visible()
    assert violations(sso_page) == []
    sso_page.get_by_text("Can't scan it? Type this key instead").click()
    assert violations(sso_page) == []
    shot = keep_screenshot(sso_page, "mfa-enrolment.png")
    if shot and os.environ.get("UPDATE_SCREENSHOTS"):  # refresh the README's picture
        shutil.copyfile(shot, SCREENSHOT)
    key = b32decode(sso_page.get_by_label("Setup key").inner_text().replace(" ", ""))

    sso_page.get_by_label("6-digit code from your authenticator app").fill(
        f"{totp(key, step=30, t0=0, digits=6):06d}"
    )
    sso_page.get_by_role("button", name="Confirm and turn on").click()

    assert sso_page.get_by_role("heading", name="Two-factor authentication is on").is_visible()
    assert sso_page.get_by_role("list", name="Recovery codes").locator("li").count() == 10
    assert violations(sso_page) == []
