"""Switches that make the next ID token(s) wrong in one chosen way, for the RP's rejection tests.

Kept in process memory behind a lock: the provider is one process with many request threads, and
a token exchange must consume a switch exactly once even when two exchanges race.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from typing import Any

# Far enough in the past that no relying party's clock-skew leeway can excuse it.
EXPIRED_BY_SECONDS = 3600


@dataclass(frozen=True)
class Misbehaviour:
    """One way to spoil an ID token; the empty instance spoils nothing."""

    aud: str | None = None
    iss: str | None = None
    nonce: str | None = None
    expired: bool = False
    rogue_key: bool = False
    # An unsigned token (`"alg": "none"`), and discovery listing "none" while this is pending.
    unsigned: bool = False
    # Any claim set to any JSON value (`{"email_verified": "false"}`), or left out altogether.
    claims: dict[str, Any] = field(default_factory=dict)
    drop_claims: tuple[str, ...] = ()

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Misbehaviour:
        """Build from the control API's JSON body, refusing unknown or mistyped switches."""
        known = {"aud", "iss", "nonce", "expired", "rogue_key", "unsigned", "claims", "drop_claims"}
        unknown = set(data) - known - {"count"}
        if unknown:
            raise ValueError(f"unknown misbehaviour switches: {sorted(unknown)}")
        for name in ("aud", "iss", "nonce"):
            if data.get(name) is not None and not isinstance(data[name], str):
                raise ValueError(f"{name} must be a string")
        for name in ("expired", "rogue_key", "unsigned"):
            if not isinstance(data.get(name, False), bool):
                raise ValueError(f"{name} must be a boolean")
        if not isinstance(data.get("claims") or {}, dict):
            raise ValueError("claims must be an object")
        drop = data.get("drop_claims") or []
        if not isinstance(drop, list) or not all(isinstance(name, str) for name in drop):
            raise ValueError("drop_claims must be a list of claim names")
        values = {name: data[name] for name in known if data.get(name) is not None}
        values["claims"] = dict(data.get("claims") or {})
        values["drop_claims"] = tuple(drop)
        return cls(**values)

    def is_empty(self) -> bool:
        return self == Misbehaviour()

    def claim_overrides(self) -> dict[str, Any]:
        """Claims to write over DOT's and oauthlib's own values just before signing."""
        overrides: dict[str, Any] = {}
        if self.aud is not None:
            overrides["aud"] = self.aud
        if self.iss is not None:
            overrides["iss"] = self.iss
        if self.nonce is not None:
            overrides["nonce"] = self.nonce
        if self.expired:
            overrides["exp"] = int(time.time()) - EXPIRED_BY_SECONDS
        overrides.update(self.claims)
        return overrides


@dataclass
class _Switchboard:
    """The active misbehaviour and how many more ID tokens it applies to (None: until cleared)."""

    active: Misbehaviour = field(default_factory=Misbehaviour)
    remaining: int | None = None
    lock: threading.Lock = field(default_factory=threading.Lock)

    def set(self, misbehaviour: Misbehaviour, count: int | None) -> None:
        with self.lock:
            self.active, self.remaining = misbehaviour, count

    def clear(self) -> None:
        self.set(Misbehaviour(), None)

    def take(self) -> Misbehaviour:
        """The misbehaviour for the ID token being issued now, counting it against ``remaining``."""
        with self.lock:
            current = self.active
            if current.is_empty():
                return current
            if self.remaining is not None:
                self.remaining -= 1
                if self.remaining <= 0:
                    self.active, self.remaining = Misbehaviour(), None
            return current

    def peek(self) -> Misbehaviour:
        """The pending misbehaviour, not consumed (discovery reads it; only tokens consume)."""
        with self.lock:
            return self.active

    def describe(self) -> dict[str, Any]:
        with self.lock:
            return {**self.active.__dict__, "count": self.remaining}


switchboard = _Switchboard()
