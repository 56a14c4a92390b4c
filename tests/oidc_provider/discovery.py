"""DOT's discovery document, with what a misconfigured provider would list.

While an `unsigned` misbehaviour is pending, `id_token_signing_alg_values_supported` also names
"none" (DOT itself lists HS256 beside RS256): a relying party that takes its algorithms from
discovery would then accept an unsigned ID token. The dashboard must not (issue #20, L10).
"""

from __future__ import annotations

import json

from django.http import HttpRequest, HttpResponse
from oauth2_provider.views import ConnectDiscoveryInfoView

from tests.oidc_provider.misbehaviour import switchboard

_dot_view = ConnectDiscoveryInfoView.as_view()


def openid_configuration(request: HttpRequest) -> HttpResponse:
    response = _dot_view(request)
    if not switchboard.peek().unsigned or response.status_code != 200:
        return response
    document = json.loads(response.content)
    listed = list(document.get("id_token_signing_alg_values_supported", []))
    listed += [alg for alg in ("none", "HS256") if alg not in listed]
    document["id_token_signing_alg_values_supported"] = listed
    response.content = json.dumps(document).encode()
    return response
