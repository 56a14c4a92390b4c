"""The ``/_sandbox/`` control routes: not Thredfi's, for tests and benchmarks to steer the sandbox.

No auth, no latency, never affected by the outage switch (a test must be able to switch an outage
*off*), and not counted in the request stats.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import asdict, replace
from typing import TYPE_CHECKING, Any

from sandbox.big_partner import MAX_BUSINESSES
from sandbox.demo import BIG_PARTNER_UUID, BIG_ZEPHYR_BUSINESS_ID
from sandbox.outage import MODES

if TYPE_CHECKING:
    from sandbox.server import SandboxHandler


def _json_body(handler: SandboxHandler) -> dict[str, Any] | None:
    """The request's JSON object, or ``None`` after answering 400."""
    try:
        value = json.loads(handler.body.decode("utf-8") or "{}")
    except (ValueError, UnicodeDecodeError):
        value = None
    if not isinstance(value, dict):
        handler.send_api_error(400, "validation_error", "Expected a JSON object body.")
        return None
    return value


def health(handler: SandboxHandler) -> None:
    handler.send_json(200, {"status": "ok"})


def stats(handler: SandboxHandler) -> None:
    server = handler.server
    snapshot = server.stats.snapshot()
    snapshot["outage"]["mode"] = server.outage.mode
    snapshot["big_partner_businesses"] = server.big.size
    handler.send_json(200, snapshot)


# The settings a test may change on a running sandbox (``POST /_sandbox/settings``), with their
# bounds; ``/_sandbox/reset`` puts back the values the process started with.
RUNTIME_SETTINGS: dict[str, tuple[type, float, float]] = {
    "hang_seconds": (float, 0, 3600),
    "latency_ms": (int, 0, 60_000),
    "jitter_ms": (int, 0, 60_000),
    "token_ttl": (int, 1, 86_400),
    "document_ttl": (int, 1, 86_400),
    "fault_rate": (float, 0.0, 1.0),
}


def _apply_settings(server: Any, config: Any) -> None:
    """Make ``config`` the one in force, including the copies the token authority, the document
    presigner and the outage switch took at start."""
    server.config = config
    server.tokens.ttl_seconds = config.token_ttl
    server.presigner.ttl_seconds = config.document_ttl
    server.outage.hang_seconds = config.hang_seconds


def _started_config(server: Any) -> Any:
    """The configuration the process started with (remembered before the first change)."""
    return server.__dict__.setdefault("started_config", server.config)


def _runtime_settings(server: Any) -> dict[str, Any]:
    config = asdict(server.config)
    return {name: config[name] for name in RUNTIME_SETTINGS}


def get_settings(handler: SandboxHandler) -> None:
    handler.send_json(200, {"settings": _runtime_settings(handler.server)})


def set_settings(handler: SandboxHandler) -> None:
    body = _json_body(handler)
    if body is None:
        return
    errors: dict[str, list[str]] = {}
    for name, value in body.items():
        if name not in RUNTIME_SETTINGS:
            errors[name] = [f"Expected one of: {', '.join(RUNTIME_SETTINGS)}."]
            continue
        kind, low, high = RUNTIME_SETTINGS[name]
        numeric = isinstance(value, int | float) and not isinstance(value, bool)
        if not numeric or (kind is int and value != int(value)) or not low <= value <= high:
            errors[name] = [f"Expected a number in [{low}, {high}]."]
    if errors:
        detail = {"field_errors": errors}
        handler.send_api_error(400, "validation_error", "Invalid settings.", detail)
        return
    server = handler.server
    _started_config(server)
    changes = {name: RUNTIME_SETTINGS[name][0](value) for name, value in body.items()}
    _apply_settings(server, replace(server.config, **changes))
    handler.send_json(200, {"settings": _runtime_settings(server)})


def get_clock(handler: SandboxHandler) -> None:
    handler.send_json(200, {"offset_seconds": handler.server.clock.offset})


def advance_clock(handler: SandboxHandler) -> None:
    """Move the sandbox's clock forward: tokens and presigned URLs expire as if that much time had
    passed (a test proves expiry without sleeping through it). Only forward, at most a day."""
    body = _json_body(handler)
    if body is None:
        return
    seconds = body.get("seconds")
    numeric = isinstance(seconds, int | float) and not isinstance(seconds, bool)
    if not numeric or not 0 < seconds <= 86_400:
        detail = {"field_errors": {"seconds": ["Expected a number in (0, 86400]."]}}
        handler.send_api_error(400, "validation_error", "Invalid clock step.", detail)
        return
    handler.send_json(200, {"offset_seconds": handler.server.clock.advance(float(seconds))})


def reset(handler: SandboxHandler) -> None:
    """Counters to zero; outage mode, big-partner size, run-time settings and the clock back to
    what the process started with."""
    server = handler.server
    _apply_settings(server, _started_config(server))
    server.clock.reset()
    server.stats.reset()
    server.outage.set(server.config.outage)
    server.big.resize(server.big.configured)
    handler.send_json(200, {"status": "reset"})


def revoke_tokens(handler: SandboxHandler) -> None:
    handler.server.tokens.revoke_all()
    handler.send_json(200, {"status": "revoked"})


def get_outage(handler: SandboxHandler) -> None:
    server = handler.server
    hanging = server.stats.snapshot()["outage"]["hanging_now"]
    handler.send_json(
        200, {"mode": server.outage.mode, "hanging_now": hanging, "modes": list(MODES)}
    )


def set_outage(handler: SandboxHandler) -> None:
    body = _json_body(handler)
    if body is None:
        return
    mode = body.get("mode")
    if mode not in MODES:
        handler.send_api_error(
            400,
            "validation_error",
            "Unknown outage mode.",
            {"field_errors": {"mode": [f"Expected one of: {', '.join(MODES)}."]}},
        )
        return
    previous = handler.server.outage.set(mode)
    handler.send_json(200, {"mode": mode, "previous": previous})


def _big_partner_state(handler: SandboxHandler) -> dict[str, Any]:
    big = handler.server.big
    return {
        "partner_uuid": BIG_PARTNER_UUID,
        "businesses": big.size,
        "configured": big.configured,
        "zephyr_business_id": BIG_ZEPHYR_BUSINESS_ID,
        "zephyr_index": big.zephyr_index,
    }


def get_big_partner(handler: SandboxHandler) -> None:
    handler.send_json(200, _big_partner_state(handler))


def resize_big_partner(handler: SandboxHandler) -> None:
    body = _json_body(handler)
    if body is None:
        return
    count = body.get("businesses")
    if isinstance(count, bool) or not isinstance(count, int) or not 0 <= count <= MAX_BUSINESSES:
        handler.send_api_error(
            400,
            "validation_error",
            "businesses must be an integer.",
            {"field_errors": {"businesses": [f"Expected an integer in [0, {MAX_BUSINESSES}]."]}},
        )
        return
    previous = handler.server.big.resize(count)
    handler.send_json(200, {**_big_partner_state(handler), "previous": previous})


ROUTES: dict[tuple[str, str], Callable[[SandboxHandler], None]] = {
    ("GET", "health"): health,
    ("GET", "stats"): stats,
    ("POST", "reset"): reset,
    ("POST", "revoke-tokens"): revoke_tokens,
    ("GET", "settings"): get_settings,
    ("GET", "clock"): get_clock,
    ("POST", "clock"): advance_clock,
    ("POST", "settings"): set_settings,
    ("GET", "outage"): get_outage,
    ("POST", "outage"): set_outage,
    ("GET", "big-partner"): get_big_partner,
    ("POST", "big-partner"): resize_big_partner,
}


def dispatch(handler: SandboxHandler, action: str) -> None:
    route = ROUTES.get((handler.command, action))
    if route is None:
        handler.send_api_error(404, "not_found", "Unknown sandbox control route.")
        return
    route(handler)
