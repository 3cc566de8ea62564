"""Sharing without an email address: a code and a passphrase, shown once,
open the same private page (edit, withdraw), and nothing else keeps them."""

import re

import pytest
from django.urls import reverse

from stories.models import Story
from tests.stories.sharing import BODY, edit_data, submit
from together.models import OutboundEmail

pytestmark = pytest.mark.django_db

OPEN_URL = "/en/stories/open/"


def share_without_email(client, **overrides):
    """Send the sharing form without an address; the code and passphrase
    the thank-you page shows."""
    response = submit(client, email="", no_email="on", body=BODY, **overrides)
    assert response.status_code == 200
    html = response.content.decode()
    code = re.search(r"<dt>Code</dt><dd><bdi>([A-Z0-9-]+)</bdi>", html).group(1)
    passphrase = re.search(r"<dt>Passphrase</dt><dd><bdi>([a-z ]+)</bdi>", html).group(1)
    return response, code, passphrase


def open_story(client, code, passphrase):
    return client.post(OPEN_URL, {"code": code, "passphrase": passphrase})


def test_sharing_without_email_shows_a_code_and_five_words_once(client):
    response, code, passphrase = share_without_email(client)

    assert re.fullmatch(r"[A-Z2-9]{4}-[A-Z2-9]{4}", code)
    assert len(passphrase.split()) == 5
    assert response["Cache-Control"] == "max-age=0, no-cache, no-store, must-revalidate, private"
    assert "we cannot tell you when your story is published" in response.content.decode()


def test_a_story_shared_without_email_keeps_no_address_and_no_passphrase_in_clear(client):
    _, code, passphrase = share_without_email(client)

    story = Story.objects.get()
    assert (story.email, story.access_code) == ("", code.replace("-", ""))
    assert passphrase not in story.passphrase_hash
    assert story.passphrase_hash.startswith(("pbkdf2", "md5", "argon2", "scrypt", "bcrypt"))
    assert not OutboundEmail.objects.exists()


def test_the_share_form_asks_for_an_address_or_the_choice_not_to_give_one(client):
    response = submit(client, email="")

    assert response.status_code == 200
    assert response.context["form"].errors["email"] == [
        "Please write your email address, or tick “I don't want to give an email address”."
    ]
    assert not Story.objects.exists()


def test_an_address_typed_before_ticking_no_email_is_not_kept(client):
    submit(client, email="amina@example.org", no_email="on")

    assert Story.objects.get().email == ""
    assert not OutboundEmail.objects.exists()


def test_the_code_and_passphrase_open_the_private_page(client):
    _, code, passphrase = share_without_email(client)
    story = Story.objects.get()

    response = open_story(client, code.lower(), f"  {passphrase.upper()} ")

    assert response.status_code == 302
    assert response.url == reverse("stories:story_manage", args=[story.manage_token()])


def test_the_code_and_passphrase_path_can_edit_and_withdraw(client):
    _, code, passphrase = share_without_email(client)
    manage = open_story(client, code, passphrase).url
    story = Story.objects.get()

    edited = client.post(manage + "edit/", edit_data(story, title="Bread and salt"))
    assert edited.status_code == 302
    assert Story.objects.get().title == "Bread and salt"

    withdrawn = client.post(manage + "withdraw/")
    assert withdrawn.status_code == 302
    story = Story.objects.get()
    assert (story.status, story.title, story.access_code, story.passphrase_hash) == (
        "withdrawn",
        "",
        None,
        "",
    )
    assert open_story(client, code, passphrase).status_code == 200  # the form again: nothing to open


def test_a_wrong_passphrase_opens_nothing(client):
    _, code, _ = share_without_email(client)

    response = open_story(client, code, "abandon ability able about above")

    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        "This code and passphrase do not open a story. Check them and try again."
    ]


def test_a_code_is_locked_after_repeated_wrong_passphrases(client, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "story_code_failures": "2/d"}
    _, code, passphrase = share_without_email(client)
    for _ in range(3):
        open_story(client, code, "wrong words entirely here now")

    response = open_story(client, code, passphrase)

    assert response.status_code == 429
    assert "Nothing you wrote is lost" in response.content.decode()


def test_the_code_entry_page_counts_attempts_per_address(client, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "story_code": "2/h"}
    for _ in range(2):
        open_story(client, "ABCD-EFGH", "a b c d e")

    assert open_story(client, "ABCD-EFGH", "a b c d e").status_code == 429


def test_the_key_downloads_as_a_text_file(client):
    _, code, passphrase = share_without_email(client)

    response = client.post(
        reverse("stories:story_key_download"), {"code": code.replace("-", ""), "passphrase": passphrase}
    )

    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="together-story-key.txt"'
    text = response.content.decode()
    assert f"Code: {code}" in text
    assert f"Passphrase: {passphrase}" in text
    assert "/en/stories/open/" in text


def test_the_key_download_refuses_a_wrong_key(client):
    _, code, _ = share_without_email(client)

    response = client.post(
        reverse("stories:story_key_download"), {"code": code, "passphrase": "no no no no no"}
    )

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")


def test_the_thank_you_page_offers_the_key_file_by_post(client):
    response, _, passphrase = share_without_email(client)

    html = response.content.decode()
    assert f'action="{reverse("stories:story_key_download")}"' in html
    assert f'name="passphrase" value="{passphrase}"' in html


def test_replacing_the_link_of_a_story_without_address_keeps_the_code_working(client):
    _, code, passphrase = share_without_email(client)
    old = open_story(client, code, passphrase).url

    client.post(old + "new-link/")

    assert client.get(old).status_code == 404
    new = open_story(client, code, passphrase).url
    assert new != old
    assert client.get(new).status_code == 200


def test_the_consent_a_storyteller_gives_names_both_ways_to_withdraw(client):
    response = client.get(reverse("stories:story_create"))

    consent = response.context["form"].fields["consent"].label
    assert "with the private link we email me" in str(consent)
    assert "if I give no email address, with my code and passphrase" in str(consent)
    assert "with the private link sent to my email address" not in response.content.decode()
