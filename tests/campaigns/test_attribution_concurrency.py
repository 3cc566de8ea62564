"""A partner's and an event's pledges confirmed and withdrawn at the same
instant keep their counters exact (PostgreSQL only: SQLite serialises writers)."""

import pytest

from campaigns.models import Pledge, PledgeStateError
from tests.campaigns.attribution import pledge_through, true_attribution
from tests.campaigns.factories import CampaignFactory, EventFactory, PartnerFactory
from tests.together.racing import at_once, needs_postgresql

pytestmark = [needs_postgresql, pytest.mark.django_db(transaction=True)]


def counted(campaign):
    campaign.refresh_from_db()
    return {
        "partners": {row.partner.slug: row.count for row in campaign.partner_counts_brought()},
        "events": {event.slug: event.confirmed_pledges for event in campaign.event_counts_brought()},
        "direct": campaign.confirmed_pledges
        - sum(row.count for row in campaign.partner_counts_brought())
        - sum(event.confirmed_pledges for event in campaign.event_counts_brought()),
    }


def test_confirmations_and_withdrawals_at_once_keep_partner_and_event_counts_exact():
    campaign = CampaignFactory(is_active=True)
    partner = PartnerFactory(slug="iom", campaigns=[campaign])
    event = EventFactory(campaign=campaign, slug="race")
    pledges = [pledge_through(campaign, f"p{n}@example.org", partner=partner) for n in range(4)]
    pledges += [pledge_through(campaign, f"e{n}@example.org", event=event) for n in range(4)]
    for pledge in pledges[::4]:
        pledge.confirm()  # the first of each, withdrawn below while others confirm

    outcomes = at_once(
        *(lambda pk=pledge.pk: Pledge.objects.get(pk=pk).confirm() for pledge in pledges),
        *(lambda pk=pledge.pk: Pledge.objects.get(pk=pk).confirm() for pledge in pledges[1:]),
        *(lambda pk=pledge.pk: Pledge.objects.get(pk=pk).withdraw() for pledge in pledges[::4]),
    )

    # A confirmation that finds its pledge withdrawn (or gone) is refused; nothing else fails.
    failures = [outcome for outcome in outcomes if isinstance(outcome, Exception)]
    assert all(isinstance(failure, PledgeStateError | Pledge.DoesNotExist) for failure in failures)
    assert (
        counted(campaign)
        == true_attribution(campaign)
        == {"partners": {"iom": 3}, "events": {"race": 3}, "direct": 0}
    )
