"""Teams and team credentials (issue #22, docs/teams.md): a credential is held by a user or by a
team (exactly one, checked by the database), with a business scope and the date its key last
changed; lookup events name the kind of credential and the team; team changes are recorded."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("customers_ui", "0010_fail_soft_cache_table"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="TeamChange",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("team_name", models.CharField(max_length=100)),
                ("actor_name", models.CharField(max_length=150)),
                (
                    "action",
                    models.CharField(
                        choices=[
                            ("team_created", "Team created"),
                            ("team_deleted", "Team deleted"),
                            ("member_added", "Member added"),
                            ("member_removed", "Member removed"),
                            ("credential_created", "Credential created"),
                            ("key_replaced", "Key replaced"),
                            ("scope_changed", "Scope changed"),
                            ("renamed", "Credential renamed"),
                            ("credential_deleted", "Credential deleted"),
                        ],
                        max_length=30,
                    ),
                ),
                ("detail", models.CharField(blank=True, max_length=500)),
                ("created_at", models.DateTimeField(auto_now_add=True, db_index=True)),
            ],
            options={
                "ordering": ["-created_at", "-pk"],
            },
        ),
        migrations.CreateModel(
            name="TeamCredential",
            fields=[],
            options={
                "verbose_name": "team credential",
                "proxy": True,
                "indexes": [],
                "constraints": [],
            },
            bases=("customers_ui.partnercredential",),
        ),
        migrations.AddField(
            model_name="lookupevent",
            name="credential_kind",
            field=models.CharField(blank=True, max_length=10),
        ),
        migrations.AddField(
            model_name="lookupevent",
            name="team_name",
            field=models.CharField(blank=True, db_index=True, max_length=100),
        ),
        migrations.AddField(
            model_name="partnercredential",
            name="business_scope",
            field=models.JSONField(blank=True, default=None, null=True),
        ),
        migrations.AddField(
            model_name="partnercredential",
            name="key_changed_at",
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
        migrations.AlterField(
            model_name="partnercredential",
            name="owner",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="partner_credentials",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.CreateModel(
            name="Team",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("name", models.CharField(max_length=100, unique=True)),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                (
                    "members",
                    models.ManyToManyField(
                        blank=True, related_name="teams", to=settings.AUTH_USER_MODEL
                    ),
                ),
            ],
            options={
                "ordering": ["name"],
            },
        ),
        migrations.AddField(
            model_name="partnercredential",
            name="team",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="credentials",
                to="customers_ui.team",
            ),
        ),
        migrations.AddConstraint(
            model_name="partnercredential",
            constraint=models.UniqueConstraint(
                condition=models.Q(("team__isnull", False)),
                fields=("team", "label"),
                name="unique_credential_label_per_team",
            ),
        ),
        migrations.AddConstraint(
            model_name="partnercredential",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("owner__isnull", False), ("team__isnull", True)),
                    models.Q(("owner__isnull", True), ("team__isnull", False)),
                    _connector="OR",
                ),
                name="credential_held_by_user_or_team",
            ),
        ),
        migrations.AddField(
            model_name="teamchange",
            name="actor",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="teamchange",
            name="team",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="changes",
                to="customers_ui.team",
            ),
        ),
    ]
