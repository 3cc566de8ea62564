from django import template
from django.utils.html import format_html
from django.utils.translation import get_language_info
from modeltranslation.utils import build_localized_fieldname, get_language

from campaigns.translation import SOURCE_LANGUAGE

register = template.Library()


@register.simple_tag
def fallback_lang(obj, field):
    """` lang="en" dir="ltr"` on an element showing ``obj.field`` in English for want
    of a translation into the page's language, so that screen readers
    pronounce it as English (and Arabic pages set it left to right); nothing
    when the text is in the page's language."""
    language = get_language()
    if language == SOURCE_LANGUAGE or getattr(obj, build_localized_fieldname(field, language), None):
        return ""
    direction = "rtl" if get_language_info(SOURCE_LANGUAGE)["bidi"] else "ltr"
    return format_html(' lang="{}" dir="{}"', SOURCE_LANGUAGE, direction)
