"""Paper pledge batches: recorded by staff, corrected by new batches, never
changed, and counted apart from online pledges."""

import pytest
from django.db import DatabaseError, IntegrityError, transaction
from django.db.models import ProtectedError, QuerySet
from django.utils import timezone

from campaigns.models import Campaign, PaperBatch, PaperBatchError
from tests.campaigns.factories import CampaignFactory, EventFactory, PaperBatchFactory, PledgeFactory
from tests.stories.factories import UserFactory

pytestmark = pytest.mark.django_db


def totals(campaign):
    campaign.refresh_from_db()
    return campaign.confirmed_pledges, campaign.paper_pledges, campaign.total_pledges


def correct(batch, count, **changes):
    details = {"campaign": batch.campaign, "event": batch.event, "country": batch.country, **changes}
    return PaperBatch(count=count, corrects=batch, **details).record(by=batch.entered_by)


def test_a_batch_counts_apart_from_online_pledges():
    campaign = CampaignFactory()
    PledgeFactory(campaign=campaign).confirm()

    PaperBatchFactory(campaign=campaign, count=40)

    assert totals(campaign) == (1, 40, 41)


def test_a_batch_records_who_entered_it_and_when():
    staff = UserFactory(username="coordinator", is_staff=True)
    before = timezone.now()

    batch = PaperBatchFactory(entered_by=staff, note="Forms from the stand, box 1")

    batch.refresh_from_db()
    assert batch.entered_by == staff
    assert before <= batch.entered_at <= timezone.now()
    assert batch.note == "Forms from the stand, box 1"


def test_a_correction_takes_forms_away_from_the_total():
    batch = PaperBatchFactory(count=40)

    correct(batch, -3, note="Three forms were counted twice")

    assert totals(batch.campaign) == (0, 37, 37)
    assert batch.count == 40  # the original batch stays as entered


def test_a_correction_can_add_forms_too():
    batch = PaperBatchFactory(count=40)

    correct(batch, +2)

    assert totals(batch.campaign) == (0, 42, 42)


def test_a_correction_below_zero_forms_is_refused_and_changes_nothing():
    batch = PaperBatchFactory(count=5)
    correct(batch, -3)

    with pytest.raises(PaperBatchError, match="more forms than the batch has left: 2"):
        correct(batch, -3)

    assert totals(batch.campaign) == (0, 2, 2)
    assert PaperBatch.objects.count() == 2


def test_a_correction_of_a_correction_is_refused():
    correction = correct(PaperBatchFactory(count=5), -1)

    with pytest.raises(PaperBatchError, match="Correct the original batch"):
        correct(correction, -1)


@pytest.mark.parametrize("change", ["country", "event", "campaign"])
def test_a_correction_keeps_the_campaign_event_and_country_of_its_batch(change):
    event = EventFactory()
    batch = PaperBatchFactory(campaign=event.campaign, event=event, country="BE", count=5)
    other = {"country": "FR", "event": None, "campaign": CampaignFactory()}[change]

    with pytest.raises(PaperBatchError, match="keeps the campaign, event and country"):
        correct(batch, -1, **{change: other})


def test_an_event_of_another_campaign_is_refused():
    with pytest.raises(PaperBatchError, match="another campaign"):
        PaperBatchFactory(campaign=CampaignFactory(), event=EventFactory())


def test_a_batch_that_is_not_a_correction_cannot_take_forms_away():
    with pytest.raises(PaperBatchError, match="correct the batch they were in"):
        PaperBatchFactory(count=-2)


def test_the_database_refuses_a_batch_of_zero_forms():
    with pytest.raises(IntegrityError), transaction.atomic():
        PaperBatch(campaign=CampaignFactory(), country="BE", count=0, entered_by=UserFactory()).save()


def test_the_database_refuses_a_negative_batch_that_corrects_nothing():
    with pytest.raises(IntegrityError), transaction.atomic():
        PaperBatch(campaign=CampaignFactory(), country="BE", count=-1, entered_by=UserFactory()).save()


def test_a_saved_batch_is_never_saved_again():
    batch = PaperBatchFactory(count=5)
    batch.count = 50

    with pytest.raises(PaperBatchError, match="never changed"):
        batch.save()
    with pytest.raises(PaperBatchError, match="never changed"):
        batch.record(by=batch.entered_by)
    with pytest.raises(PaperBatchError, match="never changed"):
        PaperBatch.objects.filter(pk=batch.pk).update(count=50)

    batch.refresh_from_db()
    assert batch.count == 5


def test_the_database_refuses_to_update_a_batch_row():
    batch = PaperBatchFactory(count=5)

    # Past the model's refusals, as raw code would be: the trigger answers.
    with pytest.raises(DatabaseError), transaction.atomic():
        QuerySet.update(PaperBatch.objects.filter(pk=batch.pk), count=50)

    batch.refresh_from_db()
    assert batch.count == 5


def test_a_batch_is_never_deleted():
    batch = PaperBatchFactory(count=5)

    with pytest.raises(PaperBatchError, match="never deleted"):
        batch.delete()
    with pytest.raises(PaperBatchError, match="never deleted"):
        PaperBatch.objects.all().delete()

    assert PaperBatch.objects.filter(pk=batch.pk).exists()


def test_a_campaign_event_or_account_with_batches_cannot_be_deleted():
    event = EventFactory()
    batch = PaperBatchFactory(campaign=event.campaign, event=event)

    for owner in (batch.campaign, event, batch.entered_by):
        with pytest.raises(ProtectedError), transaction.atomic():
            owner.delete()


def test_repair_makes_the_paper_total_the_sum_of_the_batches():
    batch = PaperBatchFactory(count=12)
    correct(batch, -2)
    Campaign.objects.filter(pk=batch.campaign_id).update(paper_pledges=99)

    fixes = batch.campaign.repair_pledge_counts()

    assert fixes == [f"{batch.campaign.slug}: paper 99 -> 10"]
    assert totals(batch.campaign) == (0, 10, 10)
