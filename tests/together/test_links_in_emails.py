"""Nobody can make the site email a link to an address nobody confirmed.

Every field that a confirmation email quotes (a pledge's or a sign-up's
name, a story's title) refuses web addresses, with one validator
(together.validators): the same pattern everywhere."""

import time

import pytest
from django.core import mail
from django.urls import reverse

from campaigns.forms import PledgeForm, SignUpForm
from stories.forms import StoryEditForm, StoryForm
from tests.campaigns.factories import EventFactory
from tests.stories.factories import StoryFactory
from together.validators import WEB_ADDRESS

pytestmark = pytest.mark.django_db

LINKS = ["Visit https://spam.example", "www.cheap-pills", "cheap-pills.com", "bit.ly/x", "see http://x"]


def error_codes(form, field):
    return [error.code for error in form.errors.as_data().get(field, [])]


@pytest.mark.parametrize("text", LINKS)
def test_sign_up_name_with_a_web_address_is_refused(text):
    data = {"name": text, "email": "amina@example.org", "role": "runner"}

    form = SignUpForm(data=data, event=EventFactory())

    assert error_codes(form, "name") == ["name_has_web_address"]


def test_sign_up_with_a_web_address_in_the_name_sends_no_email(client):
    event = EventFactory()
    url = reverse("campaigns:event_signup", args=[event.slug])
    started = SignUpForm(event=event)["started"].value()
    data = {"name": "Win at cheap-pills.com", "email": "victim@example.org", "role": "runner"}

    response = client.post(url, {**data, "started": started})

    assert response.status_code == 200
    assert mail.outbox == []


@pytest.mark.parametrize("text", LINKS)
def test_pledge_name_with_a_web_address_is_refused(text):
    form = PledgeForm(data={"name": text})

    assert error_codes(form, "name") == ["name_has_web_address"]


@pytest.mark.parametrize("text", LINKS)
def test_story_title_with_a_web_address_is_refused(text):
    form = StoryForm(data={"title": text})

    assert error_codes(form, "title") == ["title_has_web_address"]


@pytest.mark.parametrize("text", LINKS)
def test_story_title_edited_to_hold_a_web_address_is_refused(text):
    form = StoryEditForm(data={"title": text}, instance=StoryFactory())

    assert error_codes(form, "title") == ["title_has_web_address"]


@pytest.mark.parametrize(
    "text", ["Amina Haddad", "St.John", "O.Brien", "D'Arcy", "Jean-Luc", "أمينة", "Dr. Who"]
)
def test_names_and_titles_without_a_web_address_pass(text):
    assert error_codes(SignUpForm(data={"name": text}, event=EventFactory()), "name") == []
    assert error_codes(StoryForm(data={"title": text}), "title") == []


def test_looking_for_a_web_address_in_a_megabyte_takes_little_time():
    started = time.perf_counter()

    WEB_ADDRESS.search("a" * 1_000_000)

    assert time.perf_counter() - started < 1
