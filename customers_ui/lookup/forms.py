"""Input of the lookup pages, validated before anything reaches Thredfi."""

from __future__ import annotations

from django import forms

from customers_ui.lookup.references import MAX_REFERENCE_LENGTH, search_text
from customers_ui.thredfi.client import MAX_QUERY_CHARS
from customers_ui.thredfi.records import MAX_PAGES


class QueryField(forms.CharField):
    """Free search text: the one length limit Thredfi's client, the audit trail and pages share."""

    def __init__(self, **kwargs: object) -> None:
        kwargs.setdefault("label", "Name, email, reference or external ID")
        super().__init__(max_length=MAX_QUERY_CHARS, required=False, strip=True, **kwargs)

    def to_python(self, value: object) -> str:
        return search_text(super().to_python(value))


class SearchForm(forms.Form):
    business = forms.UUIDField(error_messages={"invalid": "Pick a business from the list."})
    q = QueryField()


class ResultsForm(forms.Form):
    q = QueryField()
    page = forms.IntegerField(min_value=1, max_value=MAX_PAGES, required=False)


class PasteForm(forms.Form):
    ref = forms.CharField(
        label="Customer ID, business/customer IDs, or a link containing them",
        max_length=MAX_REFERENCE_LENGTH,
        strip=True,
    )
    business = forms.UUIDField(required=False)


class HomePrefillForm(forms.Form):
    """`/?q=` or `/?ref=`: what a `/go` link without a business hands the home page's boxes.

    Only ever pre-fills a field; anything unexpected is dropped rather than refused."""

    q = QueryField()
    ref = forms.CharField(max_length=MAX_REFERENCE_LENGTH, required=False, strip=True)

    def prefill(self) -> dict[str, str]:
        if not self.is_bound or not self.is_valid():
            return {}
        return {name: value for name, value in self.cleaned_data.items() if value}
