"""Which campaign content is written in every site language (django-modeltranslation).

Each field listed here gets one column per language of settings.LANGUAGES
(``title_en``, ``title_fr``, ...); reading ``campaign.title`` gives the
active language's text, or the English one where no translation exists yet.
Slugs stay single (URLs carry the language already), and so do names and
contacts, which are not translated.
"""

from modeltranslation.translator import TranslationOptions, register

from campaigns.models import Campaign, Event, MediaKitItem, Partner, PressContact, PressRelease

# The language every text is written in first, and shown where a translation is missing
# (settings.MODELTRANSLATION_FALLBACK_LANGUAGES).
SOURCE_LANGUAGE = "en"


@register(Campaign)
class CampaignTranslationOptions(TranslationOptions):
    fields = ("title", "summary", "body", "objectives", "pledge_text", "hero_image_alt")
    required_languages = {SOURCE_LANGUAGE: ("title", "summary", "body", "pledge_text")}


@register(Event)
class EventTranslationOptions(TranslationOptions):
    # The venue is prose ("In front of the Cinquantenaire Arch"); the postal
    # address is not translated.
    fields = ("title", "summary", "description", "venue_name")
    required_languages = {SOURCE_LANGUAGE: ("title", "summary", "description", "venue_name")}


@register(Partner)
class PartnerTranslationOptions(TranslationOptions):
    fields = ("description", "logo_alt")


@register(PressRelease)
class PressReleaseTranslationOptions(TranslationOptions):
    fields = ("title", "summary", "body")
    required_languages = {SOURCE_LANGUAGE: ("title", "summary", "body")}


@register(PressContact)
class PressContactTranslationOptions(TranslationOptions):
    # The name, email, phone and languages are the same in every language.
    fields = ("role",)
    required_languages = {SOURCE_LANGUAGE: ("role",)}


@register(MediaKitItem)
class MediaKitItemTranslationOptions(TranslationOptions):
    # The credit is a name; it is printed as given.
    fields = ("caption", "alt_text", "consent")
    required_languages = {SOURCE_LANGUAGE: ("caption", "alt_text")}
