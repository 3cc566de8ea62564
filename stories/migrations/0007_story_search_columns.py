"""Stored search columns for stories, filled for the stories already there.

``search_vector`` (PostgreSQL) is the title and text as a ``tsvector`` in the
text search configuration of each story's language, GIN-indexed; stories in
languages written without spaces get trigram indexes (``pg_trgm``) for their
substring match. ``search_words`` (SQLite) holds the stemmed words. See
``stories.search``.

Everything this migration computes is frozen here (the language table, the
word splitting), so it gives the same result whatever the live code becomes.
The indexes exist on PostgreSQL only (SQLite has neither GIN nor trigrams),
so they are made by ``RunPython`` and stay out of the migration state, like
the index of 0003, which they replace.
"""

import unicodedata

import django.contrib.postgres.search
from django.contrib.postgres.indexes import GinIndex, OpClass
from django.contrib.postgres.operations import TrigramExtension
from django.contrib.postgres.search import SearchVector
from django.db import migrations, models
from django.db.models.functions import Upper

CONFIG_BY_LANGUAGE = {
    "ar": "arabic",
    "ca": "catalan",
    "da": "danish",
    "de": "german",
    "el": "greek",
    "en": "english",
    "es": "spanish",
    "eu": "basque",
    "fi": "finnish",
    "fr": "french",
    "ga": "irish",
    "hi": "hindi",
    "hu": "hungarian",
    "hy": "armenian",
    "id": "indonesian",
    "it": "italian",
    "lt": "lithuanian",
    "nb": "norwegian",
    "ne": "nepali",
    "nl": "dutch",
    "nn": "norwegian",
    "pt": "portuguese",
    "ro": "romanian",
    "ru": "russian",
    "sr": "serbian",
    "sv": "swedish",
    "ta": "tamil",
    "tr": "turkish",
}
UNSEGMENTED_LANGUAGES = ["ja", "km", "ko", "my", "th", "zh-hans", "zh-hant"]


def indexes():
    return [
        GinIndex(fields=["search_vector"], name="story_search_vector_idx"),
        GinIndex(
            OpClass(Upper("title"), name="gin_trgm_ops"),
            OpClass(Upper("body"), name="gin_trgm_ops"),
            name="story_unsegmented_trgm_idx",
            condition=models.Q(language__in=UNSEGMENTED_LANGUAGES),
        ),
    ]


OLD_INDEX = GinIndex(
    SearchVector("title", weight="A", config="simple") + SearchVector("body", weight="B", config="simple"),
    name="story_search_idx",
)


def add_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    story = apps.get_model("stories", "Story")
    schema_editor.remove_index(story, OLD_INDEX)
    for index in indexes():
        schema_editor.add_index(story, index)


def remove_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    story = apps.get_model("stories", "Story")
    for index in indexes():
        schema_editor.remove_index(story, index)
    schema_editor.add_index(story, OLD_INDEX)


def split_words(text):
    words, word = [], []
    for character in text:
        if unicodedata.category(character)[0] in "LMN":
            word.append(character)
        elif word:
            words.append("".join(word))
            word = []
    if word:
        words.append("".join(word))
    return words


def fill(apps, schema_editor):
    Story = apps.get_model("stories", "Story")
    if schema_editor.connection.vendor == "postgresql":
        config = models.Case(
            *[models.When(language=code, then=models.Value(name)) for code, name in CONFIG_BY_LANGUAGE.items()],
            default=models.Value("simple"),
        )
        Story.objects.update(
            search_vector=SearchVector("title", config=config, weight="A")
            + SearchVector("body", config=config, weight="B")
        )
        return
    import snowballstemmer

    for story in Story.objects.only("title", "body", "language").iterator():
        words = [word.casefold() for word in split_words(f"{story.title}\n{story.body}")]
        if story.language in CONFIG_BY_LANGUAGE:
            words = snowballstemmer.stemmer(CONFIG_BY_LANGUAGE[story.language]).stemWords(words)
        story.search_words = f" {' '.join(words)} " if words else ""
        story.save(update_fields=["search_words"])


class Migration(migrations.Migration):
    dependencies = [
        ("stories", "0006_translators_group"),
    ]

    operations = [
        TrigramExtension(),
        migrations.AddField(
            model_name="story",
            name="search_vector",
            field=django.contrib.postgres.search.SearchVectorField(editable=False, null=True),
        ),
        migrations.AddField(
            model_name="story",
            name="search_words",
            field=models.TextField(blank=True, editable=False),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop, elidable=True),
        migrations.RunPython(add_indexes, remove_indexes),
    ]
