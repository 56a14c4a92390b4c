"""A random public id per credential, for cache keys (filled in for existing rows)."""

import uuid

from django.db import migrations, models


def fill_public_ids(apps, schema_editor):
    PartnerCredential = apps.get_model("customers_ui", "PartnerCredential")
    for credential in PartnerCredential.objects.filter(public_id__isnull=True).only("pk"):
        credential.public_id = uuid.uuid4()
        credential.save(update_fields=["public_id"])


class Migration(migrations.Migration):
    dependencies = [("customers_ui", "0002_create_cache_table")]

    operations = [
        migrations.AddField(
            model_name="partnercredential",
            name="public_id",
            field=models.UUIDField(null=True, editable=False),
        ),
        migrations.RunPython(fill_public_ids, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="partnercredential",
            name="public_id",
            field=models.UUIDField(default=uuid.uuid4, editable=False, unique=True),
        ),
    ]
