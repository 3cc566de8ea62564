"""The email flow on each production task queue, against the real servers
(issue 13, acceptance 2): a pledge is made, the worker delivers its
confirmation email, the link in it confirms the pledge."""

import pytest
from django.core import mail

from campaigns.models import Pledge
from tests.campaigns.factories import CampaignFactory
from tests.campaigns.helpers import link_from_last_email, submit_pledge
from tests.together.task_queues import run_db_worker, run_rq_worker, start_redis_queue, use_database_queue

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def pledge_and_confirm(client, run_worker):
    campaign = CampaignFactory(is_active=True)
    response = submit_pledge(client, campaign, email="amina@example.org")
    assert response.status_code == 302
    assert mail.outbox == []  # queued, not sent by the request

    run_worker()

    assert [message.to for message in mail.outbox] == [["amina@example.org"]]
    client.post(link_from_last_email("confirm"))
    return Pledge.objects.get()


def test_a_pledge_is_confirmed_through_the_email_the_database_queue_delivers(client, settings):
    use_database_queue(settings)

    pledge = pledge_and_confirm(client, run_db_worker)

    assert pledge.confirmed_at is not None


def test_a_pledge_is_confirmed_through_the_email_the_redis_queue_delivers(client, settings, tmp_path):
    server = start_redis_queue(settings, tmp_path)
    try:
        pledge = pledge_and_confirm(client, run_rq_worker)
    finally:
        server.stop()

    assert pledge.confirmed_at is not None
