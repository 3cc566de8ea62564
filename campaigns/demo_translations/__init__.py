"""The demo content (campaigns/demo.py) in the site's other languages.

One module per language, named after its code (``zh-hans`` is ``zh_hans``),
each with ``TRANSLATIONS``: for every demo object, keyed by its model name and
slug, the translation of each of its translated fields (campaigns/translation.py).
English, the source, stays in campaigns/demo.py.
"""

from importlib import import_module

from django.conf import settings
from modeltranslation.utils import build_localized_fieldname

from campaigns.translation import SOURCE_LANGUAGE


def translated_columns(model_name, key, **placeholders):
    """``{"title_fr": ..., "title_ar": ..., ...}``: every other language's texts
    for the demo object ``(model_name, key)``, with ``{placeholders}`` filled in."""
    columns = {}
    for code, _name in settings.LANGUAGES:
        if code == SOURCE_LANGUAGE:
            continue
        module = import_module(f"{__name__}.{code.replace('-', '_')}")
        for field, text in module.TRANSLATIONS[model_name, key].items():
            columns[build_localized_fieldname(field, code)] = text.format(**placeholders)
    return columns
