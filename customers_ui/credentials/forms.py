"""Forms of the credentials pages.

The API key is write-only: its widget never renders a value (not even after a validation error),
no form ever gets it as initial data, and no error message repeats it.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.models import AbstractBaseUser

from customers_ui.credentials.services import DUPLICATE_LABEL_MESSAGE
from customers_ui.models import PartnerCredential
from customers_ui.thredfi import is_sendable_api_key

API_KEY_MIN_LENGTH = 8
API_KEY_MAX_LENGTH = 500


class ApiKeyField(forms.CharField):
    """A pasted secret: surrounding whitespace dropped, inner whitespace refused (a bad paste)."""

    default_error_messages = {
        # Django's defaults don't echo the value either; these say what to do in our words.
        "required": "Enter the API key.",
        "min_length": f"That is too short for a Thredfi API key (at least {API_KEY_MIN_LENGTH} "
        "characters).",
        "max_length": "That is too long for a Thredfi API key.",
        "whitespace": "API keys have no spaces or line breaks in them: copy the key again.",
        "charset": "API keys are made of plain letters, digits and punctuation (ASCII); this "
        "one has a character that cannot be sent to Thredfi. Copy the key again.",
    }

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", "API key")
        super().__init__(
            strip=True,
            min_length=API_KEY_MIN_LENGTH,
            max_length=API_KEY_MAX_LENGTH,
            widget=forms.PasswordInput(
                render_value=False,
                attrs={"autocomplete": "off", "spellcheck": "false", "autocapitalize": "off"},
            ),
            **kwargs,
        )

    def validate(self, value: str) -> None:
        super().validate(value)
        if value and any(ch.isspace() for ch in value):
            raise forms.ValidationError(self.error_messages["whitespace"], code="whitespace")
        if value and not is_sendable_api_key(value):
            # HTTP Basic credentials travel as Latin-1 at best; anything but printable ASCII
            # would fail on every lookup, so refuse it here, where it is typed.
            raise forms.ValidationError(self.error_messages["charset"], code="charset")

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        # minlength/maxlength in the HTML would let the browser reject a paste silently.
        attrs = super().widget_attrs(widget)
        attrs.pop("minlength", None)
        attrs.pop("maxlength", None)
        return attrs


class _LabelUniquePerOwner(forms.Form):
    """Labels are unique per owner: say so on the field instead of failing on the constraint."""

    label = forms.CharField(
        max_length=100,
        help_text="Your name for this partner account, e.g. “EU production”.",
    )

    def __init__(
        self,
        *args: Any,
        owner: AbstractBaseUser,
        instance: PartnerCredential | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.owner = owner
        self.instance = instance

    def clean_label(self) -> str:
        label: str = self.cleaned_data["label"]
        others = PartnerCredential.objects.filter(owner=self.owner, label__iexact=label)
        if self.instance is not None:
            others = others.exclude(pk=self.instance.pk)
        if others.exists():
            raise forms.ValidationError(DUPLICATE_LABEL_MESSAGE, code="duplicate")
        return label


class CredentialCreateForm(_LabelUniquePerOwner):
    partner_uuid = forms.UUIDField(
        label="Partner UUID",
        help_text="From the Thredfi partner portal, e.g. 7d3c5e1a-2b4f-4c6d-8e9f-0a1b2c3d4e5f.",
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    api_key = ApiKeyField(
        help_text="Stored encrypted. It is never shown again; only its last 4 characters are.",
    )
    make_default = forms.BooleanField(
        label="Use by default for my lookups",
        required=False,
        help_text="Your first credential is always the default.",
    )


class CredentialRenameForm(_LabelUniquePerOwner):
    make_default = forms.BooleanField(label="Make this my default credential", required=False)


class CredentialKeyForm(forms.Form):
    api_key = ApiKeyField(
        label="New API key",
        help_text="Replaces the stored key. Test the credential afterwards.",
    )
