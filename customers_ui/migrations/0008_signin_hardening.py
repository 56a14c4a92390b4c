"""Issue 20: second factors at rest (L8) and the "setup key shown" sign-in event (M1).

Moves every confirmed django-otp TOTPDevice to an AuthenticatorApp with its seed encrypted with
CREDENTIALS_ENCRYPTION_KEYS, and every StaticDevice's recovery codes to a RecoveryCodeSet,
hashed; then deletes the old rows, so no seed or code is left in clear. Unconfirmed TOTPDevices
(pending secrets that belonged to the user, not the session: finding M1) are deleted. Sessions
verified with an old device are asked for a code once more. Reversing puts the seeds back in
django-otp's table; recovery codes cannot be un-hashed, so they are dropped (users make new ones).
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from customers_ui.core.crypto import decrypt_secret, encrypt_secret, new_salt, recovery_code_hash


def _recovery_code_text(token: str) -> str:
    # As accounts.mfa.normalise_recovery_code reads what people type.
    return "".join(ch for ch in token.lower() if ch.isalnum())


def convert_second_factors(apps, schema_editor):
    totp_device = apps.get_model("otp_totp", "TOTPDevice")
    static_device = apps.get_model("otp_static", "StaticDevice")
    static_token = apps.get_model("otp_static", "StaticToken")
    authenticator_app = apps.get_model("customers_ui", "AuthenticatorApp")
    code_set_model = apps.get_model("customers_ui", "RecoveryCodeSet")
    code_model = apps.get_model("customers_ui", "RecoveryCode")

    for device in totp_device.objects.filter(confirmed=True).order_by("pk"):
        app = authenticator_app.objects.create(
            user_id=device.user_id,
            name=device.name,
            confirmed=True,
            key_encrypted=encrypt_secret(device.key.lower()),
            last_t=device.last_t,
            drift=device.drift,
            throttling_failure_timestamp=device.throttling_failure_timestamp,
            throttling_failure_count=device.throttling_failure_count,
            last_used_at=device.last_used_at,
        )
        authenticator_app.objects.filter(pk=app.pk).update(created_at=device.created_at)
    totp_device.objects.all().delete()

    for device in static_device.objects.order_by("pk"):
        code_set = code_set_model.objects.create(
            user_id=device.user_id,
            name=device.name,
            confirmed=device.confirmed,
            salt=new_salt(),
            throttling_failure_timestamp=device.throttling_failure_timestamp,
            throttling_failure_count=device.throttling_failure_count,
            last_used_at=device.last_used_at,
        )
        code_model.objects.bulk_create(
            code_model(
                code_set=code_set,
                code_hash=recovery_code_hash(_recovery_code_text(token), salt=code_set.salt),
            )
            for token in static_token.objects.filter(device=device).values_list("token", flat=True)
        )
    static_device.objects.all().delete()


def restore_second_factors(apps, schema_editor):
    totp_device = apps.get_model("otp_totp", "TOTPDevice")
    authenticator_app = apps.get_model("customers_ui", "AuthenticatorApp")
    for app in authenticator_app.objects.order_by("pk"):
        totp_device.objects.create(
            user_id=app.user_id,
            name=app.name,
            confirmed=True,
            key=decrypt_secret(app.key_encrypted),
            last_t=app.last_t,
            drift=app.drift,
        )


class Migration(migrations.Migration):
    dependencies = [
        ("customers_ui", "0007_ticket_context"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("otp_totp", "0003_add_timestamps"),
        ("otp_static", "0003_add_timestamps"),
    ]

    operations = [
        migrations.AlterField(
            model_name="signinevent",
            name="kind",
            field=models.CharField(
                choices=[
                    ("sign_in", "Signed in"),
                    ("sign_in_failed", "Failed sign-in"),
                    ("sign_out", "Signed out"),
                    ("mfa_verified", "Second factor verified"),
                    ("mfa_setup_started", "Second-factor setup key shown"),
                    ("mfa_enrolled", "Second factor added"),
                    ("mfa_removed", "Second factor removed by its owner"),
                    ("mfa_reset", "Second factor reset by an administrator"),
                    ("recovery_codes_renewed", "Recovery codes replaced"),
                    ("sso_user_created", "Account created by single sign-on"),
                    ("sso_refused", "Single sign-on refused"),
                    ("password_login_allowed", "Break-glass password sign-in allowed"),
                ],
                max_length=30,
            ),
        ),
        migrations.CreateModel(
            name="AuthenticatorApp",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "name",
                    models.CharField(
                        help_text="The human-readable name of this device.", max_length=64
                    ),
                ),
                (
                    "confirmed",
                    models.BooleanField(default=True, help_text="Is this device ready for use?"),
                ),
                (
                    "throttling_failure_timestamp",
                    models.DateTimeField(
                        blank=True,
                        default=None,
                        help_text=(
                            "A timestamp of the last failed verification attempt."
                            " Null if last attempt succeeded."
                        ),
                        null=True,
                    ),
                ),
                (
                    "throttling_failure_count",
                    models.PositiveIntegerField(
                        default=0, help_text="Number of successive failed attempts."
                    ),
                ),
                (
                    "created_at",
                    models.DateTimeField(
                        auto_now_add=True,
                        help_text=(
                            "The date and time when this device was initially created"
                            " in the system."
                        ),
                        null=True,
                    ),
                ),
                (
                    "last_used_at",
                    models.DateTimeField(
                        blank=True,
                        help_text="The most recent date and time this device was used.",
                        null=True,
                    ),
                ),
                ("key_encrypted", models.TextField(help_text="The TOTP seed (hex), encrypted.")),
                ("last_t", models.BigIntegerField(default=-1)),
                ("drift", models.SmallIntegerField(default=0)),
                (
                    "user",
                    models.ForeignKey(
                        help_text="The user that this device belongs to.",
                        on_delete=django.db.models.deletion.CASCADE,
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "authenticator app",
            },
        ),
        migrations.CreateModel(
            name="RecoveryCodeSet",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "name",
                    models.CharField(
                        help_text="The human-readable name of this device.", max_length=64
                    ),
                ),
                (
                    "confirmed",
                    models.BooleanField(default=True, help_text="Is this device ready for use?"),
                ),
                (
                    "throttling_failure_timestamp",
                    models.DateTimeField(
                        blank=True,
                        default=None,
                        help_text=(
                            "A timestamp of the last failed verification attempt."
                            " Null if last attempt succeeded."
                        ),
                        null=True,
                    ),
                ),
                (
                    "throttling_failure_count",
                    models.PositiveIntegerField(
                        default=0, help_text="Number of successive failed attempts."
                    ),
                ),
                (
                    "created_at",
                    models.DateTimeField(
                        auto_now_add=True,
                        help_text=(
                            "The date and time when this device was initially created"
                            " in the system."
                        ),
                        null=True,
                    ),
                ),
                (
                    "last_used_at",
                    models.DateTimeField(
                        blank=True,
                        help_text="The most recent date and time this device was used.",
                        null=True,
                    ),
                ),
                ("salt", models.CharField(max_length=64)),
                (
                    "user",
                    models.ForeignKey(
                        help_text="The user that this device belongs to.",
                        on_delete=django.db.models.deletion.CASCADE,
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "recovery code set",
            },
        ),
        migrations.CreateModel(
            name="RecoveryCode",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("code_hash", models.CharField(max_length=64)),
                (
                    "code_set",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="codes",
                        to="customers_ui.recoverycodeset",
                    ),
                ),
            ],
            options={
                "indexes": [
                    models.Index(fields=["code_set", "code_hash"], name="recovery_code_lookup")
                ],
            },
        ),
        migrations.RunPython(convert_second_factors, restore_second_factors),
    ]
