"""The admin of translated content: every language on one form, English required."""

from django.conf import settings
from django.utils.translation import get_language_info
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin
from modeltranslation.translator import translator
from modeltranslation.utils import build_localized_fieldname

from campaigns.translation import SOURCE_LANGUAGE


def translated_fields(model):
    """Names of the model's fields registered in campaigns/translation.py."""
    return translator.get_options_for_model(model).all_fields.keys()


def language_fieldsets(model, fieldsets):
    """``fieldsets`` with English in place of every translated field, then one
    folded section per other language holding its translations.

    The sections are plain ``<details>`` (Django's "collapse" class): no
    script, nothing loaded from elsewhere, as the strict CSP requires, where
    modeltranslation's tabs would need jQuery UI from a CDN.
    """
    translated = translated_fields(model)
    in_order = [name for _title, options in fieldsets for name in options["fields"] if name in translated]
    english = [
        (
            title,
            {
                **options,
                "fields": [
                    build_localized_fieldname(name, SOURCE_LANGUAGE) if name in translated else name
                    for name in options["fields"]
                ],
            },
        )
        for title, options in fieldsets
    ]
    others = [
        (
            name,
            {
                "fields": [build_localized_fieldname(field, code) for field in in_order],
                "classes": ["collapse"],
                "description": _("Optional. Where a text is left empty, the English one is shown."),
            },
        )
        for code, name in settings.LANGUAGES
        if code != SOURCE_LANGUAGE
    ]
    return english + others


def form_fields(fieldsets, readonly_fields):
    """The fields an admin form edits, in the order its ``fieldsets`` show
    them: the one list the form's ``Meta.fields`` is derived from."""
    return [
        name for _title, options in fieldsets for name in options["fields"] if name not in readonly_fields
    ]


def search_in_every_language(model, fields):
    """Admin search_fields that find a text whatever language it is written in
    (a plain "title" would search the admin user's own language only)."""
    translated = translated_fields(model)
    return [
        localized
        for name in fields
        for localized in (
            [build_localized_fieldname(name, code) for code, _name in settings.LANGUAGES]
            if name in translated
            else [name]
        )
    ]


class TranslatedContentAdmin(TranslationAdmin):
    """Every language's text on one form: English required, the others optional.

    Each translation's input says which language it holds (spell checking,
    screen readers, right-to-left for Arabic)."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        language = getattr(db_field, "language", None)
        if field is not None and language:
            direction = "rtl" if get_language_info(language)["bidi"] else "ltr"
            self._get_widget_from_field(field).attrs.update(lang=language, dir=direction)
        return field
