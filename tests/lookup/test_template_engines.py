"""The hot pages render with Jinja2, the others with Django's templates, from one shared layout.

templates/base.html is read by both engines (settings.TEMPLATES). Something only one of them
reads, such as a method that Django calls by itself, would break the layout quietly on the other
one. So the layout is rendered by both here and the two results are compared.
"""

from __future__ import annotations

import re

import pytest
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.base import SessionBase
from django.template import engines, loader
from django.template.backends.django import DjangoTemplates
from django.template.backends.jinja2 import Jinja2

HOT_PAGES = [
    "customers_ui/customer_detail.html",
    "customers_ui/customer_list.html",
    "customers_ui/home.html",
]
DJANGO_PAGES = [
    "customers_ui/directory/search.html",
    "customers_ui/credentials/list.html",
    "404.html",
]

_CSRF_VALUE = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')


@pytest.mark.parametrize("name", HOT_PAGES)
def test_the_hot_pages_are_jinja2(name: str) -> None:
    assert isinstance(loader.get_template(name).backend, Jinja2)


@pytest.mark.parametrize("name", DJANGO_PAGES)
def test_the_other_pages_are_djangos(name: str) -> None:
    assert isinstance(loader.get_template(name).backend, DjangoTemplates)


def _request(rf, user):
    request = rf.get("/")
    request.user = user
    request.session = SessionBase()
    request._messages = FallbackStorage(request)
    return request


@pytest.mark.parametrize("signed_in", [True, False], ids=["signed-in", "signed-out"])
def test_both_engines_read_the_shared_layout_alike(rf, admin_user, signed_in) -> None:
    from django.contrib.auth.models import AnonymousUser
    from django.contrib.messages import info

    admin_user.first_name, admin_user.last_name = "Ada", "O'Neil <b>"
    by_engine = {}
    for engine in ("django", "jinja2"):
        request = _request(rf, admin_user if signed_in else AnonymousUser())
        info(request, "Saved <it> & done")
        html = engines[engine].get_template("base.html").render({"nav": "credentials"}, request)
        # Each render asks for a (masked) CSRF token of its own: equal tokens, unequal masks.
        by_engine[engine] = _CSRF_VALUE.sub('name="csrfmiddlewaretoken" value=""', html)

    django_html, jinja2_html = by_engine["django"], by_engine["jinja2"]
    # The two escape quotes with different (equivalent) entities: &#x27; / &#39;, &quot; / &#34;
    assert jinja2_html.replace("&#39;", "&#x27;").replace("&#34;", "&quot;") == django_html
    if signed_in:
        assert "Ada O&#x27;Neil &lt;b&gt;" in django_html
        assert 'aria-current="page">Credentials' in django_html
        assert ">Admin</a>" in django_html and ">Password</a>" in django_html
        assert "Saved &lt;it&gt; &amp; done" in django_html
    else:
        assert "Log out" not in django_html
