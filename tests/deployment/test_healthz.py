"""/healthz: the platform's liveness probe, open without login."""

from __future__ import annotations

import pytest
from django.db import connection


@pytest.mark.django_db
def test_healthz_reports_ok_without_login(client) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "cache": "ok", "thredfi": "ok"}
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_healthz_names_the_database_when_it_is_down(client, monkeypatch) -> None:
    def broken_cursor(*args, **kwargs):
        raise connection.Database.OperationalError("connection refused")

    monkeypatch.setattr(connection, "cursor", broken_cursor)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["status"] == "down"
    assert response.json()["database"] == "down"
    assert "Traceback" not in response.content.decode()


@pytest.mark.django_db
def test_healthz_only_answers_get(client) -> None:
    assert client.post("/healthz").status_code == 405
