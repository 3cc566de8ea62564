"""The text part and the subject of every email are plain text: what people
typed arrives as they typed it, never as HTML entities ("D&#x27;Arcy"). The
HTML part stays escaped."""

import pytest
from django.core import mail

from campaigns.models import Pledge
from tests.campaigns.factories import CampaignFactory, EventFactory, PledgeFactory, SignUpFactory
from tests.stories.factories import StoryFactory
from together.mail import queue_email

pytestmark = pytest.mark.django_db

TYPED = "D'Arcy & <Co>"


def test_pledge_confirmation_text_greets_the_person_as_they_wrote_their_name():
    campaign = CampaignFactory(title="Together & Co's", is_active=True)

    Pledge.submit(
        campaign=campaign,
        name="D'Arcy O'Neill",
        email="darcy@example.org",
        country="IE",
        show_publicly=False,
        keep_informed=False,
        message="",
        source="campaign_page",
        language="en",
    )

    (message,) = mail.outbox
    assert "Hello D'Arcy," in message.body
    assert "Together & Co's" in message.body
    assert message.subject == "Please confirm your pledge to Together & Co's"
    html = message.alternatives[0].content
    assert "Hello D&#x27;Arcy," in html


def test_pledge_already_confirmed_text_quotes_the_campaign_title_as_written():
    pledge = PledgeFactory(campaign=CampaignFactory(title="Us & Them"), name="D'Arcy")
    pledge.confirm()

    pledge.send_email("pledge_already")

    assert "Hello D'Arcy," in mail.outbox[-1].body
    assert "Us & Them" in mail.outbox[-1].body
    assert mail.outbox[-1].subject == "You have already pledged to Us & Them"


def test_story_received_text_quotes_the_title_as_written():
    story = StoryFactory(title=TYPED)

    story.email_storyteller("stories/email/received")

    assert f"“{TYPED}”" in mail.outbox[-1].body


def test_manage_links_text_lists_titles_as_written():
    story = StoryFactory(title=TYPED)

    queue_email(
        to=story.email, template="stories/email/manage_links", context={"links": [(story.title, "x")]}
    )

    assert f"\n{TYPED}\n" in mail.outbox[-1].body


def test_sign_up_text_and_subject_quote_name_and_event_as_written():
    signup = SignUpFactory(name=TYPED, event=EventFactory(title="Run & <Walk>"))

    signup.send_email("confirm")

    assert f"Hello {TYPED}," in mail.outbox[-1].body
    assert mail.outbox[-1].subject == "Please confirm your sign-up: Run & <Walk>"
    assert "Run &amp; &lt;Walk&gt;" in mail.outbox[-1].alternatives[0].content


def test_footer_of_the_text_part_is_not_escaped(settings):
    settings.SITE_URL = "https://together.example/?a=1&b=2"
    story = StoryFactory()

    story.email_storyteller("stories/email/received")

    assert "https://together.example/?a=1&b=2" in mail.outbox[-1].body
    assert "&amp;" not in mail.outbox[-1].body
