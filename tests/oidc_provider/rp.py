"""The relying party's and the browser's side of the code flow, over real HTTP with ``requests``.

Used by the provider's own tests, and reusable by dashboard SSO tests that need "a person signs
in at the provider" without a real browser. Nothing here knows the provider's internals: it only
follows redirects, fills in the login form as served, and speaks the token endpoint.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any, Literal
from urllib.parse import parse_qs, urlencode, urljoin, urlsplit

import requests
from jwcrypto import jwk, jwt
from jwcrypto.common import base64url_decode

TIMEOUT_SECONDS = 10.0


def pkce_pair() -> tuple[str, str]:
    """A fresh (code_verifier, S256 code_challenge), as RFC 7636 describes."""
    verifier = secrets.token_urlsafe(48)
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return verifier, base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


@dataclass(frozen=True)
class AuthorizationRequest:
    """An authorize URL plus the secrets the RP keeps to check what comes back."""

    url: str
    state: str
    nonce: str
    code_verifier: str | None
    redirect_uri: str


def authorization_request(
    authorization_endpoint: str,
    client_id: str,
    redirect_uri: str,
    *,
    scope: str = "openid email profile",
    pkce: Literal["S256", "plain", "none"] = "S256",
    **extra: str,
) -> AuthorizationRequest:
    """Build the request a well-behaved RP sends (``pkce`` can be weakened to test refusals)."""
    state, nonce = secrets.token_urlsafe(16), secrets.token_urlsafe(16)
    params = {
        "response_type": "code",
        "client_id": client_id,
        "redirect_uri": redirect_uri,
        "scope": scope,
        "state": state,
        "nonce": nonce,
        **extra,
    }
    verifier, challenge = pkce_pair()
    if pkce == "S256":
        params |= {"code_challenge": challenge, "code_challenge_method": "S256"}
    elif pkce == "plain":
        params |= {"code_challenge": verifier, "code_challenge_method": "plain"}
    url = f"{authorization_endpoint}?{urlencode(params)}"
    return AuthorizationRequest(
        url, state, nonce, None if pkce == "none" else verifier, redirect_uri
    )


@dataclass
class _Form:
    action: str = ""
    fields: dict[str, str] = field(default_factory=dict)


class _FormParser(HTMLParser):
    """The first form's action and its named inputs' values: all a login form needs."""

    def __init__(self) -> None:
        super().__init__()
        self.form: _Form | None = None
        self._done = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {name: value or "" for name, value in attrs}
        if tag == "form" and self.form is None:
            self.form = _Form(action=attributes.get("action", ""))
        elif tag == "input" and self.form is not None and not self._done and "name" in attributes:
            self.form.fields[attributes["name"]] = attributes.get("value", "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._done = True


def _origin(url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    return parts.scheme, parts.netloc


def _follow_within(session: requests.Session, response: requests.Response) -> requests.Response:
    """Follow redirects while they stay on the provider; stop at the one that leaves it."""
    origin = _origin(response.url)
    while response.is_redirect:
        location = urljoin(response.url, response.headers["Location"])
        if _origin(location) != origin:
            return response
        response = session.get(location, allow_redirects=False, timeout=TIMEOUT_SECONDS)
    return response


def is_login_page(response: requests.Response) -> bool:
    return response.status_code == 200 and 'name="password"' in response.text


def browser_sign_in(
    session: requests.Session, authorize_url: str, username: str, password: str
) -> requests.Response:
    """Open the authorize URL as a browser would and sign in on the login page if shown.

    Returns the response that leaves the provider (normally the redirect to the RP's callback,
    with a code or an error) or, when sign-in fails, the page the provider stopped on.
    """
    response = session.get(authorize_url, allow_redirects=False, timeout=TIMEOUT_SECONDS)
    response = _follow_within(session, response)
    if not is_login_page(response):
        return response
    parser = _FormParser()
    parser.feed(response.text)
    assert parser.form is not None, "the login page has no form"
    data = {**parser.form.fields, "username": username, "password": password}
    posted = session.post(
        urljoin(response.url, parser.form.action),
        data=data,
        allow_redirects=False,
        timeout=TIMEOUT_SECONDS,
    )
    return _follow_within(session, posted)


def callback_params(response: requests.Response, redirect_uri: str) -> dict[str, str]:
    """The query of a redirect to ``redirect_uri`` (code and state, or error), one value each."""
    location = response.headers.get("Location", "")
    assert response.is_redirect and location.startswith(redirect_uri + "?"), (
        f"expected a redirect to {redirect_uri}, got {response.status_code} {location!r}"
    )
    return {name: values[0] for name, values in parse_qs(urlsplit(location).query).items()}


def exchange_code(
    token_endpoint: str,
    *,
    client_id: str,
    client_secret: str,
    code: str,
    redirect_uri: str,
    code_verifier: str | None,
    auth: Literal["client_secret_basic", "client_secret_post"] = "client_secret_basic",
) -> requests.Response:
    """POST the code to the token endpoint as the RP's back channel does."""
    data = {"grant_type": "authorization_code", "code": code, "redirect_uri": redirect_uri}
    if code_verifier is not None:
        data["code_verifier"] = code_verifier
    basic: tuple[str, str] | None = None
    if auth == "client_secret_basic":
        basic = (client_id, client_secret)
    else:
        data |= {"client_id": client_id, "client_secret": client_secret}
    return requests.post(token_endpoint, data=data, auth=basic, timeout=TIMEOUT_SECONDS)


def unverified_parts(id_token: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """(header, claims) without checking anything: for asserting on deliberately bad tokens."""
    header_b64, claims_b64, _signature = id_token.split(".")
    return json.loads(base64url_decode(header_b64)), json.loads(base64url_decode(claims_b64))


def verify_signature(id_token: str, jwks: dict[str, Any]) -> dict[str, Any]:
    """The claims, once the signature checks out against the published JWKS (claims unchecked).

    Raises a ``jwcrypto`` exception (``JWTMissingKey``, ``InvalidJWSSignature``...) otherwise.
    Claim checks are left to the caller so each test states exactly what it expects.
    """
    keyset = jwk.JWKSet.from_json(json.dumps(jwks))
    token = jwt.JWT(jwt=id_token, key=keyset, algs=["RS256"], check_claims=False)
    return json.loads(token.claims)
