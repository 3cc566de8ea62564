import io
import re
from html import unescape
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from PIL import ExifTags, Image

from campaigns.models import Partner, PartnerKind
from tests.campaigns.factories import CampaignFactory, PartnerFactory

pytestmark = pytest.mark.django_db

SVG_LOGO = (
    b'<?xml version="1.0"?>\n'
    b'<svg xmlns="http://www.w3.org/2000/svg" width="9" height="9"><script>alert(1)</script></svg>'
)
HTML_PAGE = b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"
FAKE_LOGO = [
    {"width": 480, "height": 240, "fmt": "jpeg", "name": "partners/fake-480.jpeg"},
    {"width": 480, "height": 240, "fmt": "webp", "name": "partners/fake-480.webp"},
]


def png(size=(600, 300), colour="navy"):
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, "PNG")
    return buffer.getvalue()


def jpeg_with_gps():
    """A JPEG carrying a GPS position and a camera make, as phones write them."""
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "SecretCam"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (50.0, 50.0, 24.0)
    buffer = io.BytesIO()
    Image.new("RGB", (600, 300), "teal").save(buffer, "JPEG", exif=exif)
    return buffer.getvalue()


def outline(html):
    """The h2 and h3 headings of the page, in order, as (tag, text)."""
    return [
        (tag, unescape(re.sub(r"<[^>]+>", "", text)).strip())
        for tag, text in re.findall(r"<(h[23])[^>]*>(.*?)</h[23]>", html, re.DOTALL)
    ]


def partner_card(html, slug):
    match = re.search(rf'<article class="partner" id="partner-{slug}">(.*?)</article>', html, re.DOTALL)
    assert match, f"no card for {slug}"
    return match.group(1)


def stored_files():
    """Every file in MEDIA_ROOT, as storage names."""
    root = Path(settings.MEDIA_ROOT)
    return sorted(path.relative_to(root).as_posix() for path in root.rglob("*") if path.is_file())


# --- /partners/ ---------------------------------------------------------------------------


def test_partner_list_groups_partners_under_kind_headings_in_fixed_order(client):
    # Created in the reverse of the display order, to prove the order is not insertion order.
    PartnerFactory(name="Uni", kind=PartnerKind.ACADEMIA)
    PartnerFactory(name="Neighbours", kind=PartnerKind.CIVIL_SOCIETY)
    PartnerFactory(name="Shipping Co", kind=PartnerKind.PRIVATE_SECTOR)
    PartnerFactory(name="Belgium", kind=PartnerKind.MEMBER_STATE)
    PartnerFactory(name="UNRIC", kind=PartnerKind.UN_AGENCY, position=2)
    PartnerFactory(name="IOM", kind=PartnerKind.UN_AGENCY, position=1)

    html = client.get(reverse("campaigns:partner_list")).content.decode()

    assert outline(html) == [
        ("h2", "UN agencies"),
        ("h3", "IOM"),
        ("h3", "UNRIC"),
        ("h2", "Member States"),
        ("h3", "Belgium"),
        ("h2", "Private sector"),
        ("h3", "Shipping Co"),
        ("h2", "Civil society"),
        ("h3", "Neighbours"),
        ("h2", "Academia"),
        ("h3", "Uni"),
    ]


def test_partner_list_leaves_out_kinds_without_partners(client):
    PartnerFactory(name="Uni", kind=PartnerKind.ACADEMIA)

    html = client.get(reverse("campaigns:partner_list")).content.decode()

    assert outline(html) == [("h2", "Academia"), ("h3", "Uni")]


def test_partner_list_marks_demo_partners_only(client):
    PartnerFactory(slug="invented", name="Invented Foundation", is_demo=True)
    PartnerFactory(slug="real", name="Real Association", is_demo=False)

    html = client.get(reverse("campaigns:partner_list")).content.decode()

    assert 'class="demo-marker"' in partner_card(html, "invented")
    assert "demo-marker" not in partner_card(html, "real")
    assert "marks a partner invented to show how this site works." in html


def test_partner_list_without_demo_partners_has_no_demo_note(client):
    PartnerFactory(is_demo=False)

    html = client.get(reverse("campaigns:partner_list")).content.decode()

    assert "demo-marker" not in html


def test_partner_list_links_website_with_noopener(client):
    PartnerFactory(slug="iom", website="https://www.iom.int/belgium")

    card = partner_card(client.get(reverse("campaigns:partner_list")).content.decode(), "iom")

    assert '<a href="https://www.iom.int/belgium" rel="noopener">www.iom.int</a>' in card


def test_partner_list_serves_logo_as_picture_with_webp_and_jpeg(client):
    partner = PartnerFactory(slug="iom", logo_alt="A blue globe")
    image = Image.new("RGB", (1000, 500), "navy")
    partner.replace_logo(image)
    names = {(r.fmt, r.width): default_storage.url(r.name) for r in partner.logo}

    card = partner_card(client.get(reverse("campaigns:partner_list")).content.decode(), "iom")

    webp_srcset = f"{names['webp', 480]} 480w, {names['webp', 960]} 960w"
    assert f'<source type="image/webp" srcset="{webp_srcset}" sizes="6rem">' in card
    img = re.search(r"<img [^>]+>", card, re.DOTALL).group(0)
    assert f'src="{names["jpeg", 480]}"' in img
    assert f'srcset="{names["jpeg", 480]} 480w, {names["jpeg", 960]} 960w"' in img
    assert 'sizes="6rem"' in img
    assert 'width="480" height="240"' in img
    assert 'alt="A blue globe"' in img


@pytest.mark.parametrize("count", [3, 30])
def test_partner_list_query_count_does_not_grow_with_partners(client, count):
    campaigns = CampaignFactory.create_batch(2)
    for index in range(count):
        PartnerFactory(
            kind=list(PartnerKind)[index % len(PartnerKind)],
            logo_renditions=FAKE_LOGO,
            website="https://example.org",
            is_demo=index % 2 == 0,
            campaigns=campaigns,
        )

    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("campaigns:partner_list"))

    assert response.content.decode().count('class="partner"') == count
    assert len(queries) == 1


# --- Admin --------------------------------------------------------------------------------


def admin_post(client, url, logo=None, **fields):
    data = {
        "name": "Harbour Lights",
        "slug": "harbour-lights",
        "kind": PartnerKind.CIVIL_SOCIETY,
        "description_en": "",
        "website": "",
        "logo_alt_en": "",
        "position": 0,
        **fields,
    }
    if logo is not None:
        data["logo"] = logo
    return client.post(url, data)


@pytest.fixture
def admin_client_add_url(admin_client):
    return admin_client, reverse("admin:campaigns_partner_add")


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (
            SimpleUploadedFile("logo.svg", SVG_LOGO, content_type="image/svg+xml"),
            (
                "SVG logos are not accepted, because an SVG file can carry scripts. "
                "Please export the logo as PNG (which keeps transparency), JPEG or WebP."
            ),
        ),
        (
            SimpleUploadedFile("logo.png", HTML_PAGE, content_type="image/png"),
            "The file is not an image we can read. Accepted formats: JPEG, PNG, WEBP.",
        ),
    ],
    ids=["svg", "html-renamed-png"],
)
def test_admin_add_refuses_non_raster_logo_with_form_error(admin_client_add_url, upload, message):
    client, url = admin_client_add_url

    response = admin_post(client, url, logo=upload)

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors.as_data()
    assert [(error.code, *error.messages) for error in errors["logo"]] == [("not_an_image", message)]
    assert message.replace("'", "&#x27;") in response.content.decode()
    assert not Partner.objects.exists()
    assert stored_files() == []


def test_admin_add_stores_logo_renditions_without_metadata(admin_client_add_url):
    client, url = admin_client_add_url

    response = admin_post(client, url, logo=SimpleUploadedFile("our-office-gps.jpg", jpeg_with_gps()))

    assert response.status_code == 302
    partner = Partner.objects.get()
    assert [(r.width, r.height, r.fmt) for r in partner.logo] == [(480, 240, "jpeg"), (480, 240, "webp")]
    for rendition in partner.logo:
        with default_storage.open(rendition.name) as file, Image.open(file) as stored:
            assert dict(stored.getexif()) == {}
            assert "exif" not in stored.info
    # Only the renditions are stored, never the uploaded original.
    assert stored_files() == sorted(r.name for r in partner.logo)


def test_admin_change_replacing_logo_deletes_old_renditions(admin_client, django_capture_on_commit_callbacks):
    partner = PartnerFactory(slug="harbour-lights")
    partner.replace_logo(Image.new("RGB", (600, 300), "red"))
    old_names = [r.name for r in partner.logo]

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_post(
            admin_client,
            reverse("admin:campaigns_partner_change", args=[partner.pk]),
            logo=SimpleUploadedFile("new.png", png()),
        )

    assert response.status_code == 302
    partner.refresh_from_db()
    new_names = [r.name for r in partner.logo]
    assert set(new_names).isdisjoint(old_names)
    assert stored_files() == sorted(new_names)


def test_admin_change_without_upload_keeps_logo(admin_client, django_capture_on_commit_callbacks):
    partner = PartnerFactory(slug="harbour-lights")
    partner.replace_logo(Image.new("RGB", (600, 300), "red"))
    names = [r.name for r in partner.logo]

    with django_capture_on_commit_callbacks(execute=True):
        admin_post(
            admin_client,
            reverse("admin:campaigns_partner_change", args=[partner.pk]),
            description_en="Now with a description.",
        )

    partner.refresh_from_db()
    assert (partner.description, [r.name for r in partner.logo]) == ("Now with a description.", names)
    assert stored_files() == sorted(names)


def test_admin_change_remove_logo_deletes_renditions(admin_client, django_capture_on_commit_callbacks):
    partner = PartnerFactory(slug="harbour-lights")
    partner.replace_logo(Image.new("RGB", (600, 300), "red"))

    with django_capture_on_commit_callbacks(execute=True):
        admin_post(
            admin_client, reverse("admin:campaigns_partner_change", args=[partner.pk]), remove_logo="on"
        )

    partner.refresh_from_db()
    assert partner.logo_renditions == []
    assert stored_files() == []


def test_admin_refuses_new_logo_and_removal_together(admin_client):
    partner = PartnerFactory(slug="harbour-lights")

    response = admin_post(
        admin_client,
        reverse("admin:campaigns_partner_change", args=[partner.pk]),
        logo=SimpleUploadedFile("new.png", png()),
        remove_logo="on",
    )

    assert response.status_code == 200
    assert [e.code for e in response.context["adminform"].form.non_field_errors().as_data()] == [
        "logo_conflict"
    ]
    assert stored_files() == []


def test_admin_delete_partner_deletes_logo_files(admin_client, django_capture_on_commit_callbacks):
    partner = PartnerFactory(slug="harbour-lights")
    partner.replace_logo(Image.new("RGB", (600, 300), "red"))

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            reverse("admin:campaigns_partner_delete", args=[partner.pk]), {"post": "yes"}
        )

    assert response.status_code == 302
    assert not Partner.objects.exists()
    assert stored_files() == []


def test_admin_bulk_delete_partners_deletes_their_logo_files(
    admin_client, django_capture_on_commit_callbacks
):
    partners = PartnerFactory.create_batch(2)
    for partner in partners:
        partner.replace_logo(Image.new("RGB", (600, 300), "red"))

    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(
            reverse("admin:campaigns_partner_changelist"),
            {"action": "delete_selected", "_selected_action": [p.pk for p in partners], "post": "yes"},
        )

    assert not Partner.objects.exists()
    assert stored_files() == []


def test_admin_change_form_previews_current_logo(admin_client):
    partner = PartnerFactory(slug="harbour-lights", logo_alt="Lighthouse")
    partner.replace_logo(Image.new("RGB", (600, 300), "red"))

    html = admin_client.get(reverse("admin:campaigns_partner_change", args=[partner.pk])).content.decode()

    assert f'<img src="{partner.logo_fallback_url()}" width="160" height="80" alt="Lighthouse">' in html


def test_admin_partner_list_filters_by_kind_and_searches(admin_client):
    PartnerFactory(name="Northbridge University", kind=PartnerKind.ACADEMIA)
    PartnerFactory(name="Northbridge Freight", kind=PartnerKind.PRIVATE_SECTOR)
    PartnerFactory(name="Southbridge College", kind=PartnerKind.ACADEMIA)

    response = admin_client.get(
        reverse("admin:campaigns_partner_changelist"), {"kind__exact": "academia", "q": "Northbridge"}
    )

    assert [p.name for p in response.context["cl"].result_list] == ["Northbridge University"]


def test_admin_partner_list_filters_by_campaign(admin_client):
    campaign = CampaignFactory()
    PartnerFactory(name="In the campaign", campaigns=[campaign])
    PartnerFactory(name="Elsewhere")

    response = admin_client.get(
        reverse("admin:campaigns_partner_changelist"), {"campaigns__id__exact": campaign.pk}
    )

    assert [p.name for p in response.context["cl"].result_list] == ["In the campaign"]


def test_partner_kind_outside_the_choices_is_refused_by_the_database():
    with pytest.raises(IntegrityError), transaction.atomic():
        PartnerFactory(kind="lobby")
