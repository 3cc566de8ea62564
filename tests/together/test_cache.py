"""The Redis cache that degrades instead of failing (together/cache.py), with
Redis unreachable: a closed port refuses at once, a silent one times out."""

import logging
import socket
import threading
import time
import uuid

import pytest
import redis

from tests.together.redis_server import RedisServer
from together.cache import DegradingRedisCache


def cache_at(location, retry_seconds=5):
    return DegradingRedisCache(
        location,
        {"OPTIONS": {"socket_connect_timeout": 0.25, "socket_timeout": 0.25, "RETRY_SECONDS": retry_seconds}},
    )


def location(port):
    # An outage is per location and process: a name of its own for each
    # test, whatever port the system hands out again.
    return f"redis://127.0.0.1:{port}/0?client_name=test-{uuid.uuid4().hex}"


@pytest.fixture
def unreachable(closed_port):
    return location(closed_port)


@pytest.fixture
def hung():
    """A server that accepts connections and never answers."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(64)
        yield location(listener.getsockname()[1])


def test_read_misses_instead_of_failing_when_redis_is_unreachable(unreachable):
    assert cache_at(unreachable).get("stats", default="missing") == "missing"


def test_counter_keeps_counting_in_the_process_when_redis_is_unreachable(unreachable):
    cache = cache_at(unreachable)

    assert cache.add("attempts", 1, 60) is True
    assert [cache.incr("attempts"), cache.incr("attempts")] == [2, 3]


def test_every_thread_of_a_process_counts_together_during_an_outage(unreachable):
    # Django makes one cache object per thread.
    cache_at(unreachable).add("attempts", 1, 60)
    counts = []
    thread = threading.Thread(target=lambda: counts.append(cache_at(unreachable).incr("attempts")))
    thread.start()
    thread.join()

    assert counts == [2]


def test_writes_of_an_outage_are_kept_apart_from_redis_errors(unreachable):
    cache = cache_at(unreachable)

    cache.set_many({"a": 1, "b": 2})
    cache.delete("b")

    assert (cache.get_many(["a", "b"]), cache.has_key("a")) == ({"a": 1}, True)


def test_clear_empties_the_counts_of_an_outage(unreachable):
    cache = cache_at(unreachable)
    cache.add("attempts", 1, 60)

    cache.clear()

    assert cache.get("attempts") is None


def test_outage_is_logged_once_a_minute_not_once_a_call(unreachable, caplog):
    cache = cache_at(unreachable, retry_seconds=0)

    with caplog.at_level(logging.WARNING, logger="together.cache"):
        for _ in range(3):
            cache.get("stats")

    assert [record.getMessage()[:26] for record in caplog.records] == ["Redis cannot be reached (C"]


def test_hung_redis_holds_a_worker_for_one_short_timeout_per_interval(hung):
    cache = cache_at(hung, retry_seconds=60)
    started = time.monotonic()

    for _ in range(20):
        cache.get("stats")

    # One timeout of 0.25 s, then the fallback until Redis is asked again.
    assert time.monotonic() - started < 1


def test_the_cache_makes_one_redis_client_per_connection_pool_not_one_per_call(unreachable):
    client = cache_at(unreachable)._cache

    assert client.get_client() is client.get_client(write=True)


def test_the_kept_redis_client_is_used_again_after_redis_restarts(tmp_path):
    server = RedisServer(tmp_path)
    server.start()
    try:
        cache = cache_at(server.url, retry_seconds=0)
        cache.set("stats", 1)
        server.stop()
        during = cache.get("stats", default="missing")
        server.start()

        cache.set("stats", 2)

        assert (during, cache.get("stats"), server.client().exists(":1:stats")) == ("missing", 2, 1)
    finally:
        server.stop()


@pytest.fixture
def redis_server(tmp_path):
    server = RedisServer(tmp_path)
    server.start()
    try:
        yield server
    finally:
        server.stop()


def test_a_counter_is_incremented_in_one_round_trip_and_keeps_its_expiry(redis_server, monkeypatch):
    cache = cache_at(redis_server.url)
    cache.set("hits", 1, timeout=100)
    cache.get("hits")  # the connection is open before counting
    sent = []
    send = redis.connection.Connection.send_packed_command
    monkeypatch.setattr(
        redis.connection.Connection,
        "send_packed_command",
        lambda connection, command, **kwargs: sent.append(command) or send(connection, command, **kwargs),
    )

    counted = cache.incr("hits", 2)
    round_trips = len(sent)

    ttl = redis_server.client().ttl(":1:hits")
    assert (counted, round_trips, cache.get("hits"), 0 < ttl <= 100) == (3, 1, 3, True)


def test_incrementing_a_missing_counter_raises_and_creates_no_key(redis_server):
    cache = cache_at(redis_server.url)

    with pytest.raises(ValueError, match="not found"):
        cache.incr("never-set")

    assert redis_server.client().exists(":1:never-set") == 0
