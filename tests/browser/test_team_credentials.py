"""An agent who holds no key of their own, only their team's credential scoped to one business,
in a real browser (Chromium) against the dashboard under gunicorn (issue #22).

Provisioned the way an operator would: the account from a shell, the team credential with
`store_team_credentials` (key on stdin) and the membership with `team_members`.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from sandbox.demo import BUSINESS_EUR, BUSINESS_GBP, DEMO_API_KEY, DEMO_PARTNER_UUID
from tests.browser.conftest import CHROMIUM, LiveApp, browser_page, log_in

pytestmark = pytest.mark.browser

AGENT, PASSWORD = "agent-ana", "a-long-agent-password-1"
TEAM, LABEL = "Tier 1 UK", "UK support"


@pytest.fixture(scope="module")
def teams_app(tmp_path_factory, dashboard_template, sandbox) -> Iterator[LiveApp]:
    from pathlib import Path

    from bench.harness import Dashboard

    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium package (see .ci/run)")
    dashboard = Dashboard(
        thredfi_base_url=sandbox.base_url,
        workdir=tmp_path_factory.mktemp("browser-teams"),
        extra_env={"WEB_CONCURRENCY": "1", "GUNICORN_THREADS": "4"},
    )
    dashboard.extra_env["CSRF_TRUSTED_ORIGINS"] = f"http://127.0.0.1:{dashboard.port}"
    dashboard_template.provision(dashboard)
    dashboard.manage(
        "shell",
        stdin=(
            "from django.contrib.auth import get_user_model\n"
            f"get_user_model().objects.create_user({AGENT!r}, password={PASSWORD!r})\n"
        ),
    )
    dashboard.manage(
        "store_team_credentials",
        TEAM,
        "--partner-uuid",
        DEMO_PARTNER_UUID,
        "--label",
        LABEL,
        "--businesses",
        BUSINESS_GBP,
        stdin=DEMO_API_KEY + "\n",
    )
    dashboard.manage("team_members", TEAM, "--add", AGENT)
    dashboard.start()
    try:
        yield LiveApp(base_url=dashboard.base_url, sandbox=sandbox)
    finally:
        dashboard.stop()


@pytest.fixture
def agent_page(browser, teams_app) -> Iterator[object]:
    with browser_page(browser, teams_app.base_url) as page:
        yield page


def test_an_agent_with_only_a_team_credential_looks_up_within_its_scope(
    agent_page, teams_app
) -> None:
    page = agent_page
    log_in(page, AGENT, PASSWORD)  # straight to lookups: no "add a credential" detour

    assert page.url == f"{teams_app.base_url}/"
    assert f"shared by {TEAM}" in page.locator("main").inner_text()
    options = page.locator("#id_business option").all_inner_texts()
    assert options == ["Harbour & Finch Ltd (GBP)"]

    page.get_by_label("Name, email, reference or external ID").first.fill("Cobalt")
    page.get_by_role("button", name="Search").click()
    page.get_by_role("link", name="Cobalt Kitchens Ltd").first.click()
    assert page.get_by_role("heading", level=1).inner_text().startswith("Cobalt Kitchens Ltd")
    assert f"/customers/{BUSINESS_GBP}/" in page.url

    teams_app.sandbox.reset()
    response = page.goto(f"/customers/{BUSINESS_EUR}/")
    assert response is not None and response.status == 403
    text = page.locator("main").inner_text()
    assert TEAM in text and LABEL in text
    assert teams_app.sandbox.stats()["total_requests"] == 0

    page.goto("/credentials/")
    listing = page.content()
    assert DEMO_API_KEY not in listing and DEMO_API_KEY[-4:] not in listing
    assert page.get_by_role("link", name="Replace key").count() == 0
