"""A storyteller's stories found by address (StoryQuerySet.of_storyteller:
"send me my links", the "my data" page): without this index every request
read every story (60 ms at 100,000 stories). Built concurrently."""

import django.db.models.functions.text
from django.db import migrations, models

from together.migration_operations import AddIndexConcurrently


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("stories", "0015_story_list_indexes"),
    ]

    operations = [
        AddIndexConcurrently(
            model_name="story",
            index=models.Index(django.db.models.functions.text.Upper("email"), name="story_email_upper_idx"),
        ),
    ]
