"""The code forms of the second-factor pages. Codes are checked by `mfa`, not here: a form only
says whether what was typed could be a code at all."""

from __future__ import annotations

from django import forms

from customers_ui.accounts.mfa import normalise_recovery_code, normalise_totp

TOTP_DIGITS = 6


class TOTPCodeForm(forms.Form):
    code = forms.CharField(
        label="6-digit code from your authenticator app",
        max_length=12,
        widget=forms.TextInput(
            attrs={
                "inputmode": "numeric",
                "autocomplete": "one-time-code",
                "pattern": "[0-9 ]*",
                "spellcheck": "false",
                "class": "code-input",
            }
        ),
    )

    def clean_code(self) -> str:
        code = normalise_totp(self.cleaned_data["code"])
        if not (code.isdigit() and len(code) == TOTP_DIGITS):
            raise forms.ValidationError(
                f"Enter the {TOTP_DIGITS} digits your authenticator app shows now."
            )
        return code


class RecoveryCodeForm(forms.Form):
    recovery_code = forms.CharField(
        label="Recovery code",
        help_text="One of the codes you saved when you set up two-factor authentication.",
        max_length=24,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "spellcheck": "false", "class": "code-input"}
        ),
    )

    def clean_recovery_code(self) -> str:
        code = normalise_recovery_code(self.cleaned_data["recovery_code"])
        if not code:
            raise forms.ValidationError("Enter one of your recovery codes.")
        return code
