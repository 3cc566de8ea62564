"""Stored search columns for stories and their translations, filled for the
rows already there.

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


def indexes(prefix):
    return [
        GinIndex(fields=["search_vector"], name=f"{prefix}_search_vector_idx"),
        GinIndex(
            OpClass(Upper("title"), name="gin_trgm_ops"),
            OpClass(Upper("body"), name="gin_trgm_ops"),
            name=f"{prefix}_unsegmented_trgm_idx",
            condition=models.Q(language__in=UNSEGMENTED_LANGUAGES),
        ),
    ]


# Model -> the prefix of its indexes' names.
MODELS = {"Story": "story", "StoryTranslation": "story_translation"}


OLD_INDEX = GinIndex(
    SearchVector("title", weight="A", config="simple") + SearchVector("body", weight="B", config="simple"),
    name="story_search_idx",
)


def add_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.remove_index(apps.get_model("stories", "Story"), OLD_INDEX)
    for model, prefix in MODELS.items():
        for index in indexes(prefix):
            schema_editor.add_index(apps.get_model("stories", model), index)


def remove_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for model, prefix in MODELS.items():
        for index in indexes(prefix):
            schema_editor.remove_index(apps.get_model("stories", model), index)
    schema_editor.add_index(apps.get_model("stories", "Story"), OLD_INDEX)


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
    for model in MODELS:
        fill_model(apps.get_model("stories", model), schema_editor.connection.vendor)


def fill_model(model, vendor):
    if vendor == "postgresql":
        config = models.Case(
            *[
                models.When(language=code, then=models.Value(name))
                for code, name in CONFIG_BY_LANGUAGE.items()
            ],
            default=models.Value("simple"),
        )
        model.objects.update(
            search_vector=SearchVector("title", config=config, weight="A")
            + SearchVector("body", config=config, weight="B")
        )
        return
    import snowballstemmer

    for row in model.objects.only("title", "body", "language").iterator():
        words = [word.lower() for word in split_words(f"{row.title}\n{row.body}")]
        if row.language in CONFIG_BY_LANGUAGE:
            words = snowballstemmer.stemmer(CONFIG_BY_LANGUAGE[row.language]).stemWords(words)
        row.search_words = f" {' '.join(words)} " if words else ""
        row.save(update_fields=["search_words"])


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
        migrations.AddField(
            model_name="storytranslation",
            name="search_vector",
            field=django.contrib.postgres.search.SearchVectorField(editable=False, null=True),
        ),
        migrations.AddField(
            model_name="storytranslation",
            name="search_words",
            field=models.TextField(blank=True, editable=False),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop, elidable=True),
        migrations.RunPython(add_indexes, remove_indexes),
    ]
