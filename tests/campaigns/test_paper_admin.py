"""Staff enter paper batches in the admin: added, never changed or deleted."""

import pytest
from django.urls import reverse

from campaigns.models import PaperBatch
from tests.campaigns.factories import CampaignFactory, EventFactory, PaperBatchFactory

pytestmark = pytest.mark.django_db

ADD = reverse("admin:campaigns_paperbatch_add")


def change_url(batch):
    return reverse("admin:campaigns_paperbatch_change", args=[batch.pk])


def entered(**fields):
    return {"event": "", "note": "", "corrects": "", **fields}


def test_staff_add_a_batch_recorded_as_theirs(admin_client, admin_user):
    event = EventFactory()

    response = admin_client.post(
        ADD,
        entered(campaign=event.campaign.pk, event=event.pk, country="BE", count=40, note="Stand, box 1"),
    )

    assert response.status_code == 302
    batch = PaperBatch.objects.get()
    assert (batch.event, batch.country.code, batch.count, batch.note, batch.entered_by) == (
        event,
        "BE",
        40,
        "Stand, box 1",
        admin_user,
    )
    event.campaign.refresh_from_db()
    assert event.campaign.paper_pledges == 40


def test_a_saved_batch_opens_read_only(admin_client):
    batch = PaperBatchFactory(count=40, note="Stand, box 1")

    response = admin_client.get(change_url(batch))

    html = response.content.decode()
    assert response.status_code == 200
    assert 'name="count"' not in html
    assert 'name="_save"' not in html
    assert "Enter a correction of this batch" in html


def test_the_admin_refuses_to_change_a_batch(admin_client):
    batch = PaperBatchFactory(count=40)

    response = admin_client.post(
        change_url(batch), entered(campaign=batch.campaign.pk, country="BE", count=4)
    )

    assert response.status_code == 403
    batch.refresh_from_db()
    assert batch.count == 40


def test_the_admin_refuses_to_delete_a_batch(admin_client):
    batch = PaperBatchFactory(count=40)

    page = admin_client.post(reverse("admin:campaigns_paperbatch_delete", args=[batch.pk]), {"post": "yes"})
    action = admin_client.post(
        reverse("admin:campaigns_paperbatch_changelist"),
        {"action": "delete_selected", "_selected_action": [batch.pk], "post": "yes"},
    )

    assert page.status_code == 403
    assert action.status_code == 200  # the list again: the action is not offered
    assert PaperBatch.objects.filter(pk=batch.pk).exists()


def test_the_correction_link_fills_in_the_batch_to_correct(admin_client):
    event = EventFactory()
    batch = PaperBatchFactory(campaign=event.campaign, event=event, country="SY")

    form = admin_client.get(
        f"{ADD}?corrects={batch.pk}&campaign={event.campaign.pk}&event={event.pk}&country=SY"
    )

    initial = form.context["adminform"].form.initial
    assert (initial["corrects"], initial["campaign"], initial["event"], initial["country"]) == (
        str(batch.pk),
        str(event.campaign.pk),
        str(event.pk),
        "SY",
    )


def test_a_correction_entered_in_the_admin_changes_the_total(admin_client):
    batch = PaperBatchFactory(count=40, country="BE")

    response = admin_client.post(
        ADD,
        entered(campaign=batch.campaign.pk, country="BE", count=-3, corrects=batch.pk, note="Counted twice"),
    )

    assert response.status_code == 302
    batch.campaign.refresh_from_db()
    assert batch.campaign.paper_pledges == 37
    assert admin_client.get(change_url(batch)).context["adminform"].form.instance.corrections.count() == 1


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"count": -50, "corrects": "batch"}, "more forms than the batch has left: 40."),
        ({"count": -5}, "Only a correction of another batch can take forms away."),
        ({"count": 0}, "A batch or a correction counts at least one form."),
        (
            {"count": 5, "corrects": "batch", "country": "FR"},
            "A correction keeps the campaign, event and country",
        ),
    ],
)
def test_a_refused_batch_is_shown_again_with_the_reason_and_saves_nothing(admin_client, fields, message):
    batch = PaperBatchFactory(count=40, country="BE")
    if fields.get("corrects") == "batch":
        fields["corrects"] = batch.pk

    response = admin_client.post(ADD, entered(campaign=batch.campaign.pk, **{"country": "BE", **fields}))

    assert response.status_code == 200
    assert message in response.content.decode()
    assert PaperBatch.objects.count() == 1


def test_an_event_of_another_campaign_is_refused_in_the_form(admin_client):
    response = admin_client.post(
        ADD, entered(campaign=CampaignFactory().pk, event=EventFactory().pk, country="BE", count=5)
    )

    assert response.status_code == 200
    assert "This event belongs to another campaign." in response.content.decode()
    assert not PaperBatch.objects.exists()
