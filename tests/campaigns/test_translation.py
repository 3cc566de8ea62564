"""Campaign content in every site language (django-modeltranslation, campaigns/translation.py)."""

import re

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from modeltranslation.translator import translator

from campaigns.models import Campaign, Event, Partner, Pledge, PledgeSource, PressRelease
from tests.campaigns.factories import CampaignFactory, EventFactory, PressReleaseFactory
from together.models import OutboundEmail

pytestmark = pytest.mark.django_db

OTHER_LANGUAGES = [code for code, _name in settings.LANGUAGES if code != "en"]


def translated_models():
    return [model for model in translator.get_registered_models() if model._meta.app_label == "campaigns"]


def translation_columns(model):
    """{field: {language: column}} for every field registered for translation."""
    return {
        field: {column.language: column.name for column in columns}
        for field, columns in translator.get_options_for_model(model).all_fields.items()
    }


@pytest.fixture
def campaign():
    return CampaignFactory(
        slug="together",
        is_active=True,
        title_en="TOGETHER: respect, safety and dignity for all",
        title_fr="ENSEMBLE : respect, sécurité et dignité pour tous",
        pledge_text_en="I stand TOGETHER with refugees and migrants.",
        pledge_text_fr="Je m'engage ENSEMBLE avec les réfugiés et les migrants.",
    )


# --- Public pages ---------------------------------------------------------------


def test_campaign_page_in_french_shows_french_title(client, campaign):
    html = client.get("/fr/campaigns/together/").content.decode()

    assert "<h1>ENSEMBLE : respect, sécurité et dignité pour tous</h1>" in html


def test_campaign_page_in_french_shows_french_pledge_text(client, campaign):
    html = client.get("/fr/campaigns/together/").content.decode()

    assert (
        '<blockquote class="pledge__text"><p>Je m&#x27;engage ENSEMBLE avec les réfugiés et les migrants.</p>'
        in html
    )


def test_campaign_page_without_translation_falls_back_to_english_marked_as_english(client, campaign):
    html = client.get("/ru/campaigns/together/").content.decode()

    assert '<h1 lang="en" dir="ltr">TOGETHER: respect, safety and dignity for all</h1>' in html


def test_campaign_page_falls_back_per_field(client, campaign):
    campaign.summary_fr = ""
    campaign.save(update_fields=["summary_fr"])

    html = client.get("/fr/campaigns/together/").content.decode()

    assert f'<p class="lead" lang="en" dir="ltr">{campaign.summary_en}</p>' in html
    assert "<h1>ENSEMBLE" in html


def test_event_page_in_french_shows_french_texts(client):
    event = EventFactory(title_fr="Course de l'équipe de l'ONU", venue_name_fr="Parc du Cinquantenaire")

    html = client.get(f"/fr/events/{event.slug}/").content.decode()

    assert '<h1 id="event-title">Course de l&#x27;équipe de l&#x27;ONU</h1>' in html
    assert "<bdi>Parc du Cinquantenaire</bdi>" in html


def test_press_release_page_in_arabic_shows_arabic_title(client):
    release = PressReleaseFactory(title_ar="فريق من الأمم المتحدة يركض في بروكسل")

    html = client.get(f"/ar/press/{release.slug}/").content.decode()

    assert "<h1>فريق من الأمم المتحدة يركض في بروكسل</h1>" in html


def test_home_page_in_french_shows_french_campaign_title(client, campaign):
    html = client.get("/fr/").content.decode()

    assert "ENSEMBLE : respect, sécurité et dignité pour tous" in html


def test_campaign_page_query_count_same_in_every_language(client, campaign, django_assert_num_queries):
    with CaptureQueriesContext(connection) as english:
        client.get("/en/campaigns/together/")

    for code in OTHER_LANGUAGES:
        with django_assert_num_queries(len(english)):
            client.get(f"/{code}/campaigns/together/")


def test_confirmation_email_uses_the_pledge_language_title(campaign):
    Pledge.submit(
        campaign=campaign,
        name="Amina Haddad",
        email="amina@example.org",
        country="SY",
        show_publicly=False,
        keep_informed=False,
        message="",
        source=PledgeSource.CAMPAIGN_PAGE,
        language="fr",
    )

    assert "ENSEMBLE : respect, sécurité et dignité pour tous" in OutboundEmail.objects.get().text_body


# --- Admin ------------------------------------------------------------------------


def test_admin_change_form_has_a_field_per_language(admin_client, campaign):
    response = admin_client.get(reverse("admin:campaigns_campaign_change", args=[campaign.pk]))

    fields = response.context["adminform"].form.fields
    for field in translation_columns(Campaign):
        assert {f"{field}_{code.replace('-', '_')}" for code, _name in settings.LANGUAGES} <= set(fields)


def test_admin_change_form_requires_english_only(admin_client, campaign):
    response = admin_client.get(reverse("admin:campaigns_campaign_change", args=[campaign.pk]))

    fields = response.context["adminform"].form.fields
    required = {name for name in fields if name.startswith("title_") and fields[name].required}
    assert required == {"title_en"}


def test_admin_change_form_marks_each_translation_with_its_language(admin_client, campaign):
    html = admin_client.get(reverse("admin:campaigns_campaign_change", args=[campaign.pk])).content.decode()

    assert re.search(r'<input [^>]*name="title_ar"[^>]*>', html).group().count('lang="ar" dir="rtl"') == 1


def test_admin_change_form_loads_scripts_and_styles_from_the_site_only(admin_client, campaign):
    html = admin_client.get(reverse("admin:campaigns_campaign_change", args=[campaign.pk])).content.decode()

    sources = re.findall(r'<(?:script|link)[^>]+(?:src|href)="([^"]+)"', html)
    assert sources
    assert [source for source in sources if not source.startswith("/")] == []


def test_admin_saves_english_and_french_title(admin_client, campaign):
    url = reverse("admin:campaigns_campaign_change", args=[campaign.pk])
    form = admin_client.get(url).context["adminform"].form
    data = {name: value for name in form.fields if (value := form[name].value()) not in (None, False)}
    data.update(title_en="TOGETHER", title_fr="ENSEMBLE", starts_on="2016-09-19")

    response = admin_client.post(url, data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    campaign.refresh_from_db()
    assert (campaign.title_en, campaign.title_fr, campaign.title_ru) == ("TOGETHER", "ENSEMBLE", None)


def test_admin_refuses_campaign_without_english_title(admin_client, campaign):
    url = reverse("admin:campaigns_campaign_change", args=[campaign.pk])
    form = admin_client.get(url).context["adminform"].form
    data = {name: value for name in form.fields if (value := form[name].value()) not in (None, False)}
    data.update(title_en="", starts_on="2016-09-19")

    response = admin_client.post(url, data)

    assert response.context["adminform"].form.has_error("title_en", "required")


def test_admin_search_finds_text_in_any_language(admin_client, campaign):
    CampaignFactory(title_en="Another campaign")

    response = admin_client.get(reverse("admin:campaigns_campaign_changelist"), {"q": "sécurité"})

    assert list(response.context["cl"].result_list) == [campaign]


# --- Demo content -------------------------------------------------------------------


def test_demo_has_every_translated_text_in_every_language(demo_content):
    """Every translated field that has English text has it in all other languages too
    (fields left empty in English, such as the alt text of a logo that only repeats
    the partner's name, stay empty in every language)."""
    missing, checked = [], 0
    for model in translated_models():
        columns = translation_columns(model)
        for obj in model.objects.all():
            for field, by_language in columns.items():
                if not getattr(obj, by_language["en"]):
                    continue
                for code in OTHER_LANGUAGES:
                    checked += 1
                    if not getattr(obj, by_language[code]):
                        missing.append(f"{model.__name__} {obj.slug} {field} {code}")

    assert checked > 0
    assert missing == []


def test_demo_translations_differ_from_english(demo_content):
    same = [
        f"{model.__name__} {obj.slug} {field} {code}"
        for model in translated_models()
        for obj in model.objects.all()
        for field, by_language in translation_columns(model).items()
        if (english := getattr(obj, by_language["en"]))
        for code in OTHER_LANGUAGES
        if getattr(obj, by_language[code]) == english
    ]

    assert same == []


def test_demo_loaded_twice_changes_nothing(demo_content, settings):
    def snapshot():
        return {
            # Every column as stored, none rewritten to the active language.
            model.__name__: list(model.objects.rewrite(False).order_by("pk").values())
            for model in [Campaign, Event, Partner, PressRelease]
        }

    before = snapshot()
    settings.DEBUG = True
    call_command("load_demo", stdout=None)

    assert snapshot() == before


def test_demo_campaign_in_every_language_uses_its_campaign_name(demo_content):
    campaign = Campaign.objects.get(slug="together")
    names = {
        "fr": "ENSEMBLE",
        "es": "JUNTOS",
        "ar": "معاً",
        "ru": "ВМЕСТЕ",  # noqa: RUF001 (Cyrillic letters)
        "zh-hans": "携手同行",
        "nl": "TOGETHER",
    }

    starts = {}
    for code, name in names.items():
        with translation.override(code):
            starts[code] = campaign.title[: len(name)]

    assert starts == names
