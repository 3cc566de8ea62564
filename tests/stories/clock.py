"""A fake clock for what Django's ``timezone.now()`` answers, defaults of
model fields included (they call it when a row is made).

``timezone.now()`` asks the ``datetime`` class named in
``django.utils.timezone``; :func:`fake_clock` puts there a class whose
``now()`` reads the clock and that still counts every real datetime as one
of its instances (the template engine's time zone conversion checks that).
"""

from datetime import UTC, datetime, timedelta

from django.utils import timezone as django_timezone


class FakeClock:
    def __init__(self, now):
        self.now = now

    def advance(self, **duration):
        self.now += timedelta(**duration)
        return self.now


def fake_clock(monkeypatch, now=datetime(2026, 11, 2, 9, 0, tzinfo=UTC)):
    """Freeze ``timezone.now()`` at ``now``; returns the :class:`FakeClock`
    that the test moves forward."""
    clock = FakeClock(now)

    class AnyDatetime(type):
        def __instancecheck__(cls, instance):
            return isinstance(instance, datetime)

    class ClockDatetime(datetime, metaclass=AnyDatetime):
        @classmethod
        def now(cls, tz=None):
            return clock.now.astimezone(tz) if tz is not None else clock.now.replace(tzinfo=None)

    monkeypatch.setattr(django_timezone, "datetime", ClockDatetime)
    return clock
