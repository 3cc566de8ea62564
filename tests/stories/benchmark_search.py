"""Benchmark: the story list searched for a common word, a rare word and a
Chinese word, at 5,000 published stories.

Not part of the test suite (it takes a minute). Run it against a THROWAWAY
database, which it fills with stories:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench .venv/bin/python -m tests.stories.benchmark_search

Stories are saved one by one (Story.save fills the search columns), in five
languages; every one contains the common word. Each search page is timed
with Django's test client (median of many requests after warming up).
"""

import os
import statistics
import sys
import time

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "together.settings")
if "DATABASE_URL" not in os.environ:
    sys.exit("Set DATABASE_URL to a throwaway database: this fills it with stories.")
django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from stories.models import Story  # noqa: E402

STORIES = 5_000
RUNS = 50
TEXTS = {
    "en": "Our family arrived in winter. The neighbours brought soup and bread from the bakery {n}.",
    "fr": "Notre family est arrivée en hiver. Les voisins ont apporté de la soupe et du pain {n}.",
    "es": "Nuestra family llegó en invierno. Los vecinos trajeron sopa y pan de la panadería {n}.",
    "ru": "Наша family приехала зимой. Соседи принесли суп и хлеб из пекарни {n}.",
    "zh-hans": "我们的 family 冬天到了。邻居们从面包店带来了汤和面包 {n}。",
}
QUERIES = {"common word": "family", "rare word": "bakeries", "one story": "4999", "Chinese": "面包"}


def fill():
    have = Story.objects.count()
    started = time.perf_counter()
    now = timezone.now()
    languages = list(TEXTS)
    for number in range(have, STORIES):
        language = languages[number % len(languages)]
        body = (TEXTS[language].format(n=number) + " ") * 10
        Story(
            title=f"Story {number}",
            body=body,
            language=language,
            teller_role=Story.TellerRole.REFUGEE,
            consent_version="bench",
            consented_at=now,
            status=Story.Status.PUBLISHED,
            published_at=now,
        ).save()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:  # fresh planner statistics, as autovacuum would give
            cursor.execute("ANALYZE stories_story")
    print(f"  {STORIES - have:,} stories saved in {time.perf_counter() - started:.1f}s")


def measure(client, query):
    path = "/en/stories/"
    for _ in range(5):
        client.get(path, {"q": query})
    timings = []
    for _ in range(RUNS):
        started = time.perf_counter()
        response = client.get(path, {"q": query})
        timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.status_code
    with CaptureQueriesContext(connection) as queries:
        client.get(path, {"q": query})
    return statistics.median(timings), len(queries)


def main():
    call_command("migrate", verbosity=0)
    print(f"{connection.vendor}, {STORIES:,} published stories")
    fill()
    client = Client()
    for name, query in QUERIES.items():
        median, count = measure(client, query)
        print(f"  {name:12} q={query!r:12} {median:7.1f} ms median, {count} queries")


if __name__ == "__main__":
    main()
