"""Input of the directory pages, validated before anything is read."""

from __future__ import annotations

from django import forms

from customers_ui.thredfi.client import MAX_QUERY_CHARS

MAX_SEARCH_PAGES = 1_000


class BusinessSearchForm(forms.Form):
    q = forms.CharField(
        label="Business name or ID", max_length=MAX_QUERY_CHARS, required=False, strip=True
    )
    page = forms.IntegerField(min_value=1, max_value=MAX_SEARCH_PAGES, required=False)
    format = forms.ChoiceField(choices=[("html", "html"), ("json", "json")], required=False)
