"""A person asks for everything the site holds about their address, by
email: the same answer whether or not it is known, a signed and expiring
link emailed to that address only, a page and a JSON download, and erasure
through the existing erase paths."""

import json
import re
import time
from types import SimpleNamespace

import pytest
from django.core import signing
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_tasks_db.models import DBTaskResult

from campaigns.models import Campaign, Pledge, SignUp
from stories.models import Story
from tests.campaigns.factories import CampaignFactory, EventFactory, PledgeFactory, SignUpFactory
from tests.stories.factories import StoryFactory
from tests.stories.sharing import manage_url
from together import personal_data
from together.forms import PersonalDataRequestForm
from together.mail import normalise_email
from together.models import OutboundEmail

pytestmark = pytest.mark.django_db

REQUEST_URL = "/en/privacy/my-data/"
ANSWER = "If we hold anything about this address, we have just sent a link to it."


def ask(client, email, **extra):
    data = {"email": email, "website": "", "started": PersonalDataRequestForm.issue_stamp()}
    return client.post(REQUEST_URL, data, **extra)


def link_in(message):
    return re.search(r"http://127\.0\.0\.1:8000(/\S+/privacy/my-data/\S+/)", message.body).group(1)


@pytest.fixture
def amina():
    """A storyteller who also pledged and signed up for an event, with the same address."""
    story = StoryFactory(email="amina@example.org", title="Bread every morning")
    pledge = PledgeFactory(campaign=CampaignFactory(), email="Amina@example.org", name="Amina Haddad")
    pledge.confirm()
    signup = SignUpFactory(event=EventFactory(), email="amina@example.org", name="Amina H.", confirmed=True)
    story.email_storyteller("stories/email/received")
    return SimpleNamespace(story=story, pledge=pledge, signup=signup)


# --- Asking ------------------------------------------------------------------------------


def test_known_and_unknown_addresses_get_the_same_answer(client, amina):
    known = ask(client, "amina@example.org", follow=True)
    unknown = ask(client, "nobody@example.org", follow=True)

    assert known.redirect_chain == unknown.redirect_chain == [(REQUEST_URL, 302)]
    assert ANSWER in known.content.decode()
    assert ANSWER in unknown.content.decode()


def test_known_and_unknown_addresses_cost_the_request_the_same_queries(client, amina, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    tables = []
    for email in ["amina@example.org", "nobody@example.org"]:
        with CaptureQueriesContext(connection) as queries:
            ask(client, email)
        tables.append([query["sql"].split(" WHERE ")[0].split(" VALUES ")[0] for query in queries])

    assert tables[0] == tables[1]
    assert DBTaskResult.objects.count() == 2
    assert not OutboundEmail.objects.filter(subject="Your data at TOGETHER").exists()


def test_the_email_to_a_known_address_holds_a_link_to_its_data(client, amina, mailoutbox, settings):
    settings.PERSONAL_DATA_LINK_HOURS = 48
    mailoutbox.clear()

    ask(client, "amina@example.org")

    (message,) = mailoutbox
    assert message.to == ["amina@example.org"]
    assert message.subject == "Your data at TOGETHER"
    assert "/en/privacy/my-data/" in message.body
    assert "The link works for 48 hours." in message.body


def test_nothing_is_emailed_to_an_unknown_address(client, mailoutbox):
    ask(client, "nobody@example.org")

    assert mailoutbox == []
    assert not OutboundEmail.objects.exists()


def test_the_request_is_rate_limited(client, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "personal_data": "2/h"}
    ask(client, "a@example.org")
    ask(client, "b@example.org")

    response = ask(client, "c@example.org")

    assert response.status_code == 429
    assert 'value="c@example.org"' in response.content.decode()


def test_the_private_page_sends_the_link_to_the_story_address(client, amina, mailoutbox):
    mailoutbox.clear()

    response = client.post(manage_url(amina.story, "my-data"), follow=True)

    assert ANSWER in response.content.decode()
    (message,) = mailoutbox
    assert message.to == ["amina@example.org"]


# --- Seeing ---------------------------------------------------------------------------------


def test_the_link_shows_everything_held_about_the_address(client, amina):
    html = client.get(f"/en/privacy/my-data/{personal_data.token_for('amina@example.org')}/").content.decode()

    assert "Bread every morning" in html
    assert "Amina Haddad" in html
    assert "Amina H." in html
    assert amina.signup.event.title in html
    assert "Erase everything" in html


def test_the_emailed_link_opens_the_data_page(client, amina, mailoutbox):
    mailoutbox.clear()
    ask(client, "amina@example.org")

    response = client.get(link_in(mailoutbox[0]))

    assert response.status_code == 200
    assert "Bread every morning" in response.content.decode()


def test_the_download_holds_the_data_as_json(client, amina):
    token = personal_data.token_for("amina@example.org")

    response = client.get(f"/en/privacy/my-data/{token}/data.json")

    assert response["Content-Disposition"] == 'attachment; filename="together-my-data.json"'
    data = json.loads(response.content)
    assert data["email"] == "amina@example.org"
    assert [story["title"] for story in data["stories"]] == ["Bread every morning"]
    assert [pledge["name"] for pledge in data["pledges"]] == ["Amina Haddad"]
    assert [signup["name"] for signup in data["event_signups"]] == ["Amina H."]
    assert {message["subject"] for message in data["emails"]}


def test_an_expired_link_shows_nothing(client, amina, monkeypatch, settings):
    settings.PERSONAL_DATA_LINK_HOURS = 48
    token = personal_data.token_for("amina@example.org")
    later = time.time() + 48 * 3600 + 60
    monkeypatch.setattr(signing, "time", SimpleNamespace(time=lambda: later))

    response = client.get(f"/en/privacy/my-data/{token}/")

    assert response.status_code == 404
    html = response.content.decode()
    assert "This link no longer works" in html
    assert "Bread every morning" not in html


def test_a_tampered_link_shows_nothing(client, amina):
    response = client.get(f"/en/privacy/my-data/{personal_data.token_for('amina@example.org')}x/data.json")

    assert response.status_code == 404
    assert b"Amina" not in response.content


# --- Erasing -----------------------------------------------------------------------------------


def test_the_erase_confirmation_changes_nothing(client, amina):
    client.get(f"/en/privacy/my-data/{personal_data.token_for('amina@example.org')}/erase/")

    assert Story.objects.get().email == "amina@example.org"
    assert Pledge.objects.exists()
    assert SignUp.objects.exists()


def test_erasing_uses_every_erase_path(client, amina):
    token = personal_data.token_for("amina@example.org")

    response = client.post(f"/en/privacy/my-data/{token}/erase/", follow=True)

    html = response.content.decode()
    assert "Everything we held about your address is erased." in html
    assert "We hold nothing about this address." in html
    story = Story.objects.get()
    assert (story.status, story.title, story.email) == ("withdrawn", "", "")
    assert not Pledge.objects.exists()
    assert Campaign.objects.get(pk=amina.pledge.campaign_id).confirmed_pledges == 0
    assert not SignUp.objects.exists()
    assert not OutboundEmail.objects.filter(to__iexact="amina@example.org").exists()


def test_erasing_leaves_other_people_alone(client, amina):
    other = StoryFactory(email="other@example.org")

    client.post(f"/en/privacy/my-data/{personal_data.token_for('amina@example.org')}/erase/")

    other.refresh_from_db()
    assert other.email == "other@example.org"


def test_the_data_of_an_address_holds_the_sign_ups_and_emails_of_every_spelling_of_it(client):
    event = EventFactory()
    SignUpFactory(event=event, email="Amina.Haddad+run@gmail.com", name="Amina H.", confirmed=True)
    SignUpFactory(event=EventFactory(), email="other@gmail.com", name="Other", confirmed=True)
    for to in ["Amina.Haddad+run@gmail.com", "other@gmail.com"]:
        OutboundEmail.objects.create(to=to, to_normalised=normalise_email(to), subject="Hi", text_body="Hi")

    held = personal_data.holdings("aminahaddad@googlemail.com")

    assert [(signup.name, signup.event) for signup in held.signups] == [("Amina H.", event)]
    assert {message.to for message in held.emails} == {"Amina.Haddad+run@gmail.com"}


# --- One mailbox, every spelling: stories too ------------------------------------------------


@pytest.fixture
def gmail_story():
    """A story sent with a Gmail address spelled with dots, capitals and a +tag."""
    return StoryFactory(email="Amina.Haddad+x@gmail.com", title="Bread every morning")


def test_a_story_sent_with_another_spelling_of_the_address_is_on_its_data_page(client, gmail_story):
    token = personal_data.token_for("aminahaddad@gmail.com")

    html = client.get(f"/en/privacy/my-data/{token}/").content.decode()

    assert "Bread every morning" in html
    assert "Erase everything" in html


def test_a_story_sent_with_another_spelling_of_the_address_is_in_its_download(client, gmail_story):
    token = personal_data.token_for("aminahaddad@gmail.com")

    data = json.loads(client.get(f"/en/privacy/my-data/{token}/data.json").content)

    assert data["email"] == "aminahaddad@gmail.com"
    assert [story["title"] for story in data["stories"]] == ["Bread every morning"]


def test_erasing_everything_withdraws_a_story_sent_with_another_spelling_of_the_address(client, gmail_story):
    gmail_story.email_storyteller("stories/email/received")
    token = personal_data.token_for("aminahaddad@gmail.com")

    client.post(f"/en/privacy/my-data/{token}/erase/")

    story = Story.objects.get()
    assert (story.status, story.title, story.body, story.email, story.email_normalised) == (
        "withdrawn",
        "",
        "",
        "",
        "",
    )
    assert not OutboundEmail.objects.exists()
