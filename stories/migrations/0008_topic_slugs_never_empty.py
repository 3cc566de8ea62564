"""Give every topic a slug its page can be reached by.

taggit slugified an emoji-only or punctuation-only topic to an empty slug,
which no address can carry (the story pages linking it answered 500). Such a
topic gets the slug stories.topics now gives: its code points in hexadecimal
(``2764-fe0f``), numbered if taken. Frozen here: the migration must not
change when that module does."""

from django.db import migrations


def _slug_base(name):
    return "-".join(f"{ord(char):x}" for char in name if not char.isspace())[:60].strip("-_") or "topic"


def give_empty_slugs_one(apps, schema_editor):
    Tag = apps.get_model("taggit", "Tag")
    taken = set(Tag.objects.values_list("slug", flat=True))
    for tag in Tag.objects.filter(slug="").order_by("pk"):
        base = _slug_base(tag.name)
        slug, number = base, 1
        while slug in taken:
            number += 1
            slug = f"{base}-{number}"
        taken.add(slug)
        tag.slug = slug
        tag.save(update_fields=["slug"])


class Migration(migrations.Migration):
    dependencies = [
        ("stories", "0007_story_search_columns"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
    ]

    operations = [migrations.RunPython(give_empty_slugs_one, migrations.RunPython.noop)]
