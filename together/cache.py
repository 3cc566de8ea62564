"""The Redis cache, made to degrade instead of failing when Redis is down.

Redis holds the cache, the public forms' rate limits (django-ratelimit,
together.abuse) and the admin login lockouts (django-axes), shared by every
worker. Django's RedisCache raises on a connection error, so an outage used
to answer 500 on every public form and the admin login, losing what a
storyteller had typed. With ``DegradingRedisCache`` (settings.CACHES when
REDIS_URL is set):

* No Redis error ever leaves the cache. The operation is done instead in a
  local-memory cache of this process, so rate limits and lockouts keep
  counting (each process alone, as without Redis) and reads miss.
* After an error Redis is left alone for ``RETRY_SECONDS`` (an OPTIONS key,
  default 5): an unreachable server costs a worker one short socket timeout
  (0.25 s, set in settings) per interval, not one per cache call. Then Redis
  is asked again, and used again as soon as it answers: nothing needs a
  restart.
* While it lasts, one warning a minute per process; one information line
  when Redis answers again.

Each cache object keeps one redis-py client per connection pool
(:class:`ReusingRedisCacheClient`). Django's client builds a new one for
every call, about 50 µs of CPU each (redis-py fills its table of response
callbacks anew), and a cached page costs one call: that was a tenth of a
page cache hit. A redis-py client holds no connection of its own (it takes
one from the pool for each command), so sharing it changes nothing else.

A counter is incremented in one round trip (:meth:`ReusingRedisCacheClient.incr`,
a script): Django's client asks whether the key exists, then increments it,
two round trips on every counted form (the rate limits), and a key expiring
between the two came back from INCRBY with no expiry at all.

The state of an outage and the fallback counts are per process, not per
backend object: Django makes one cache object per thread. Counts made during
an outage are not carried to Redis when it returns.
"""

import logging
import threading
import time

from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

WARNING_INTERVAL = 60
DEFAULT_RETRY_SECONDS = 5
# Rate-limit and lockout counters of one process for the length of an outage.
FALLBACK_MAX_ENTRIES = 10_000


class _Outage:
    """Whether one Redis location is considered down, and the process's
    fallback cache for it."""

    def __init__(self, location):
        self.fallback = LocMemCache(
            f"together.cache.fallback:{location}", {"OPTIONS": {"MAX_ENTRIES": FALLBACK_MAX_ENTRIES}}
        )
        self._lock = threading.Lock()
        self._retry_at = 0.0
        self._warned_at = None
        self._warned_since_back = False

    def skip_redis(self):
        return time.monotonic() < self._retry_at

    def failed(self, error, retry_seconds):
        now = time.monotonic()
        with self._lock:
            self._retry_at = now + retry_seconds
            warn = self._warned_at is None or now - self._warned_at >= WARNING_INTERVAL
            if warn:
                self._warned_at, self._warned_since_back = now, True
        if warn:
            logger.warning(
                "Redis cannot be reached (%s: %s): the cache, form rate limits and login lockouts "
                "count in each process until it answers again.",
                type(error).__name__,
                error,
            )

    def answered(self):
        if not self._warned_since_back:  # the usual case, without taking the lock
            return
        with self._lock:
            back, self._warned_since_back = self._warned_since_back, False
        if back:
            logger.info("Redis answers again: the cache and the limits are shared again.")


_outages = {}
_outages_lock = threading.Lock()


def _outage_for(location):
    with _outages_lock:
        return _outages.setdefault(location, _Outage(location))


def _degrading(name):
    """The RedisCache method ``name``, done in the fallback cache when Redis
    fails or is known to be down."""

    def method(self, *args, **kwargs):
        outage = self._outage
        if not outage.skip_redis():
            try:
                result = getattr(RedisCache, name)(self, *args, **kwargs)
            except RedisError as error:
                outage.failed(error, self._retry_seconds)
            else:
                outage.answered()
                return result
        return getattr(outage.fallback, name)(*args, **kwargs)

    method.__name__ = name
    method.__doc__ = getattr(RedisCache, name).__doc__
    return method


# INCRBY on a key that exists, else nothing (nil): Django's incr in one step.
_INCR_EXISTING = """
if redis.call("EXISTS", KEYS[1]) == 1 then return redis.call("INCRBY", KEYS[1], ARGV[1]) end
return false
"""


class ReusingRedisCacheClient(RedisCacheClient):
    """Django's Redis cache client, making one redis-py client per connection
    pool once instead of one per call, and incrementing in one round trip
    (see the module docstring)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def incr(self, key, delta):
        """As Django's: ValueError when ``key`` does not exist (its expiry kept otherwise)."""
        # EVAL with the script's text (Redis keeps it compiled): always one
        # round trip, where EVALSHA takes three the first time on each server.
        value = self.get_client(key, write=True).eval(_INCR_EXISTING, 1, key, delta)
        if value is None:
            raise ValueError(f"Key '{key}' not found.")
        return value

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class DegradingRedisCache(RedisCache):
    """Django's RedisCache that falls back to a per-process cache while Redis
    is down (see the module docstring). OPTIONS as RedisCache's, plus
    ``RETRY_SECONDS``."""

    def __init__(self, server, params):
        options = dict(params.get("OPTIONS", {}))
        self._retry_seconds = options.pop("RETRY_SECONDS", DEFAULT_RETRY_SECONDS)
        super().__init__(server, {**params, "OPTIONS": options})
        self._class = ReusingRedisCacheClient
        self._outage = _outage_for(server)

    # Every method of RedisCache that talks to Redis; BaseCache builds the
    # others (decr, get_or_set, the async ones) on these.
    add = _degrading("add")
    get = _degrading("get")
    set = _degrading("set")
    touch = _degrading("touch")
    delete = _degrading("delete")
    get_many = _degrading("get_many")
    has_key = _degrading("has_key")
    incr = _degrading("incr")
    set_many = _degrading("set_many")
    delete_many = _degrading("delete_many")
    _clear = _degrading("clear")

    def is_degraded(self):
        """Whether Redis counts as down: answers come from this process's
        fallback, which no other process sees (together.pagecache)."""
        return self._outage.skip_redis()

    def clear(self):
        """Empty Redis and the fallback, so no count of an earlier outage
        comes back with the next one."""
        self._outage.fallback.clear()
        self._clear()
