"""Running actions at the same instant, as two people clicking at once would.

Each action runs in its own thread, hence its own database connection, and
all are released together by a barrier. Only PostgreSQL runs transactions
concurrently (SQLite serialises writers), so race tests skip elsewhere."""

import threading

import pytest
from django.db import connection, connections

needs_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs PostgreSQL: SQLite serialises writers, so two actions cannot race there "
    "(make test runs this on PostgreSQL when TEST_DATABASE_URL is set)",
)


def at_once(*actions):
    """Run every action at the same instant; return what each returned, or
    the exception it raised, in the order of ``actions``."""
    start = threading.Barrier(len(actions))
    outcomes = [None] * len(actions)

    def run(index, action):
        try:
            start.wait()
            outcomes[index] = action()
        except Exception as error:  # returned to the test, not lost in the thread
            outcomes[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(index, action)) for index, action in enumerate(actions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes
