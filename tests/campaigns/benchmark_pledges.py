"""Benchmark: the campaign page, widget and stats at 10 and 1,000,000 pledges.

Not part of the test suite (it takes minutes). Run it against a THROWAWAY
database, which it fills with a million pledges:

    DATABASE_URL=sqlite:////tmp/pledges-bench.sqlite3 .venv/bin/python -m tests.campaigns.benchmark_pledges

It bulk-inserts the pledges (as the demo does), sets the counters with the
repair logic, then times each page with Django's test client (median of
many requests after warming up) and counts its queries and their time.
BENCH_KEEP=1 keeps the pledges afterwards (to look at query plans).
"""

import os
import statistics
import sys
import time

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "together.settings")
if "DATABASE_URL" not in os.environ:
    sys.exit("Set DATABASE_URL to a throwaway database: this fills it with a million pledges.")
django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from campaigns.demo import build_pledges  # noqa: E402
from campaigns.models import Campaign, Pledge  # noqa: E402

PAGES = ["/en/campaigns/bench/", "/en/campaigns/bench/widget/", "/en/campaigns/bench/stats.json"]
SIZES = [10, 1_000_000]
BATCH = 20_000
RUNS = 200


def fill_to(campaign, target):
    have = Pledge.objects.filter(campaign=campaign).count()
    started = time.perf_counter()
    for start in range(have, target, BATCH):
        Pledge.objects.bulk_create(build_pledges(campaign, min(BATCH, target - start), start=start))
    inserted = time.perf_counter() - started
    started = time.perf_counter()
    campaign.repair_pledge_counts()
    repaired = time.perf_counter() - started
    with connection.cursor() as cursor:  # fresh planner statistics, as autovacuum would give
        cursor.execute("ANALYZE")
    print(f"  {target - have:,} pledges inserted in {inserted:.1f}s; repair took {repaired:.2f}s")


def measure(client, path):
    for _ in range(10):
        client.get(path)
    timings = []
    for _ in range(RUNS):
        started = time.perf_counter()
        response = client.get(path)
        timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.status_code
    sql_timer = SqlTimer()
    with connection.execute_wrapper(sql_timer), CaptureQueriesContext(connection) as queries:
        for _ in range(RUNS):
            client.get(path)
    sql = sql_timer.seconds * 1000 / RUNS
    return statistics.median(timings), sorted(timings)[int(RUNS * 0.95)], len(queries) // RUNS, sql


class SqlTimer:
    """Adds up the time spent in the database (an execute_wrapper)."""

    def __init__(self):
        self.seconds = 0.0

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.seconds += time.perf_counter() - started


def main():
    call_command("migrate", verbosity=0)
    Campaign.objects.filter(slug="bench").delete()
    campaign = Campaign.objects.create(
        title="Benchmark",
        slug="bench",
        summary="s",
        body="b",
        pledge_text="p",
        starts_on="2016-09-19",
        pledge_goal=2_000_000,
    )
    client = Client()
    print(f"Database: {connection.vendor}")
    for size in SIZES:
        fill_to(campaign, size)
        campaign.refresh_from_db()
        print(f"{campaign.confirmed_pledges:,} confirmed pledges:")
        for path in PAGES:
            median, p95, queries, sql = measure(client, path)
            print(f"  {path:32} median {median:6.2f} ms  p95 {p95:6.2f} ms", end="")
            print(f"  {queries} queries, {sql:5.2f} ms in SQL (mean)")
        print(f"  ({campaign.country_counts.count()} countries in the breakdown)")
        email = f"timing{size}@example.org"
        pledge = Pledge.objects.create(
            campaign=campaign, name="Timing", email=email, email_normalised=email, country="BE", language="en"
        )
        started = time.perf_counter()
        pledge.confirm()
        print(f"  one confirm() with its counter updates: {(time.perf_counter() - started) * 1000:.2f} ms")
    if not os.environ.get("BENCH_KEEP"):
        Campaign.objects.filter(slug="bench").delete()


if __name__ == "__main__":
    main()
