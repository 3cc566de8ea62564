"""A fake clock for the code that asks ``django.utils.timezone.now()``.

``clock = FakeClock(monkeypatch)`` runs with the real time; ``clock.advance
(days=31)`` (or ``clock.now = moment``) moves every later ``timezone.now()``
by that much, and it keeps ticking from there. It shifts rather than stops
time, so rows stamped with the real time by field defaults (which captured
the real ``timezone.now`` at import) stay in the past of the fake one."""

from datetime import timedelta

from django.utils import timezone

_real_now = timezone.now


class FakeClock:
    def __init__(self, monkeypatch):
        self.offset = timedelta(0)
        monkeypatch.setattr(timezone, "now", lambda: _real_now() + self.offset)

    @property
    def now(self):
        return _real_now() + self.offset

    @now.setter
    def now(self, moment):
        self.offset = moment - _real_now()

    def advance(self, **duration):
        self.offset += timedelta(**duration)
        return self.now
