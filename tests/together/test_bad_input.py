"""Every field of every public form, sent hostile or broken input.

The cases are derived from the forms: each entry of PUBLIC_FORMS names a form
class, where it is sent and how to fill it in validly; every field of the
form's ``base_fields`` (but the honeypot and start time) then gets every
payload, so a field added to a form is attacked without editing this module.

Each case must end one of two ways, never in a 500:
* refused: the form comes back with the error next to the field, and nothing
  was saved (no row, no email, no photo file);
* accepted: the value is stored, and every page (and email) that shows it
  shows it escaped.
"""

import logging
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

import pytest
from django import forms
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils.html import escape
from PIL import Image

from campaigns.forms import PledgeForm, SignUpForm
from campaigns.models import Pledge, SignUp
from stories.forms import (
    ManageLinkRequestForm,
    ReplyForm,
    ReportForm,
    StoryEditForm,
    StoryFilterForm,
    StoryForm,
)
from stories.models import Report, Story
from tests.campaigns.factories import CampaignFactory, EventFactory
from tests.campaigns.helpers import pledge_data
from tests.campaigns.signups import signup_data
from tests.stories.factories import StoryFactory
from tests.stories.sharing import BODY, edit_data, manage_url, story_data
from tests.together.photos import encode, header_only_png, noisy
from together.abuse import ProtectedForm
from together.logs import SingleLineFormatter
from together.models import OutboundEmail

pytestmark = pytest.mark.django_db

PROTECTION_FIELDS = set(ProtectedForm.base_fields)

# Text sent in place of one field's value. Bytes are sent as they are, in a
# hand-built urlencoded body (a browser could not send them; a script can).
TEXT_PAYLOADS = {
    "script": "<script>alert(1)</script>",
    "img-onerror": "<img src=x onerror=alert(1)>",
    "javascript-url": "javascript:alert(1)",
    "sql": "'; DROP TABLE stories_story; --",
    "megabyte": "a" * 1_000_000,
    "nul": "a\x00b",
    "control-chars": "a\x07\x1bb",
    "invalid-utf8": b"\xff\xfe",
    "overlong-utf8": b"\xc0\xaf",
    "rtl-override": "abc\u202edef",
    "zero-width": "a\u200bb",
    "emoji": "🙂👩🏽‍🌾",
    "long-word": "x" * 5000,
}
# A checkbox reads any sent text as "ticked": a few payloads prove it never fails.
CHECKBOX_PAYLOADS = ("script", "nul", "invalid-utf8")
# What must never reach a page or an email unescaped.
RAW_MARKUP = ("<script>alert(1)", "<img src=x", 'href="javascript:', 'src="javascript:')


def polyglot():
    """A real JPEG with a web page appended after its end-of-image marker."""
    return encode(noisy((64, 64)), "JPEG") + b"<html><script>alert(1)</script></html>"


def truncated_jpeg():
    data = encode(noisy((200, 200)), "JPEG")
    return data[: len(data) // 2]


SVG = b'<svg xmlns="http://www.w3.org/2000/svg" width="9" height="9"><script>alert(1)</script></svg>'

# name: (file name, content type, bytes, error code or None when accepted)
IMAGE_PAYLOADS = {
    "truncated-jpeg": ("photo.jpg", "image/jpeg", truncated_jpeg, "corrupt"),
    "huge-pixels": ("photo.png", "image/png", lambda: header_only_png(8000, 6000), "too_many_pixels"),
    "gif": (
        "photo.gif",
        "image/gif",
        lambda: encode(Image.new("RGB", (10, 10)), "GIF"),
        "unsupported_format",
    ),
    "svg": ("photo.svg", "image/svg+xml", lambda: SVG, "not_an_image"),
    "polyglot-jpeg": ("photo.jpg", "image/jpeg", polyglot, None),
}


@dataclass(frozen=True)
class PublicForm:
    """A public form: how to reach it, fill it in, and see what it saved."""

    form_class: type
    setup: object  # () -> the object the form is about (story, campaign, event) or None
    url: object  # target -> the address the form is sent to
    valid_data: object  # target -> a complete valid submission (without the start time)
    saved: object  # target -> a snapshot of everything a submission could save
    shown_on: object = lambda target: []  # target -> pages showing accepted values
    method: str = "post"
    context_name: str = "form"
    with_photo: dict = field(default_factory=dict)  # what a submission with a photo adds


def newest_story():
    return Story.objects.order_by("-pk").first()


def story_state(story):
    story.refresh_from_db()
    return (Story.objects.values().get(pk=story.pk), sorted(story.tags.names()))


PUBLIC_FORMS = {
    "share": PublicForm(
        StoryForm,
        setup=lambda: None,
        url=lambda _: reverse("stories:story_create"),
        valid_data=lambda _: story_data(),
        saved=lambda _: (Story.objects.count(), Story.tags.through.objects.count()),
        shown_on=lambda _: [manage_url(newest_story())],  # the edit page: see "edit"
        with_photo={"photo_alt_text": "Two hands planting a tree", "photo_people_consented": "on"},
    ),
    "edit": PublicForm(
        StoryEditForm,
        setup=lambda: StoryFactory(body=BODY, tags=["family"]),
        url=lambda story: manage_url(story, "edit"),
        valid_data=edit_data,
        saved=story_state,
        shown_on=lambda story: [manage_url(story), manage_url(story, "edit")],
        with_photo={"photo_alt_text": "Two hands planting a tree", "photo_people_consented": "on"},
    ),
    "reply": PublicForm(
        ReplyForm,
        setup=lambda: StoryFactory(declined=True),
        url=lambda story: manage_url(story, "reply"),
        valid_data=lambda _: {"text": "It is my own story, and nobody can be recognised."},
        saved=story_state,
        shown_on=lambda story: [manage_url(story)],
        context_name="reply_form",
    ),
    "report": PublicForm(
        ReportForm,
        setup=lambda: StoryFactory(published=True),
        url=lambda story: reverse("stories:story_report", args=[story.slug]),
        valid_data=lambda _: {"reason": "spam", "comment": ""},
        saved=lambda _: Report.objects.count(),
        shown_on=lambda story: [story.get_absolute_url()],
    ),
    "manage-links": PublicForm(
        ManageLinkRequestForm,
        setup=lambda: StoryFactory(email="amina@example.org"),
        url=lambda _: reverse("stories:story_manage_request"),
        valid_data=lambda _: {"email": "amina@example.org"},
        saved=lambda _: None,  # it saves nothing; its email is counted like every form's
    ),
    "story-filter": PublicForm(
        StoryFilterForm,
        setup=lambda: StoryFactory(published=True, tags=["family"], country_of_origin="SY"),
        url=lambda _: reverse("stories:story_list"),
        valid_data=lambda _: {
            "q": "home",
            "role": "refugee",
            "country": "SY",
            "language": "en",
            "tag": "family",
        },
        saved=lambda _: None,
        method="get",
    ),
    "pledge": PublicForm(
        PledgeForm,
        setup=lambda: CampaignFactory(is_active=True),
        url=lambda campaign: campaign.get_absolute_url(),
        valid_data=lambda _: pledge_data(),
        saved=lambda _: Pledge.objects.count(),
        shown_on=lambda campaign: [campaign.get_absolute_url()],
    ),
    "signup": PublicForm(
        SignUpForm,
        setup=EventFactory,
        url=lambda event: reverse("campaigns:event_signup", args=[event.slug]),
        valid_data=lambda _: signup_data(),
        saved=lambda _: SignUp.objects.count(),
        shown_on=lambda event: [event.get_absolute_url()],
    ),
}


def attacked_fields(form_class):
    return {name: field for name, field in form_class.base_fields.items() if name not in PROTECTION_FIELDS}


def payloads_for(form_field):
    if isinstance(form_field, forms.FileField):
        return IMAGE_PAYLOADS
    if isinstance(form_field, forms.BooleanField):
        return CHECKBOX_PAYLOADS
    return TEXT_PAYLOADS


def is_free_text(form_field):
    return isinstance(form_field, forms.CharField) and not isinstance(form_field, forms.EmailField)


def cases():
    """(form, field, payload) for every field; the megabyte once per form (in
    its first free-text field, else its first field) to keep the suite fast."""
    for form_name, public_form in PUBLIC_FORMS.items():
        fields = attacked_fields(public_form.form_class)
        megabyte_field = next(
            (name for name, form_field in fields.items() if is_free_text(form_field)), next(iter(fields))
        )
        for field_name, form_field in fields.items():
            for payload_name in payloads_for(form_field):
                if payload_name == "megabyte" and field_name != megabyte_field:
                    continue
                yield pytest.param(
                    form_name, field_name, payload_name, id=f"{form_name}-{field_name}-{payload_name}"
                )


CASES = list(cases())


def test_every_field_of_every_public_form_is_attacked():
    covered = {}
    for case in CASES:
        form_name, field_name, _payload = case.values
        covered.setdefault(form_name, set()).add(field_name)
    for form_name, public_form in PUBLIC_FORMS.items():
        assert covered[form_name] == set(public_form.form_class.base_fields) - PROTECTION_FIELDS


# --- Sending -------------------------------------------------------------------------


def complete_data(public_form, target):
    """A valid submission, with the stamp every protected form puts in its
    page, issued for that form (the test settings accept a form sent at once)."""
    data = dict(public_form.valid_data(target))
    if "started" in public_form.form_class.base_fields:
        data["started"] = public_form.form_class.issue_stamp()
        data["website"] = ""
    return data


def send(client, public_form, url, data):
    """Send like a browser, or byte for byte when a value is not text."""
    if public_form.method == "get":
        return client.get(f"{url}?{urlencode(data)}")
    if any(isinstance(value, bytes) for value in data.values()):
        return client.post(url, urlencode(data), content_type="application/x-www-form-urlencoded")
    return client.post(url, data)


def media_files(settings):
    root = Path(settings.MEDIA_ROOT)
    return sorted(path for path in root.rglob("*") if path.is_file()) if root.exists() else []


def outbox_state():
    return OutboundEmail.objects.count(), len(mail.outbox)


def assert_escaped(html):
    for markup in RAW_MARKUP:
        assert markup not in html


def assert_refused_with_message_shown(response, public_form):
    assert response.status_code in {200, 400, 422}
    form = response.context[public_form.context_name]
    assert form.errors, "refused without saying why"
    html = response.content.decode()
    for field_name, errors in form.errors.as_data().items():
        assert not {error.code for error in errors} & {"honeypot", "too_fast", "form_expired"}
        for message in form.errors[field_name]:
            assert escape(message) in html, f"error of {field_name} not shown: {message}"
    assert_escaped(html)


def check_outcome(client, settings, public_form, target, response, *, saved_before, emails_before):
    """Refused with the error shown and nothing kept, or accepted and shown escaped.
    Returns whether it was accepted."""
    form = response.context.get(public_form.context_name) if response.status_code != 302 else None
    refused = form is not None and bool(form.errors)
    if refused:
        assert_refused_with_message_shown(response, public_form)
        assert public_form.saved(target) == saved_before
        assert outbox_state() == emails_before
        assert media_files(settings) == []
        return False
    # A POST form that keeps nothing says so; only the GET filter answers
    # 200, and the sharing form without an address (its key is shown once,
    # in this answer).
    shown_once = response.status_code == 200 and response.context.get("access_key") is not None
    assert response.status_code == (200 if public_form.method == "get" or shown_once else 302)
    urls = public_form.shown_on(target)
    if response.status_code == 302:
        urls = dict.fromkeys([response.url, *urls])
    pages = [client.get(url) for url in urls] + ([response] if response.status_code == 200 else [])
    for page in pages:
        assert page.status_code == 200
        assert_escaped(page.content.decode())
    for email in OutboundEmail.objects.all():
        assert_escaped(email.html_body)
    return True


# --- The cases -----------------------------------------------------------------------


def test_valid_data_of_every_public_form_is_accepted(client, settings):
    for public_form in PUBLIC_FORMS.values():
        target = public_form.setup()
        data = complete_data(public_form, target)
        response = send(client, public_form, public_form.url(target), data)
        assert response.status_code == (200 if public_form.method == "get" else 302), public_form
        if public_form.method == "get":
            assert not response.context[public_form.context_name].errors


@pytest.mark.parametrize(("form_name", "field_name", "payload_name"), CASES)
def test_bad_input_is_refused_clearly_or_stored_and_escaped(
    client, settings, form_name, field_name, payload_name
):
    public_form = PUBLIC_FORMS[form_name]
    target = public_form.setup()
    data = complete_data(public_form, target)
    saved_before, emails_before = public_form.saved(target), outbox_state()

    if payload_name in IMAGE_PAYLOADS:
        file_name, content_type, make, expected_code = IMAGE_PAYLOADS[payload_name]
        data.update(public_form.with_photo)
        data[field_name] = SimpleUploadedFile(file_name, make(), content_type=content_type)
        response = send(client, public_form, public_form.url(target), data)
        accepted = check_outcome(
            client,
            settings,
            public_form,
            target,
            response,
            saved_before=saved_before,
            emails_before=emails_before,
        )
        if expected_code:
            assert not accepted
            codes = [e.code for e in response.context[public_form.context_name].errors.as_data()[field_name]]
            assert codes == [expected_code]
        else:
            assert accepted
            stored = media_files(settings)
            assert stored, "the photo was not stored"
            assert all(b"<script>" not in path.read_bytes() for path in stored)
        return

    data[field_name] = TEXT_PAYLOADS[payload_name]
    response = send(client, public_form, public_form.url(target), data)
    check_outcome(
        client,
        settings,
        public_form,
        target,
        response,
        saved_before=saved_before,
        emails_before=emails_before,
    )


# --- Bodies in another character set -------------------------------------------------

# Content types a script can claim for a form's body, with the body encoded
# as claimed, and the statuses each may answer (CSRF checked, not checked).
# Django reads only UTF-8 forms: another charset is refused with the 400 page
# (it was a bare 500 when the error page read the body again); an unknown
# charset is ignored (read as UTF-8); a body that is not the form it claims
# is refused (400), or read as an empty form (its errors shown, 200) or,
# CSRF checked, as a form without its token (403).
CHARSET_CASES = {
    "urlencoded-utf16": ("application/x-www-form-urlencoded; charset=utf-16", "utf-16", {400}, {400}),
    "urlencoded-latin1": ("application/x-www-form-urlencoded; charset=latin-1", "latin-1", {400}, {400}),
    "urlencoded-unknown-charset": (
        "application/x-www-form-urlencoded; charset=no-such-codec",
        "utf-8",
        {302},
        {302},
    ),
    "multipart-utf16": (
        "multipart/form-data; boundary=xyz; charset=utf-16",
        "utf-16",
        {400, 403},
        {200, 400},
    ),
    "text-utf16": ("text/plain; charset=utf-16", "utf-16", {400, 403}, {200, 400}),
}
CSRF_COOKIE = "a" * 32


def charset_cases():
    for form_name, public_form in PUBLIC_FORMS.items():
        if public_form.method != "post":
            continue
        for case_name in CHARSET_CASES:
            for csrf_checked in (True, False):
                yield pytest.param(
                    form_name,
                    case_name,
                    csrf_checked,
                    id=f"{form_name}-{case_name}-{'csrf' if csrf_checked else 'no-csrf'}",
                )


@pytest.mark.parametrize(("form_name", "case_name", "csrf_checked"), list(charset_cases()))
def test_form_body_in_another_charset_answers_a_page_never_a_500(form_name, case_name, csrf_checked):
    public_form = PUBLIC_FORMS[form_name]
    target = public_form.setup()
    content_type, encoding, statuses_with_csrf, statuses_without = CHARSET_CASES[case_name]
    data = {**complete_data(public_form, target), "csrfmiddlewaretoken": CSRF_COOKIE}
    body = urlencode(data).encode(encoding)
    client = Client(enforce_csrf_checks=csrf_checked)
    client.cookies["csrftoken"] = CSRF_COOKIE
    saved_before = public_form.saved(target)

    response = client.generic("POST", public_form.url(target), body, content_type=content_type)

    assert response.status_code in (statuses_with_csrf if csrf_checked else statuses_without)
    if response.status_code != 302:
        assert public_form.saved(target) == saved_before


# --- What the refusals write to the log ----------------------------------------------


@pytest.mark.parametrize("form_name", ["edit", "reply"])
@pytest.mark.parametrize("case_name", ["urlencoded-utf16", "urlencoded-latin1"])
def test_refusal_of_a_private_form_is_logged_without_its_token(caplog, form_name, case_name):
    public_form = PUBLIC_FORMS[form_name]
    target = public_form.setup()
    url = public_form.url(target)
    content_type, encoding, _, _ = CHARSET_CASES[case_name]
    token = target.manage_token()

    body = urlencode(complete_data(public_form, target)).encode(encoding)

    with caplog.at_level(logging.INFO):
        response = Client().generic("POST", url, body, content_type=content_type)

    assert response.status_code == 400
    assert caplog.records, "the refusal was not logged"
    formatter = SingleLineFormatter("%(levelname)s %(name)s %(message)s")
    for record in caplog.records:
        line = formatter.format(record)
        assert token not in line
        assert "/manage/[private]/" in line
