"""Partner and business tokens: HS256 compact JWTs that really expire and can be revoked.

The dashboard caches tokens and must re-authenticate on 401, so the sandbox has to make tokens
die in every way the real API can: expiry, revocation (``/_sandbox/revoke-tokens``), a restart
(the key is random per process) and use outside their scope.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import math
import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

PARTNER_SCOPE = "partner"
BUSINESS_SCOPE = "business_access"

_HEADER = base64.urlsafe_b64encode(b'{"alg":"HS256","typ":"JWT"}').rstrip(b"=").decode()


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@dataclass(frozen=True, slots=True)
class Claims:
    partner_id: str
    business_id: str | None
    scope: str
    exp: int
    generation: int


class TokenAuthority:
    """Issues and verifies tokens. Thread-safe; verification is cached because it runs per call."""

    def __init__(
        self, ttl_seconds: int, key: bytes | None = None, clock: Callable[[], float] = time.time
    ) -> None:
        self.ttl_seconds = ttl_seconds
        self.clock = clock  # the sandbox's clock (sandbox/clock.py), which tests may advance
        self._key = key or os.urandom(32)
        self._generation = 0
        self._lock = threading.Lock()
        self._verified: dict[str, Claims] = {}

    def _sign(self, signing_input: str) -> str:
        return _b64(hmac.new(self._key, signing_input.encode(), hashlib.sha256).digest())

    def issue(self, partner_id: str, business_id: str | None = None) -> str:
        """A token valid for at least ``ttl_seconds`` (exp rounded up, never early)."""
        now = self.clock()
        payload: dict[str, Any] = {
            "iss": "thredfi-sandbox",
            "partner_id": partner_id,
            "scope": BUSINESS_SCOPE if business_id else PARTNER_SCOPE,
            "iat": int(now),
            "exp": math.ceil(now + self.ttl_seconds),
            "jti": os.urandom(16).hex(),
            "gen": self._generation,
        }
        if business_id:
            payload["business_id"] = business_id
        body = _b64(json.dumps(payload, separators=(",", ":")).encode())
        signing_input = f"{_HEADER}.{body}"
        return f"{signing_input}.{self._sign(signing_input)}"

    def verify(self, token: str) -> Claims | None:
        """Claims of a live token, or ``None`` (bad signature, garbage, expired or revoked)."""
        claims = self._verified.get(token)
        if claims is None:
            claims = self._decode(token)
            if claims is None:
                return None
            with self._lock:
                if len(self._verified) > 50_000:  # bound memory under token-minting load tests
                    self._verified.clear()
                self._verified[token] = claims
        if claims.generation != self._generation or self.clock() >= claims.exp:
            return None
        return claims

    def _decode(self, token: str) -> Claims | None:
        parts = token.split(".")
        if len(parts) != 3 or parts[0] != _HEADER:
            return None
        if not hmac.compare_digest(self._sign(f"{parts[0]}.{parts[1]}"), parts[2]):
            return None
        try:
            payload = json.loads(_unb64(parts[1]))
            return Claims(
                partner_id=str(payload["partner_id"]),
                business_id=payload.get("business_id"),
                scope=str(payload["scope"]),
                exp=int(payload["exp"]),
                generation=int(payload["gen"]),
            )
        except (ValueError, KeyError, TypeError, binascii.Error):
            return None

    def revoke_all(self) -> None:
        """Every token issued so far stops working; new ones are fine."""
        with self._lock:
            self._generation += 1
            self._verified.clear()
