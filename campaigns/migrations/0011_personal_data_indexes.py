"""A person's pledges and sign-ups found by address alone (the "my data"
page, together.personal_data): the unique indexes lead with the campaign or
the event, so without these every request read every pledge (100 ms at a
million pledges). Built concurrently: pledges keep being written meanwhile."""

from django.db import migrations, models

from together.migration_operations import AddIndexConcurrently


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("campaigns", "0010_press_room"),
    ]

    operations = [
        AddIndexConcurrently(
            model_name="pledge",
            index=models.Index(
                condition=models.Q(anonymised_at__isnull=True), fields=["email_normalised"], name="pledge_email_idx"
            ),
        ),
        AddIndexConcurrently(
            model_name="signup",
            index=models.Index(
                condition=models.Q(erased_at__isnull=True), fields=["email_normalised"], name="signup_email_idx"
            ),
        ),
    ]
