"""Confirmations racing each other keep the pledge counters exact.

Real threads with their own connections against PostgreSQL; SQLite serialises
writers, so the race cannot happen there. Transactional tests live in files of
their own: see pytest_collection_modifyitems in tests/conftest.py."""

import threading

import pytest
from django.db import close_old_connections, connection

from campaigns.models import Pledge
from tests.campaigns.counting import counters, true_counts
from tests.campaigns.factories import CampaignFactory, PledgeFactory


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="Concurrent writers need PostgreSQL: SQLite serialises every write, so it proves nothing.",
)
@pytest.mark.django_db(transaction=True)
def test_concurrent_confirmations_leave_counter_exact():
    """100 confirmations started together from 25 threads, each with its own
    connection (25 so that the suite's parallel workers stay well inside
    PostgreSQL's default 100 connections), plus every pledge confirmed a
    second time by a competing thread: the counters equal the truth."""
    campaign = CampaignFactory(is_active=True)
    countries = ["BE", "SY", "FR", "AF", "UA"]
    pledges = [PledgeFactory(campaign=campaign, country=countries[n % 5]) for n in range(100)]
    # Each pledge twice, so concurrent double confirmations are exercised too.
    work = [pledge for pledge in pledges for _ in range(2)]
    threads_count = 25
    barrier = threading.Barrier(threads_count)
    errors = []

    def confirm_share(index):
        try:
            barrier.wait()
            for pledge in work[index::threads_count]:
                Pledge.objects.get(pk=pledge.pk).confirm()
        except Exception as error:  # surfaced by the assertion below
            errors.append(error)
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=confirm_share, args=(n,)) for n in range(threads_count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert counters(campaign) == true_counts(campaign) == (100, dict.fromkeys(countries, 20))
