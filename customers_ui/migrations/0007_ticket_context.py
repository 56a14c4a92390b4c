"""The ticket behind a lookup: `/go` links from helpdesks carry a ticket reference and the
helpdesk's name onto the audit rows of that customer's lookups.

Blank-default columns only: adding them rewrites no row, so the append-only trigger of 0006
(which refuses UPDATE) is never asked to allow anything.
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("customers_ui", "0006_audit_hardening")]

    operations = [
        migrations.AddField(
            model_name="lookupevent",
            name="ticket_ref",
            field=models.CharField(blank=True, db_index=True, max_length=100),
        ),
        migrations.AddField(
            model_name="lookupevent",
            name="via",
            field=models.CharField(blank=True, max_length=40),
        ),
    ]
