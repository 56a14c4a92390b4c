"""Input of the lookup pages, validated before anything reaches Thredfi."""

from __future__ import annotations

from django import forms

MAX_QUERY_LENGTH = 200
MAX_PAGE = 10_000


class SearchForm(forms.Form):
    business = forms.UUIDField(error_messages={"invalid": "Pick a business from the list."})
    q = forms.CharField(
        label="Name, email, reference or external ID",
        max_length=MAX_QUERY_LENGTH,
        required=False,
        strip=True,
    )


class ResultsForm(forms.Form):
    q = forms.CharField(max_length=MAX_QUERY_LENGTH, required=False, strip=True)
    page = forms.IntegerField(min_value=1, max_value=MAX_PAGE, required=False)


class PasteForm(forms.Form):
    ref = forms.CharField(label="Customer ID or link", max_length=2000, strip=True)
    business = forms.UUIDField(required=False)
