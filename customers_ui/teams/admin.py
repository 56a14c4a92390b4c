"""Admin of teams: members, team credentials (write-only keys), and the record of changes.

A team key is never shown, not even in part: the credential's page has a write-only "new API
key" field (empty on every render), the date the key last changed, and a "Test with Thredfi"
action. Replacing or deleting a key goes through the use cases in `services`, which drop its
cached tokens at once and record the change.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils.decorators import method_decorator
from django.views.decorators.debug import sensitive_post_parameters

from customers_ui.credentials.forms import ApiKeyField
from customers_ui.models import Team, TeamChange, TeamCredential
from customers_ui.teams import services


class _Actor:
    @staticmethod
    def of(request: HttpRequest) -> services.Actor:
        return services.Actor.of(request.user)


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ("name", "member_count", "created_at")
    search_fields = ("name", "members__username")
    filter_horizontal = ("members",)
    fields = ("name", "members")

    @admin.display(description="members")
    def member_count(self, obj: Team) -> int:
        return obj.members.count()

    def save_model(self, request: HttpRequest, obj: Team, form: Any, change: bool) -> None:
        before = set(obj.members.all()) if change and obj.pk else set()
        request._team_members_before = before  # type: ignore[attr-defined]
        super().save_model(request, obj, form, change)
        if not change:
            services.team_created_record(team=obj, actor=_Actor.of(request))

    def delete_model(self, request: HttpRequest, obj: Team) -> None:
        services.team_delete(team=obj, actor=_Actor.of(request))

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Team]) -> None:
        for team in queryset:
            services.team_delete(team=team, actor=_Actor.of(request))

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        team: Team = form.instance
        before: set[Any] = getattr(request, "_team_members_before", set())
        after = set(team.members.all())
        services.team_members_record(
            team=team,
            added=sorted(after - before, key=lambda u: u.get_username()),
            removed=sorted(before - after, key=lambda u: u.get_username()),
            actor=_Actor.of(request),
        )


class TeamCredentialForm(forms.ModelForm):
    new_api_key = ApiKeyField(
        required=False,
        label="New API key",
        help_text="Write-only: the stored key is never shown. Leave empty to keep it.",
    )
    businesses = forms.CharField(
        required=False,
        label="Businesses",
        help_text="“all” (or empty) for every business of the partner, or business UUIDs "
        "separated by commas.",
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    class Meta:
        model = TeamCredential
        fields = ("team", "label", "partner_uuid")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            scope = self.instance.business_scope
            self.fields["businesses"].initial = "all" if scope is None else ", ".join(scope)
            self.fields["team"].disabled = True
            self.fields["partner_uuid"].disabled = True
        else:
            self.fields["new_api_key"].required = True
            self.fields["new_api_key"].label = "API key"
        self.warnings: list[str] = []

    def clean_businesses(self) -> list[str] | None:
        try:
            return services.scope_parse(self.cleaned_data.get("businesses") or "")
        except ValidationError as error:
            raise forms.ValidationError(error.messages) from error

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        scope = data.get("businesses")
        key = data.get("new_api_key") or (self.instance.get_api_key() if self.instance.pk else None)
        partner = data.get("partner_uuid") or self.instance.partner_uuid
        scope_changed = not self.instance.pk or scope != self.instance.business_scope
        if key and partner and scope and (scope_changed or data.get("new_api_key")):
            try:
                self.warnings = services.scope_check_upstream(
                    partner_uuid=partner, api_key=key, scope=scope
                )
            except ValidationError as error:
                self.add_error("businesses", error.messages)
        return data


@admin.register(TeamCredential)
class TeamCredentialAdmin(admin.ModelAdmin):
    form = TeamCredentialForm
    list_display = ("label", "team", "partner_uuid", "scope", "key_changed_at", "last_verified_at")
    list_filter = ("team",)
    search_fields = ("label", "team__name")
    list_select_related = ("team",)
    readonly_fields = ("key_changed_at", "last_verified_at", "created_at")
    actions = ("test_with_thredfi",)

    @method_decorator(sensitive_post_parameters("new_api_key"))
    def changeform_view(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        # The key never reaches an error report (Django's, or Sentry's request data).
        return super().changeform_view(request, *args, **kwargs)

    def get_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        fields = ["team", "label", "partner_uuid", "businesses", "new_api_key"]
        return [*fields, *self.readonly_fields] if obj is not None else fields

    @admin.display(description="businesses")
    def scope(self, obj: TeamCredential) -> str:
        scope = obj.business_scope
        return "all" if scope is None else f"{len(scope)} listed"

    def save_model(
        self, request: HttpRequest, obj: TeamCredential, form: Any, change: bool
    ) -> None:
        actor = _Actor.of(request)
        data = form.cleaned_data
        if not change:
            created = services.team_credential_create(
                team=data["team"],
                label=data["label"],
                partner_uuid=data["partner_uuid"],
                api_key=data["new_api_key"],
                scope=data["businesses"],
                actor=actor,
            )
            obj.pk = created.pk
            obj._state.adding = False
        else:
            if "label" in form.changed_data:
                services.team_credential_rename(credential=obj, label=data["label"], actor=actor)
            if data["businesses"] != obj.business_scope:
                services.team_credential_scope_change(
                    credential=obj, scope=data["businesses"], actor=actor
                )
            if data.get("new_api_key"):
                services.team_credential_replace_key(
                    credential=obj, api_key=data["new_api_key"], actor=actor
                )
        for warning in form.warnings:
            messages.warning(request, warning)

    def delete_model(self, request: HttpRequest, obj: TeamCredential) -> None:
        services.team_credential_delete(credential=obj, actor=_Actor.of(request))

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[TeamCredential]) -> None:
        for credential in queryset.select_related("team"):
            services.team_credential_delete(credential=credential, actor=_Actor.of(request))

    @admin.action(description="Test selected credentials with Thredfi")
    def test_with_thredfi(self, request: HttpRequest, queryset: QuerySet[TeamCredential]) -> None:
        for credential in queryset.select_related("team"):
            result = services.team_credential_verify(credential=credential)
            if result.ok:
                count = result.business_count
                messages.success(
                    request,
                    f"“{credential.label}” ({credential.team.name}): Thredfi accepted "
                    f"it; it sees {count} business{'es' if count != 1 else ''}.",
                )
            else:
                assert result.problem is not None
                messages.error(
                    request,
                    f"“{credential.label}” ({credential.team.name}): {result.problem.title}. "
                    f"{result.problem.explanation}",
                )


@admin.register(TeamChange)
class TeamChangeAdmin(admin.ModelAdmin):
    """Who changed which team's members or credentials, and when (read-only)."""

    list_display = ("created_at", "team_name", "action", "detail", "actor_name")
    list_filter = ("action", "team_name")
    search_fields = ("team_name", "detail", "actor_name")
    date_hierarchy = "created_at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
