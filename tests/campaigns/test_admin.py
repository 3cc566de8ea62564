"""Moderators' and organisers' side of pledges."""

import csv
import io

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from campaigns.models import Campaign, Pledge
from tests.campaigns.factories import CampaignFactory, PledgeFactory

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:campaigns_pledge_changelist")


def read_csv(response):
    text = b"".join(response.streaming_content).decode("utf-8")
    return list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))


def test_csv_export_has_confirmed_pledges_and_only_opted_in_emails(admin_client):
    campaign = CampaignFactory(slug="together")
    informed = PledgeFactory(
        campaign=campaign, name="Amina Haddad", email="amina@example.org", keep_informed=True, country="SY"
    )
    private = PledgeFactory(
        campaign=campaign, name="Jonas Peeters", email="jonas@example.org", message="=1+1"
    )
    unconfirmed = PledgeFactory(campaign=campaign, name="Not Confirmed", keep_informed=True)
    informed.confirm()
    private.confirm()

    response = admin_client.post(
        CHANGELIST,
        {"action": "export_confirmed_csv", "_selected_action": [informed.pk, private.pk, unconfirmed.pk]},
    )

    rows = read_csv(response)
    assert response["Content-Disposition"] == 'attachment; filename="confirmed-pledges.csv"'
    assert rows[0][7] == "Email (keep informed only)"
    assert [(row[1], row[2], row[7], row[8]) for row in rows[1:]] == [
        ("Amina Haddad", "SY", "amina@example.org", ""),
        ("Jonas Peeters", "BE", "", "'=1+1"),
    ]
    assert "jonas@example.org" not in str(rows)


def test_approve_messages_action_approves_through_model(admin_client, admin_user):
    with_message = PledgeFactory(message="Welcome, neighbours")
    without = PledgeFactory(campaign=with_message.campaign)
    with_message.confirm()
    without.confirm()

    response = admin_client.post(
        CHANGELIST,
        {"action": "approve_messages", "_selected_action": [with_message.pk, without.pk]},
        follow=True,
    )

    with_message.refresh_from_db()
    assert with_message.message_approved_by == admin_user
    assert Pledge.objects.get(pk=without.pk).message_approved_at is None
    page = response.content.decode()
    assert "1 message approved." in page
    assert "This pledge has no message to approve." in page


def test_deleting_pledges_in_admin_withdraws_them(admin_client):
    pledge = PledgeFactory(country="SY")
    other = PledgeFactory(campaign=pledge.campaign, country="SY")
    pledge.confirm()
    other.confirm()

    admin_client.post(
        CHANGELIST, {"action": "delete_selected", "_selected_action": [pledge.pk], "post": "yes"}
    )

    campaign = Campaign.objects.get(pk=pledge.campaign_id)
    assert campaign.confirmed_pledges == 1
    assert campaign.country_counts.get(country="SY").count == 1
    assert list(Pledge.objects.all()) == [other]


def test_pledge_changelist_filters_and_search(admin_client):
    amina = PledgeFactory(name="Amina Haddad", country="SY", source="event_stand")
    PledgeFactory(campaign=amina.campaign, name="Jonas Peeters")
    amina.confirm()

    for query in [
        "?confirmed=yes",
        "?country=SY",
        "?source=event_stand",
        "?q=haddad",
        "?show_publicly__exact=0",
    ]:
        response = admin_client.get(CHANGELIST + query)
        assert response.status_code == 200
        assert "Amina Haddad" in response.content.decode()
    assert "Amina Haddad" not in admin_client.get(CHANGELIST + "?confirmed=no").content.decode()


def test_campaign_admin_shows_confirmed_pledges_by_source(admin_client):
    campaign = CampaignFactory()
    for source in ["partner_widget", "partner_widget", "event_stand"]:
        PledgeFactory(campaign=campaign, source=source).confirm()
    PledgeFactory(campaign=campaign, source="event_stand")  # unconfirmed: not counted

    page = admin_client.get(reverse("admin:campaigns_campaign_change", args=[campaign.pk])).content.decode()

    assert "<li>Campaign page: 0</li><li>Partner widget: 2</li><li>Event stand: 1</li>" in page


def test_pledges_cannot_be_added_in_admin(admin_client):
    assert admin_client.get(reverse("admin:campaigns_pledge_add")).status_code == 403


def jpeg_with_gps():
    image = Image.new("RGB", (1200, 600), "teal")
    exif = Image.Exif()
    exif[0x8825] = {2: (50.0, 50.0, 0.0)}  # GPSInfo
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif)
    return SimpleUploadedFile("hero.jpg", buffer.getvalue(), content_type="image/jpeg")


def campaign_form_data(campaign, **overrides):
    return {
        "title_en": campaign.title,
        "slug": campaign.slug,
        "summary_en": campaign.summary,
        "body_en": campaign.body,
        "objectives_en": "",
        "pledge_text_en": campaign.pledge_text,
        "pledge_goal": campaign.pledge_goal,
        "starts_on": "2016-09-19",
        "ends_on": "",
        "hero_image_alt_en": "People walking together",
        **overrides,
    }


def test_hero_image_upload_stores_clean_renditions(admin_client, client, settings):
    campaign = CampaignFactory(is_active=True)

    admin_client.post(
        reverse("admin:campaigns_campaign_change", args=[campaign.pk]),
        campaign_form_data(campaign, is_active="on", hero_image=jpeg_with_gps()),
    )

    campaign.refresh_from_db()
    assert sorted((r.width, r.fmt) for r in campaign.hero_renditions) == [
        (480, "jpeg"),
        (480, "webp"),
        (960, "jpeg"),
        (960, "webp"),
    ]
    with Image.open(settings.MEDIA_ROOT / campaign.hero_fallback.name) as stored:
        assert not stored.getexif()
    page = client.get(campaign.get_absolute_url()).content.decode()
    assert 'alt="People walking together"' in page
    assert campaign.hero_srcset_webp in page


def test_hero_image_requires_description(admin_client):
    campaign = CampaignFactory()

    response = admin_client.post(
        reverse("admin:campaigns_campaign_change", args=[campaign.pk]),
        campaign_form_data(campaign, hero_image=jpeg_with_gps(), hero_image_alt_en=""),
    )

    assert response.context["adminform"].form.has_error("hero_image_alt_en", "alt_required")
    campaign.refresh_from_db()
    assert campaign.hero_image_renditions == []


def test_hero_image_that_is_not_an_image_is_refused(admin_client):
    campaign = CampaignFactory()
    fake = SimpleUploadedFile("hero.jpg", b"<html>not an image</html>", content_type="image/jpeg")

    response = admin_client.post(
        reverse("admin:campaigns_campaign_change", args=[campaign.pk]),
        campaign_form_data(campaign, hero_image=fake),
    )

    assert response.context["adminform"].form.has_error("hero_image", "not_an_image")


def test_deleting_campaigns_in_the_admin_deletes_their_hero_image_files(
    admin_client, django_capture_on_commit_callbacks
):
    campaigns = CampaignFactory.create_batch(2)
    for campaign in campaigns:
        campaign.replace_hero_image(Image.new("RGB", (600, 300), "teal"))
    names = [r.name for campaign in campaigns for r in campaign.hero]

    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(
            reverse("admin:campaigns_campaign_changelist"),
            {"action": "delete_selected", "_selected_action": [c.pk for c in campaigns], "post": "yes"},
        )

    assert not Campaign.objects.exists()
    assert [name for name in names if default_storage.exists(name)] == []
