"""The press room: the Atom feed, the embargo, contacts, media kits and their admin."""

import io
import re
import xml.etree.ElementTree as ET
from datetime import UTC, datetime, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from campaigns.models import MediaKitItem, MediaKitItemKind, MediaKitUsage, PressContact
from tests.campaigns.factories import (
    CampaignFactory,
    MediaKitItemFactory,
    PressContactFactory,
    PressReleaseFactory,
)
from tests.sitemaps import whole_sitemap
from tests.together.photos import SECRET, gps_photo
from together.images import clean_upload

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
EMBARGO = datetime(2026, 6, 1, 8, 0, tzinfo=UTC)


def feed(client, language="en"):
    response = client.get(f"/{language}/press/feed/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    return ET.fromstring(response.content)  # noqa: S314 (our own feed, in a test)


def feed_titles(client):
    return [entry.findtext(f"{ATOM}title") for entry in feed(client).iter(f"{ATOM}entry")]


def is_rfc3339(text):
    return datetime.fromisoformat(text).tzinfo is not None


# --- The feed ------------------------------------------------------------------------


def test_the_feed_is_atom_with_id_title_updated_author_and_links(client, settings):
    settings.SITE_URL = "https://together.example"
    PressReleaseFactory(title="UN team runs the 20 km", published_at=timezone.now() - timedelta(days=2))
    PressReleaseFactory(title="Fifty runners", published_at=timezone.now() - timedelta(days=1))

    root = feed(client)

    assert root.tag == f"{ATOM}feed"
    assert root.findtext(f"{ATOM}id")
    assert root.findtext(f"{ATOM}title") == "TOGETHER: press releases"
    assert is_rfc3339(root.findtext(f"{ATOM}updated"))
    assert root.findtext(f"{ATOM}author/{ATOM}name") == "TOGETHER"
    links = {link.get("rel"): link.get("href") for link in root.findall(f"{ATOM}link")}
    assert links["alternate"] == "http://testserver/en/press/"
    assert links["self"] == "http://testserver/en/press/feed/"
    entries = root.findall(f"{ATOM}entry")
    titles = [entry.findtext(f"{ATOM}title") for entry in entries]
    assert titles == ["Fifty runners", "UN team runs the 20 km"]
    for entry in entries:
        assert entry.findtext(f"{ATOM}id")
        assert is_rfc3339(entry.findtext(f"{ATOM}updated"))
        assert entry.find(f"{ATOM}link").get("href").startswith("http://testserver/en/press/")
        assert "<p>Second paragraph.</p>" in entry.findtext(f"{ATOM}summary")


def test_the_feed_is_in_the_language_of_its_address(client):
    PressReleaseFactory(title="Runners")

    root = feed(client, "fr")

    assert root.get("{http://www.w3.org/XML/1998/namespace}lang") == "fr"
    assert root.find(f"{ATOM}link").get("href") == "http://testserver/fr/press/"


def test_an_empty_feed_is_still_valid_atom(client):
    root = feed(client)

    assert root.findall(f"{ATOM}entry") == []
    assert is_rfc3339(root.findtext(f"{ATOM}updated"))


def test_the_feed_escapes_what_releases_say(client):
    PressReleaseFactory(title="Rock & <roll>", body="<script>alert(1)</script>")

    entry = feed(client).find(f"{ATOM}entry")

    assert entry.findtext(f"{ATOM}title") == "Rock & <roll>"
    assert "&lt;script&gt;" in entry.findtext(f"{ATOM}summary")


def test_the_press_pages_point_feed_readers_to_the_feed(client):
    release = PressReleaseFactory()

    for url in (reverse("campaigns:press_list"), release.get_absolute_url()):
        html = client.get(url).content.decode()
        assert '<link rel="alternate" type="application/atom+xml" href="/en/press/feed/"' in html


# --- The embargo (one definition of public, on a fake clock) -------------------------


@pytest.fixture
def clock(monkeypatch):
    """Sets the time every ``timezone.now()`` reads (published() among them)."""

    def set_to(moment):
        monkeypatch.setattr(timezone, "now", lambda: moment)

    return set_to


def public_everywhere(client, release):
    """Where the release is seen: list, page, feed, sitemap, share image."""
    list_html = client.get(reverse("campaigns:press_list")).content.decode()
    sitemap = whole_sitemap(client)
    return {
        "list": release.title in list_html,
        "page": client.get(release.get_absolute_url()).status_code == 200,
        "feed": release.title in feed_titles(client),
        "sitemap": release.get_absolute_url() in sitemap,
        "share image": client.get(f"{release.get_absolute_url()}share.png").status_code == 200,
    }


def test_an_embargoed_release_is_nowhere_until_its_time_then_everywhere(client, clock):
    release = PressReleaseFactory(title="Embargoed news", published_at=EMBARGO)

    clock(EMBARGO - timedelta(seconds=1))
    before = public_everywhere(client, release)
    clock(EMBARGO)
    after = public_everywhere(client, release)

    assert before == dict.fromkeys(before, False)
    assert after == dict.fromkeys(after, True)


def test_the_admin_says_until_when_a_release_is_embargoed(admin_client, clock):
    clock(EMBARGO - timedelta(days=1))
    PressReleaseFactory(title="Embargoed news", published_at=EMBARGO)
    PressReleaseFactory(title="Old news", published_at=EMBARGO - timedelta(days=3))
    PressReleaseFactory(title="Draft news", published_at=None)

    html = admin_client.get(reverse("admin:campaigns_pressrelease_changelist")).content.decode()

    assert "Embargoed until June 1, 2026, 10 a.m." in html  # Brussels time
    assert html.count('<td class="field-status">Public</td>') == 1
    assert '<td class="field-status">Draft</td>' in html


# --- Contacts ------------------------------------------------------------------------


def test_a_release_lists_each_of_its_contacts(client):
    release = PressReleaseFactory(contact="")
    release.contacts.add(
        PressContactFactory(name="Amina Haddad", role="Spokesperson", email="amina@iom.example",
                            phone="+32 2 555 01 01", languages="English, العربية"),
        PressContactFactory(name="Luc Peeters", role="Press officer", email="", phone="+32 470 00 00 00"),
    )  # fmt: skip

    html = client.get(release.get_absolute_url()).content.decode()

    assert '<h2 id="press-contact-title">Press contacts</h2>' in html
    assert "<strong><bdi>Amina Haddad</bdi></strong><br><span>Spokesperson</span>" in html
    assert '<a href="mailto:amina@iom.example">amina@iom.example</a>' in html
    assert '<a href="tel:+3225550101" dir="ltr">+32 2 555 01 01</a>' in html
    assert '<dd dir="auto">English, العربية</dd>' in html
    assert "<bdi>Luc Peeters</bdi>" in html


def test_a_contact_needs_an_email_or_a_phone():
    contact = PressContact(name="Nobody", role_en="Spokesperson", email="", phone="")

    with pytest.raises(ValidationError, match="a contact must be reachable"):
        contact.full_clean()


def test_the_release_page_query_count_does_not_grow_with_contacts(client):
    counts = []
    for number in (1, 5):
        release = PressReleaseFactory()
        release.contacts.add(*PressContactFactory.create_batch(number))
        with CaptureQueriesContext(connection) as queries:
            client.get(release.get_absolute_url())
        counts.append(len(queries))

    assert counts[0] == counts[1]


# --- Media kits ----------------------------------------------------------------------


def test_the_media_kit_lists_each_image_with_its_credit_terms_consent_and_alt_text(client):
    campaign = CampaignFactory()
    MediaKitItemFactory(campaign=campaign, caption="Runners at the arch", credit="© IOM / Jane Doe")
    MediaKitItemFactory(
        campaign=campaign, kind=MediaKitItemKind.LOGO, caption="The TOGETHER logo", credit="",
        consent="", alt_text="TOGETHER, in blue letters", usage=MediaKitUsage.LOGO_UNALTERED,
    )  # fmt: skip

    html = client.get(reverse("campaigns:media_kit", kwargs={"slug": campaign.slug})).content.decode()

    assert '<h2 id="kit-logos">Logos</h2>' in html
    assert '<h2 id="kit-photos">Photos</h2>' in html
    assert html.index("The TOGETHER logo") < html.index("Runners at the arch")
    assert '<dt>Credit</dt><dd dir="auto">© IOM / Jane Doe</dd>' in html
    assert "<dd>Only in reporting on the campaign, with the credit</dd>" in html
    assert "<dd>Unaltered, only to refer to the campaign</dd>" in html
    assert "<dd>The runners shown agreed to its use by the press.</dd>" in html
    assert 'alt="Runners in blue shirts pass under a stone arch."' in html
    assert "<dt>Text alternative</dt><dd>Runners in blue shirts pass under a stone arch.</dd>" in html
    assert 'alt="TOGETHER, in blue letters"' in html
    assert "Download (JPEG, 960 × 576 pixels)</a>" in html  # noqa: RUF001 (the largest rendition)


def test_a_media_kit_image_keeps_no_metadata_and_no_original(settings):
    item = MediaKitItemFactory(image=False)

    item.replace_image(clean_upload(io.BytesIO(gps_photo())))

    stored = sorted(p for p in settings.MEDIA_ROOT.rglob("*") if p.is_file())
    assert stored
    assert all(p.suffix in (".jpeg", ".webp") for p in stored)
    assert all(SECRET not in p.read_bytes() for p in stored)
    with Image.open(stored[0]) as image:
        assert not image.getexif()


def test_an_item_without_its_image_is_not_shown(client):
    item = MediaKitItemFactory(image=False, caption="Not uploaded yet")

    html = client.get(reverse("campaigns:media_kit", kwargs={"slug": item.campaign.slug})).content.decode()

    assert "Not uploaded yet" not in html
    assert "No logos or photos for this campaign yet." in html


def test_a_photo_needs_a_credit():
    item = MediaKitItemFactory.build(credit="", campaign=CampaignFactory())

    with pytest.raises(ValidationError, match="A photo needs its credit"):
        item.full_clean()


def test_the_media_kit_page_query_count_does_not_grow_with_items(client):
    campaign = CampaignFactory()
    url = reverse("campaigns:media_kit", kwargs={"slug": campaign.slug})
    counts = []
    for _round in range(2):
        MediaKitItemFactory.create_batch(3, campaign=campaign)
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        counts.append(len(queries))

    assert counts[0] == counts[1]


def test_media_kits_are_linked_from_the_press_room_and_in_the_sitemap(client):
    with_kit = CampaignFactory(title="With a kit")
    CampaignFactory(title="Without a kit")
    MediaKitItemFactory(campaign=with_kit)
    kit_url = reverse("campaigns:media_kit", kwargs={"slug": with_kit.slug})

    press = client.get(reverse("campaigns:press_list")).content.decode()
    sitemap = whole_sitemap(client)

    assert f'<a href="{kit_url}">With a kit</a>' in press
    assert "Without a kit" not in press
    assert kit_url in sitemap
    assert len(re.findall(r"<loc>[^<]*/media-kit/</loc>", sitemap)) == 7  # one per language


def test_a_release_of_a_campaign_with_a_kit_links_to_it(client):
    campaign = CampaignFactory(title="Together")
    MediaKitItemFactory(campaign=campaign)
    release = PressReleaseFactory(campaign=campaign)

    html = client.get(release.get_absolute_url()).content.decode()

    link = f'<a href="/en/campaigns/{campaign.slug}/media-kit/">Media kit of Together: logos and photos</a>'
    assert link in html


# --- Admin ---------------------------------------------------------------------------


def upload(image_bytes=None):
    if image_bytes is None:
        buffer = io.BytesIO()
        Image.new("RGB", (800, 500), "orange").save(buffer, "PNG")
        image_bytes = buffer.getvalue()
    return SimpleUploadedFile("DSC_0042 Maria.png", image_bytes, content_type="image/png")


def media_kit_form(campaign, **overrides):
    return {
        "campaign": campaign.pk,
        "kind": MediaKitItemKind.PHOTO,
        "caption_en": "Runners at the arch",
        "alt_text_en": "Runners pass under a stone arch.",
        "credit": "© IOM / Jane Doe",
        "usage": MediaKitUsage.FREE_WITH_CREDIT,
        "consent_en": "The runners agreed.",
        "position": 0,
        "image": upload(),
        **overrides,
    }


def test_the_admin_adds_a_media_kit_photo_from_an_upload(admin_client):
    campaign = CampaignFactory()

    response = admin_client.post(reverse("admin:campaigns_mediakititem_add"), media_kit_form(campaign))

    assert response.status_code == 302
    item = MediaKitItem.objects.get()
    assert sorted((r.width, r.fmt) for r in item.image) == [(480, "jpeg"), (480, "webp")]
    assert all("Maria" not in r.name for r in item.image)


@pytest.mark.parametrize(
    ("overrides", "field"),
    [({"image": ""}, "image"), ({"consent_en": ""}, "consent_en"), ({"alt_text_en": ""}, "alt_text_en")],
)
def test_the_admin_refuses_a_photo_without_image_consent_or_alt_text(admin_client, overrides, field):
    response = admin_client.post(
        reverse("admin:campaigns_mediakititem_add"), media_kit_form(CampaignFactory(), **overrides)
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors[field]
    assert not MediaKitItem.objects.exists()


def test_the_admin_refuses_a_file_that_is_not_an_image(admin_client):
    fake = SimpleUploadedFile("photo.jpg", b"<html>not an image</html>", content_type="image/jpeg")

    response = admin_client.post(
        reverse("admin:campaigns_mediakititem_add"), media_kit_form(CampaignFactory(), image=fake)
    )

    assert response.context["adminform"].form.has_error("image", "not_an_image")


def test_the_admin_adds_a_press_contact_and_names_it_on_a_release(admin_client):
    response = admin_client.post(
        reverse("admin:campaigns_presscontact_add"),
        {"name": "Amina Haddad", "role_en": "Spokesperson", "email": "amina@iom.example", "phone": "",
         "languages": "English, العربية"},
    )  # fmt: skip

    assert response.status_code == 302
    assert str(PressContact.objects.get()) == "Amina Haddad (Spokesperson)"
    assert admin_client.get(reverse("admin:campaigns_pressrelease_add")).status_code == 200
