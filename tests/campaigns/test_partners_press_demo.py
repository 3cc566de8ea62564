from datetime import date

import pytest
from django.core.files.storage import default_storage

from campaigns.models import MediaKitItem, MediaKitItemKind, MediaKitUsage, Partner, PartnerKind, PressRelease

pytestmark = pytest.mark.django_db


def test_demo_press_release_is_public_with_iom_belgium_contact(demo_content, client):
    release = PressRelease.objects.published().get(slug="un-migration-team-runs-the-20-km-of-brussels")

    assert release.published_at.date() == date(2017, 5, 26)
    assert release.campaign.slug == "together"
    assert [(c.name, c.email, c.phone) for c in release.contacts.all()] == [
        ("Géraldine d'Hoop", "gdhoop@iom.int", "+32 2 287 74 12")
    ]
    assert client.get(release.get_absolute_url()).status_code == 200


def test_demo_media_kit_has_the_campaigns_logo_with_its_terms(demo_content, client):
    logo = MediaKitItem.objects.shown().get(campaign__slug="together")

    assert (logo.kind, logo.usage) == (MediaKitItemKind.LOGO, MediaKitUsage.LOGO_UNALTERED)
    assert client.get("/en/campaigns/together/media-kit/").status_code == 200


def test_demo_partners_are_the_real_ones_and_invented_ones_marked_demo(demo_content):
    partners = {p.slug: (p.kind, p.is_demo) for p in Partner.objects.all()}

    assert partners == {
        "iom": (PartnerKind.UN_AGENCY, False),
        "unric": (PartnerKind.UN_AGENCY, False),
        "play-4-peace": (PartnerKind.CIVIL_SOCIETY, False),
        "harbour-lights": (PartnerKind.CIVIL_SOCIETY, True),
        "meridian-freight": (PartnerKind.PRIVATE_SECTOR, True),
        "northbridge-centre": (PartnerKind.ACADEMIA, True),
    }


def test_demo_partners_support_together_and_have_stored_logos(demo_content):
    for partner in Partner.objects.prefetch_related("campaigns"):
        assert [c.slug for c in partner.campaigns.all()] == ["together"]
        assert [(r.width, r.height, r.fmt) for r in partner.logo] == [(480, 480, "jpeg"), (480, 480, "webp")]
        assert all(default_storage.exists(r.name) for r in partner.logo)


def test_demo_partner_list_shows_demo_markers(demo_content, client):
    html = client.get("/en/partners/").content.decode()

    assert html.count('<span class="demo-marker">demo<span class="visually-hidden">') == 3
