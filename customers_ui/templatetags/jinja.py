"""The Jinja2 engine of the hot pages (settings.TEMPLATES), with the filters Django's pages use.

The filters are the same functions as the Django template libraries beside this module, so a
value reads the same on a Jinja2 page as on a Django one. What differs from Django's template
language is kept small: a missing value renders as nothing at any depth (ChainableUndefined, as
Django renders a failed lookup), autoescaping is always on (whatever the settings say), a
template's last newline is kept, and `urlencode` is Django's (its second argument names the
characters left as they are) rather than Jinja2's. `url(...)` and `static(...)` stand for
Django's `{% url %}` and `{% static %}`.
"""

from __future__ import annotations

from typing import Any

from django.contrib.humanize.templatetags.humanize import naturaltime
from django.template.defaultfilters import urlencode
from django.templatetags.static import static
from django.urls import reverse
from jinja2 import ChainableUndefined, Environment

from customers_ui.templatetags.display import clip, epoch_iso, epoch_time, lifecycle_badge
from customers_ui.templatetags.money import filesize, money
from customers_ui.templatetags.zones import local_clock, local_datetime


def environment(**options: Any) -> Environment:
    options["undefined"] = ChainableUndefined
    options["keep_trailing_newline"] = True  # as Django's templates do: the same bytes out
    options.pop("autoescape", None)
    env = Environment(autoescape=True, **options)
    env.filters.update(
        clip=clip,
        epoch_iso=epoch_iso,
        epoch_time=epoch_time,
        lifecycle_badge=lifecycle_badge,
        naturaltime=naturaltime,
        filesize=filesize,
        money=money,
        local_clock=local_clock,
        local_datetime=local_datetime,
        urlencode=urlencode,
    )
    env.globals.update(static=static, url=url)
    return env


def url(name: str, *args: object) -> str:
    """`{{ url("app:view", arg, ...) }}`: Django's `{% url %}` for Jinja2 pages."""
    return reverse(name, args=args)
