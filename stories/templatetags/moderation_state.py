"""What storytellers are told about moderation right now: the usual wait for
a decision (:mod:`stories.waiting`) and whether surge mode is on
(:mod:`stories.floods`)."""

from django import template

from stories.floods import ModerationDesk
from stories.waiting import RoundedWait, current_median_wait

register = template.Library()


@register.simple_tag
def typical_wait():
    """The current median wait, rounded (:class:`RoundedWait`), or None."""
    return RoundedWait.of(current_median_wait())


@register.simple_tag
def surge_mode_on():
    return ModerationDesk.surge_mode_is_on()
