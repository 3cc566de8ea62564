"""A storyteller's stories are found by every spelling of their mailbox:
``Story.email_normalised`` is the canonical form of the address
(together.mail.normalise_email), kept in step by ``save`` and emptied with
the address, and ``StoryQuerySet.of_storyteller`` compares it."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command

from stories.models import Story
from stories.tasks import send_manage_links
from tests.stories.factories import ModeratorFactory, StoryFactory

pytestmark = pytest.mark.django_db

SUBMITTED = {
    "title": "Bread every morning",
    "body": "A woman from the bakery gave my children bread every morning.",
    "teller_role": Story.TellerRole.REFUGEE,
    "language": "en",
}


def test_a_submitted_story_keeps_its_address_as_typed_and_in_canonical_form():
    story = Story.submit(
        **SUBMITTED, email="Amina.Haddad+x@gmail.com", consent_version="2025-01", site_language="en"
    )

    story.refresh_from_db()
    assert (story.email, story.email_normalised) == ("Amina.Haddad+x@gmail.com", "aminahaddad@gmail.com")


def test_a_story_without_an_address_has_no_canonical_one():
    story = StoryFactory(email="")

    story.refresh_from_db()
    assert story.email_normalised == ""


def test_every_spelling_of_the_mailbox_finds_the_storytellers_stories_and_only_theirs():
    first = StoryFactory(email="Amina.Haddad+x@gmail.com")
    second = StoryFactory(email="aminahaddad@googlemail.com")
    StoryFactory(email="amina.haddad@example.org")

    for spelling in ["aminahaddad@gmail.com", " AMINA.HADDAD@gmail.com ", "a.mina.haddad+y@googlemail.com"]:
        assert set(Story.objects.of_storyteller(spelling)) == {first, second}


def test_an_empty_address_finds_no_story_not_even_those_sent_without_one():
    StoryFactory(email="")

    assert list(Story.objects.of_storyteller("")) == []
    assert list(Story.objects.of_storyteller("  ")) == []


def test_withdrawing_a_story_empties_its_canonical_address():
    story = StoryFactory(email="Amina.Haddad+x@gmail.com")

    story.withdraw()

    story.refresh_from_db()
    assert (story.email, story.email_normalised) == ("", "")


def test_erasing_a_declined_story_empties_its_canonical_address():
    story = StoryFactory(email="Amina.Haddad+x@gmail.com")
    story.decline(by=ModeratorFactory(), reason_code="spam")

    assert story.erase_declined(now=story.decided_at + timedelta(days=365)) is True

    story.refresh_from_db()
    assert (story.status, story.email, story.email_normalised) == ("declined", "", "")
    assert list(Story.objects.of_storyteller("aminahaddad@gmail.com")) == []


def test_the_links_of_a_story_sent_with_another_spelling_of_the_mailbox_are_sent(mailoutbox):
    story = StoryFactory(email="Amina.Haddad+x@gmail.com", title="First story")

    send_manage_links.enqueue("aminahaddad@gmail.com", "en")

    (message,) = mailoutbox
    assert message.to == ["aminahaddad@gmail.com"]
    assert story.manage_url() in message.body
    assert "First story" in message.body


# --- After the rollout: manage.py repair_story_addresses ----------------------------------------


def repair():
    out = StringIO()
    call_command("repair_story_addresses", stdout=out)
    return out.getvalue().strip()


def test_the_repair_fills_the_stories_the_older_version_received_and_empties_those_it_erased():
    received = StoryFactory(email="Amina.Haddad+x@gmail.com")
    erased = StoryFactory(email="", status=Story.Status.WITHDRAWN)
    in_step = StoryFactory(email="other@example.org")
    # What the older version, which knows nothing of the column, leaves.
    Story.objects.filter(pk=received.pk).update(email_normalised="")
    Story.objects.filter(pk=erased.pk).update(email_normalised="bilal@example.org")

    assert repair() == "1 story(ies) filled, 1 emptied."

    assert dict(Story.objects.values_list("pk", "email_normalised")) == {
        received.pk: "aminahaddad@gmail.com",
        erased.pk: "",
        in_step.pk: "other@example.org",
    }
    assert repair() == "0 story(ies) filled, 0 emptied."


def test_the_repair_leaves_empty_a_story_whose_address_went_between_its_read_and_its_write():
    from stories.management.commands.repair_story_addresses import Command

    story = StoryFactory(email="Amina.Haddad+x@gmail.com")
    story.withdraw()
    read_before_the_withdrawal = [(story.pk, "Amina.Haddad+x@gmail.com")]

    assert Command._write(read_before_the_withdrawal) == 0

    story.refresh_from_db()
    assert story.email_normalised == ""
