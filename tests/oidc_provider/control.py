"""Control API for tests only: users, clients and misbehaviour, behind a bearer secret.

The secret comes from the environment (never argv, which any local user can read in ``ps``), so
only the test process that started the provider can reshape it.
"""

from __future__ import annotations

import functools
import hmac
import json
import uuid
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST
from oauth2_provider.models import get_application_model

from tests.oidc_provider.misbehaviour import Misbehaviour, switchboard
from tests.oidc_provider.models import Profile

View = Callable[[HttpRequest], HttpResponse]


class BadRequest(ValueError):
    """A control request the API refuses with 400 and this message."""


def control_endpoint(view: Callable[[HttpRequest, dict[str, Any]], dict[str, Any]]) -> View:
    """Bearer check, JSON in and out, 400 for bad input: the shared shell of every endpoint."""

    @functools.wraps(view)
    @csrf_exempt
    def wrapper(request: HttpRequest) -> HttpResponse:
        expected = f"Bearer {settings.CONTROL_SECRET}"
        given = request.headers.get("Authorization", "")
        if not hmac.compare_digest(given.encode(), expected.encode()):
            return JsonResponse({"error": "unauthorized"}, status=401)
        try:
            data = json.loads(request.body or b"{}")
            if not isinstance(data, dict):
                raise BadRequest("the body must be a JSON object")
            return JsonResponse(view(request, data))
        except (BadRequest, ValueError) as exc:
            return JsonResponse({"error": str(exc)}, status=400)

    return wrapper


def _optional(data: dict[str, Any], name: str, kind: type | tuple[type, ...]) -> Any:
    value = data.get(name)
    if value is not None and not isinstance(value, kind):
        raise BadRequest(f"{name} has the wrong type")
    return value


def _required_str(data: dict[str, Any], name: str) -> str:
    value = _optional(data, name, str)
    if not value:
        raise BadRequest(f"{name} is required")
    return value


@require_GET
@control_endpoint
def health(request: HttpRequest, data: dict[str, Any]) -> dict[str, Any]:
    return {"status": "ok", "issuer": settings.ISSUER}


@require_POST
@control_endpoint
def upsert_user(request: HttpRequest, data: dict[str, Any]) -> dict[str, Any]:
    """Create or update a user; fields left out keep their value (or a default on creation)."""
    username = _required_str(data, "username")
    password = _optional(data, "password", str)
    amr = _optional(data, "amr", list)
    if amr is not None and not all(isinstance(item, str) for item in amr):
        raise BadRequest("amr must be a list of strings")
    with transaction.atomic():
        user, created = get_user_model().objects.get_or_create(username=username)
        if password is not None:
            user.set_password(password)
        elif created:
            user.set_unusable_password()
        for name, kind in (("email", str), ("is_active", bool)):
            value = _optional(data, name, kind)
            if value is not None:
                setattr(user, name, value)
        user.save()
        profile = Profile.objects.filter(user=user).first() or Profile(
            user=user, sub=f"user-{uuid.uuid4()}", amr=["pwd"]
        )
        for name, kind in (("sub", str), ("name", str), ("email_verified", bool)):
            value = _optional(data, name, kind)
            if value is not None:
                setattr(profile, name, value)
        if amr is not None:
            profile.amr = amr
        profile.save()
    return {
        "username": user.username,
        "email": user.email,
        "is_active": user.is_active,
        "sub": profile.sub,
        "name": profile.name,
        "email_verified": profile.email_verified,
        "amr": profile.amr,
    }


@require_POST
@control_endpoint
def upsert_client(request: HttpRequest, data: dict[str, Any]) -> dict[str, Any]:
    """Register or update a confidential RS256 client for the code flow, with no consent screen."""
    client_id = _required_str(data, "client_id")
    client_secret = _required_str(data, "client_secret")
    redirect_uris = _optional(data, "redirect_uris", list) or []
    if not redirect_uris or not all(isinstance(uri, str) and uri for uri in redirect_uris):
        raise BadRequest("redirect_uris must be a non-empty list of URLs")
    application_model = get_application_model()
    with transaction.atomic():
        application = application_model.objects.filter(client_id=client_id).first()
        if application is None:
            application = application_model(client_id=client_id)
        application.name = client_id
        application.client_secret = client_secret  # hashed on save by DOT's ClientSecretField
        application.hash_client_secret = True
        application.redirect_uris = " ".join(redirect_uris)
        application.client_type = application_model.CLIENT_CONFIDENTIAL
        application.authorization_grant_type = application_model.GRANT_AUTHORIZATION_CODE
        application.algorithm = application_model.RS256_ALGORITHM
        application.skip_authorization = True
        application.save()
    return {"client_id": client_id, "redirect_uris": redirect_uris}


@require_POST
@control_endpoint
def misbehave(request: HttpRequest, data: dict[str, Any]) -> dict[str, Any]:
    """Spoil the next ``count`` ID tokens (every one until ``behave`` when count is null)."""
    count = _optional(data, "count", int)
    if isinstance(count, bool) or (count is not None and count < 1):
        raise BadRequest("count must be a positive integer or null")
    switchboard.set(Misbehaviour.from_json(data), count)
    return switchboard.describe()


@require_POST
@control_endpoint
def behave(request: HttpRequest, data: dict[str, Any]) -> dict[str, Any]:
    switchboard.clear()
    return switchboard.describe()
