"""Parts of a warm detail page timed on their own, A against B in the same process (issue #23).

On the shared 2-core box a whole page's CPU swings by 30 % between identical runs; one part timed
thousands of times, interleaved with its alternative, min over rounds, moves by a few µs.
`python -m bench.profile_parts`.
"""

from __future__ import annotations

import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path

from bench.harness import BUSINESS_GBP, DEMO_CUSTOMER_ID, Dashboard, SandboxProcess

ROUNDS, PER_ROUND = 15, 200


def best_us(fn: Callable[[], object]) -> float:
    """Min over rounds of the mean CPU per call, in µs."""
    best = float("inf")
    for _ in range(ROUNDS):
        started = time.process_time()
        for _ in range(PER_ROUND):
            fn()
        best = min(best, (time.process_time() - started) / PER_ROUND)
    return best * 1e6


def compare(label: str, candidates: dict[str, Callable[[], object]]) -> None:
    for fn in candidates.values():  # warm
        fn()
    results: dict[str, list[float]] = {name: [] for name in candidates}
    for _ in range(3):  # interleaved
        for name, fn in candidates.items():
            results[name].append(best_us(fn))
    for name, values in results.items():
        print(f"{label}: {name}: {min(values):.0f} µs")


def main() -> None:
    with tempfile.TemporaryDirectory() as workdir, SandboxProcess() as sandbox:
        dashboard = Dashboard(thredfi_base_url=sandbox.base_url, workdir=Path(workdir))
        dashboard.prepare(collectstatic=False)
        client = dashboard.in_process_client()
        url = f"/customers/{BUSINESS_GBP}/{DEMO_CUSTOMER_ID}/"
        for _ in range(5):
            assert client.get(url, secure=True).status_code == 200
        audit_insert()
        credential_query()
        summary_text()
        session_load(client.cookies["sessionid"].value)
        compare("detail page (whole, test client)", {"now": lambda: client.get(url, secure=True)})


def audit_insert() -> None:
    from django.contrib.auth import get_user_model

    from customers_ui.lookup import services
    from customers_ui.models import LookupEvent

    user = get_user_model().objects.get(username="demo")
    fields = dict(
        user=user,
        username="demo",
        credential_label="Sandbox demo partner",
        partner_uuid=uuid.uuid4(),
        business_id=uuid.UUID(BUSINESS_GBP),
        customer_id=uuid.UUID(DEMO_CUSTOMER_ID),
        document_id=None,
        customer_name="Cobalt",
        query="",
        action="view",
        outcome="ok",
        http_status=200,
        request_id="",
        dashboard_request_id="abc",
        client_ip="127.0.0.1",
        fetch_site="same-origin",
        duration_ms=3,
        ticket_ref="",
        via="",
    )
    candidates: dict[str, Callable[[], object]] = {
        "objects.create": lambda: LookupEvent.objects.create(**fields)
    }
    if hasattr(services, "_audit_insert"):
        candidates["_audit_insert"] = lambda: services._audit_insert(LookupEvent(**fields))

    compare("audit row", candidates)


def credential_query() -> None:
    from django.contrib.auth import get_user_model

    from customers_ui.credentials import selectors
    from customers_ui.models import PartnerCredential

    user = get_user_model().objects.get(username="demo")
    chosen = PartnerCredential.objects.filter(owner=user).first().pk
    session = {selectors.ACTIVE_CREDENTIAL_SESSION_KEY: chosen}

    def orm() -> object:  # active_credential before issue #23's SQL
        credentials = selectors.usable_credentials(user=user)
        return credentials.filter(pk=chosen).first() or credentials.first()

    assert orm() == selectors.active_credential(user=user, session=session)
    compare(
        "active credential",
        {
            "ORM (usable_credentials)": orm,
            "one SQL query (selectors)": lambda: selectors.active_credential(
                user=user, session=session
            ),
        },
    )


def session_load(session_key: str) -> None:
    from django.contrib.sessions.backends import db

    from customers_ui.accounts import session_store

    assert db.SessionStore(session_key).load() == session_store.SessionStore(session_key).load()
    compare(
        "session load",
        {
            "django db.SessionStore": lambda: db.SessionStore(session_key).load(),
            "customers_ui session_store": lambda: session_store.SessionStore(session_key).load(),
        },
    )


def summary_text() -> None:
    text = "Customer: Cobalt Ltd\nBusiness: Demo\nStatus: Active\n" * 6

    def now() -> str:
        return "".join(ch for ch in text if ch in "\n\t" or ch.isprintable())

    def fast() -> str:
        if text.replace("\n", "").replace("\t", "").isprintable():
            return text
        return now()

    compare("summary control-character filter", {"now": now, "fast path": fast})


if __name__ == "__main__":
    main()
