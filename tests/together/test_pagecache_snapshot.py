"""together.pagecache.consistent_snapshot: every query of a view sees one
instant of the database, even while pledges are confirmed meanwhile.
Transactional (the view must begin its own transaction), so a file of its own."""

import threading

import pytest
from django.http import HttpResponse
from django.test import RequestFactory

from campaigns.models import Campaign
from tests.campaigns.factories import CampaignFactory, PledgeFactory
from tests.together.racing import needs_postgresql
from together.pagecache import consistent_snapshot

pytestmark = [pytest.mark.django_db(transaction=True), needs_postgresql]


def confirm_a_pledge_in_another_connection(campaign):
    def confirm():
        from django.db import connections

        try:
            PledgeFactory(campaign=campaign).confirm()
        finally:
            connections.close_all()

    thread = threading.Thread(target=confirm)
    thread.start()
    thread.join()


def test_a_view_in_a_snapshot_reads_the_same_total_twice_while_a_pledge_is_confirmed():
    campaign = CampaignFactory(is_active=True)
    seen = []

    @consistent_snapshot
    def view(request):
        seen.append(Campaign.objects.get(pk=campaign.pk).confirmed_pledges)
        confirm_a_pledge_in_another_connection(campaign)
        seen.append(Campaign.objects.get(pk=campaign.pk).confirmed_pledges)
        return HttpResponse()

    view(RequestFactory().get("/"))

    assert seen == [0, 0]
    assert Campaign.objects.get(pk=campaign.pk).confirmed_pledges == 1


def test_after_the_snapshot_the_connection_reads_committed_changes_again():
    campaign = CampaignFactory(is_active=True)
    consistent_snapshot(lambda request: HttpResponse())(RequestFactory().get("/"))

    confirm_a_pledge_in_another_connection(campaign)

    assert Campaign.objects.get(pk=campaign.pk).confirmed_pledges == 1
