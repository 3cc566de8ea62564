"""Stories shared before the choice of where they may appear existed get
"this site only": the only use their consent wording covered ("TOGETHER
publishes my story on this website"), recorded under that consent's version.

In a file of its own: migrating is transactional and empties the tables."""

from datetime import UTC, datetime

import pytest

from tests.stories.migrating import migrate, migrate_to_latest

BEFORE = [("stories", "0009_moderation_desk_and_surges")]
AFTER = [("stories", "0010_sharing_consent_and_retention")]


@pytest.mark.django_db(transaction=True)
def test_existing_stories_get_site_only_under_their_original_consent():
    try:
        old_apps = migrate(BEFORE)
        consented_at = datetime(2026, 1, 5, 10, 0, tzinfo=UTC)
        old_apps.get_model("stories", "Story").objects.create(
            title="Before the choice",
            body="A story.",
            teller_role="refugee",
            language="en",
            email="teller@example.org",
            consent_version="2026-11-23",
            consented_at=consented_at,
            status="published",
            published_at=consented_at,
            slug="before-the-choice-abcdef",
        )

        new_apps = migrate(AFTER)

        story = new_apps.get_model("stories", "Story").objects.get()
        assert (story.sharing, story.sharing_consent_version, story.sharing_chosen_at) == (
            "site",
            "2026-11-23",
            consented_at,
        )
    finally:
        migrate_to_latest()
