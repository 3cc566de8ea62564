"""Stories sent before ``Story.email_normalised`` existed get the canonical
form of their address (stories 0017), so their tellers find them by any
spelling of their mailbox; stories without an address keep none.

In a file of its own: migrating is transactional and empties the tables."""

import importlib

import pytest

from tests.stories.migrating import migrate, migrate_to_latest, old_story
from together.mail import normalise_email

BEFORE = [("stories", "0016_story_email_index")]
AFTER = [("stories", "0017_story_email_normalised")]

migration = importlib.import_module("stories.migrations.0017_story_email_normalised")


@pytest.mark.django_db(transaction=True)
def test_existing_stories_get_the_canonical_form_of_their_address(monkeypatch):
    # Three batches' worth, to go through the batching.
    monkeypatch.setattr(migration, "BATCH", 2)
    try:
        Story = migrate(BEFORE).get_model("stories", "Story")
        addresses = ["Amina.Haddad+x@gmail.com", "", " Bilal@Example.ORG ", "zoë@Bücher.example", "c@d.org"]
        pks = [
            old_story(Story, number, email=email, language="en").pk for number, email in enumerate(addresses)
        ]

        Story = migrate(AFTER).get_model("stories", "Story")

        assert dict(Story.objects.values_list("pk", "email_normalised")) == {
            pks[0]: "aminahaddad@gmail.com",
            pks[1]: "",
            pks[2]: "bilal@example.org",
            pks[3]: "zoë@xn--bcher-kva.example",
            pks[4]: "c@d.org",
        }
    finally:
        migrate_to_latest()


@pytest.mark.parametrize(
    "address",
    [
        "Amina.Haddad+x@gmail.com",
        "a.mina.haddad@GoogleMail.com",
        " Zoë@Bücher.example. ",
        "a.b+x@hotmail.com",
        "a-b@yahoo.com",
        "+x@gmail.com",
        "no at sign",
        "",
    ],
)
def test_the_migrations_frozen_rules_agree_with_the_live_ones(address):
    assert migration.normalise_email(address) == normalise_email(address)
