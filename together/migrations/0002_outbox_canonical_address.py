"""The outbox keeps each message's address in canonical form too, so erasing
a person's messages finds every spelling of their address; existing rows get
it computed here."""

from django.db import migrations, models

from together.mail import normalise_email


def fill_to_normalised(apps, schema_editor):
    OutboundEmail = apps.get_model("together", "OutboundEmail")
    for pk, to in OutboundEmail.objects.values_list("pk", "to").iterator():
        OutboundEmail.objects.filter(pk=pk).update(to_normalised=normalise_email(to))


class Migration(migrations.Migration):
    dependencies = [
        ("together", "0001_outbound_email"),
    ]

    operations = [
        migrations.AddField(
            model_name="outboundemail",
            name="to_normalised",
            field=models.CharField(
                db_index=True, default="", editable=False, max_length=254, verbose_name="to (normalised)"
            ),
            preserve_default=False,
        ),
        migrations.RunPython(fill_to_normalised, migrations.RunPython.noop),
    ]
