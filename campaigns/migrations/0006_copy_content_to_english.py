"""Copy the content written before translation into its English column.

Until 0005 the single column held the (English) text; from then on pages read
``title_en``, ``title_fr``, ... and fall back to English. Without this copy,
existing campaigns, events, partners and press releases would show empty
texts. Only empty English columns are filled, so running it on rows that
already have English text changes nothing.
"""

from django.db import migrations
from django.db.models import F, Q

# The fields registered in campaigns/translation.py when 0005 was written: a
# migration must not depend on today's registry, which may grow.
TRANSLATED_FIELDS = {
    "Campaign": ["title", "summary", "body", "objectives", "pledge_text", "hero_image_alt"],
    "Event": ["title", "summary", "description", "venue_name"],
    "Partner": ["description", "logo_alt"],
    "PressRelease": ["title", "summary", "body"],
}


def copy_to_english(apps, schema_editor):
    for model_name, fields in TRANSLATED_FIELDS.items():
        model = apps.get_model("campaigns", model_name)
        for field in fields:
            english = f"{field}_en"
            model.objects.filter(Q(**{f"{english}__isnull": True}) | Q(**{english: ""})).update(
                **{english: F(field)}
            )


class Migration(migrations.Migration):
    dependencies = [
        ("campaigns", "0005_translate_campaign_content"),
    ]

    operations = [
        # Going back drops the language columns; the original ones still hold the text.
        migrations.RunPython(copy_to_english, migrations.RunPython.noop),
    ]
