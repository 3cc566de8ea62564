"""Corrections of one paper batch racing each other never take it below zero.

Real threads with their own connections against PostgreSQL (SQLite
serialises writers). Transactional tests live in files of their own."""

import pytest

from campaigns.models import PaperBatch
from tests.campaigns.factories import PaperBatchFactory
from tests.together.racing import at_once, needs_postgresql

pytestmark = [needs_postgresql, pytest.mark.django_db(transaction=True)]


def take_away(batch, count):
    return lambda: PaperBatch(
        campaign=batch.campaign, country=batch.country, count=-count, corrects=batch
    ).record(by=batch.entered_by)


def test_two_corrections_at_once_never_take_a_batch_below_zero():
    batch = PaperBatchFactory(count=5)

    outcomes = at_once(take_away(batch, 3), take_away(batch, 3))

    assert sorted(type(outcome).__name__ for outcome in outcomes) == ["PaperBatch", "PaperBatchError"]
    batch.campaign.refresh_from_db()
    assert batch.campaign.paper_pledges == 2
    assert PaperBatch.objects.filter(campaign=batch.campaign).total() == 2
