"""app.json, the manifest a platform creates the app from, agrees with the Procfile, the URLs and
the settings: every variable it sets is one the code reads, and the contract ones are right."""

from __future__ import annotations

import ast
import json
from pathlib import Path
from typing import Any

import pytest
from django.urls import resolve

from bench.harness import procfile_command

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def manifest() -> dict[str, Any]:
    return json.loads((ROOT / "app.json").read_text())


def procfile() -> dict[str, str]:
    lines = (ROOT / "Procfile").read_text().splitlines()
    return {
        name.strip(): command.strip()
        for name, _, command in (line.partition(":") for line in lines if line.strip())
    }


def names_read_by_the_code() -> set[str]:
    """Every string literal in the settings package and gunicorn.conf.py: the names they read."""
    sources = [*sorted((ROOT / "dashboard").glob("*.py")), ROOT / "gunicorn.conf.py"]
    return {
        node.value
        for source in sources
        for node in ast.walk(ast.parse(source.read_text()))
        if isinstance(node, ast.Constant) and isinstance(node.value, str)
    }


def test_every_formation_process_is_in_the_procfile(manifest) -> None:
    assert set(manifest["formation"]) <= set(procfile())
    assert manifest["formation"]["web"]["quantity"] >= 1


def test_the_first_deploy_runs_the_procfile_release_command(manifest) -> None:
    release = procfile()["release"]
    assert "migrate" in release
    assert manifest["scripts"]["postdeploy"] == release
    assert procfile_command("release") == release.split()


def test_the_health_check_is_the_healthz_url(manifest) -> None:
    (check,) = manifest["healthchecks"]["web"]
    assert check["path"] == "/healthz"
    assert resolve(check["path"]).url_name == "healthz"


def test_postgresql_and_redis_add_ons_provide_the_url_variables(manifest) -> None:
    attached = {addon["plan"].split(":")[0]: addon.get("as") for addon in manifest["addons"]}
    assert attached == {"heroku-postgresql": "DATABASE", "heroku-redis": "REDIS"}
    assert {"DATABASE_URL", "REDIS_URL"} <= names_read_by_the_code()


def test_secrets_are_generated_or_required_never_shipped(manifest) -> None:
    env = manifest["env"]
    assert env["SECRET_KEY"] == {**env["SECRET_KEY"], "generator": "secret"}
    assert "value" not in env["SECRET_KEY"]
    # A generated secret is not a Fernet key: the operator pastes one generate_encryption_key made.
    keys = env["CREDENTIALS_ENCRYPTION_KEYS"]
    assert keys["required"] is True
    assert "value" not in keys
    assert "generator" not in keys
    assert "generate_encryption_key" in keys["description"]
    assert env["THREDFI_BASE_URL"]["required"] is True
    assert "value" not in env["THREDFI_BASE_URL"]


def test_production_values_of_the_contract_variables(manifest) -> None:
    env = manifest["env"]
    assert env["DEBUG"]["value"] == "False"
    assert env["TRUSTED_PROXY_COUNT"]["value"] == "1"
    assert env["LOG_FORMAT"]["value"] == "json"
    # Heroku Redis presents a self-signed certificate on its rediss:// URL.
    assert env["REDIS_SSL_CERT_REQS"]["value"] == "none"


def test_every_variable_has_a_description(manifest) -> None:
    for name, spec in manifest["env"].items():
        assert spec.get("description"), name


@pytest.mark.parametrize(
    "name", sorted(json.loads((ROOT / "app.json").read_text())["env"]), ids=str
)
def test_every_variable_the_manifest_sets_is_read_by_the_code(name: str) -> None:
    assert name in names_read_by_the_code(), f"app.json sets {name}, which nothing reads"
