"""Admin for sign-in: the sign-in audit trail (read-only, CSV export), single sign-on identities,
and users with a "Reset second factor" action.

The reset is the one way an administrator removes someone's second factor: it records who did
it and leaves a notice the user sees at their next sign-in. django-otp's own device admins are
taken off the site for that reason (they would delete devices silently) and because they show
device secrets; our own device models (seed encrypted, codes hashed) have no admin at all.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db.models import Exists, OuterRef, QuerySet
from django.http import HttpRequest
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from customers_ui.accounts import mfa
from customers_ui.core.csv_export import ReadOnlyAuditAdmin
from customers_ui.models import AuthenticatorApp, SignInEvent, SSOIdentity

User = get_user_model()

for _device_model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(_device_model):
        admin.site.unregister(_device_model)


@admin.register(SignInEvent)
class SignInEventAdmin(ReadOnlyAuditAdmin):
    list_display = ("created_at", "kind", "method", "username", "ip_address", "actor", "detail")
    list_filter = ("kind", "method", "created_at")
    search_fields = ("username", "ip_address", "actor", "detail")
    date_hierarchy = "created_at"
    ordering = ("-created_at",)

    export_filename = "sign-ins"
    export_action_description = "Export selected sign-in events as CSV"
    export_fields = (
        "created_at",
        "kind",
        "method",
        "username",
        "user_id",
        "ip_address",
        "actor",
        "detail",
        "id",
    )


@admin.register(SSOIdentity)
class SSOIdentityAdmin(admin.ModelAdmin):
    """Linking is deliberate: a sign-in never joins an existing account by e-mail, so an
    administrator who wants it re-points the identity's user here (and deactivates the
    account the first sign-in created)."""

    list_display = ("user", "email", "issuer", "subject", "last_sign_in_at")
    list_filter = ("issuer",)
    search_fields = ("user__username", "email", "subject")
    list_select_related = ("user",)
    raw_id_fields = ("user",)
    readonly_fields = ("issuer", "subject", "email", "created_at", "last_sign_in_at")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # identities come from real sign-ins, with the provider's own subject


class SSOIdentityInline(admin.TabularInline):
    model = SSOIdentity
    extra = 0
    fields = ("issuer", "subject", "email", "last_sign_in_at")
    readonly_fields = fields
    can_delete = True  # unlinking stops that provider account from signing in as this user

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


if admin.site.is_registered(User):
    admin.site.unregister(User)


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    inlines = (*DjangoUserAdmin.inlines, SSOIdentityInline)
    list_display = (*DjangoUserAdmin.list_display, "is_active", "two_factor")
    actions = ("reset_second_factor",)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        enrolled = AuthenticatorApp.objects.filter(user=OuterRef("pk"), confirmed=True)
        return super().get_queryset(request).annotate(has_two_factor=Exists(enrolled))

    @admin.display(description="two-factor", boolean=True, ordering="has_two_factor")
    def two_factor(self, obj: Any) -> bool:
        return bool(getattr(obj, "has_two_factor", False))

    @admin.action(description="Reset second factor", permissions=["change"])
    def reset_second_factor(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        reset = [
            user.get_username()
            for user in queryset
            if mfa.second_factor_reset(user=user, by=request.user, request=request)
        ]
        skipped = queryset.count() - len(reset)
        if reset:
            self.message_user(
                request,
                f"Second factor reset for {', '.join(reset)}. They will be told at their next "
                "sign-in and can set it up again.",
                messages.SUCCESS,
            )
        if skipped:
            self.message_user(
                request,
                f"{skipped} selected user(s) had no second factor; nothing changed for them.",
                messages.WARNING,
            )
