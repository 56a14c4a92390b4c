"""The settings page's form."""

from __future__ import annotations

from django import forms

from customers_ui.core.zones import zone_choices


class PreferencesForm(forms.Form):
    time_zone = forms.ChoiceField(label="Time zone", required=False)

    def __init__(self, *args: object, browser_zone: str | None = None, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        detected = f" (now {browser_zone})" if browser_zone else ""
        self.fields["time_zone"].choices = [
            ("", f"Automatic: the zone your browser reports{detected}"),
            *zone_choices(),
        ]
