from django import template

from campaigns.models import PressRelease

register = template.Library()


@register.simple_tag
def latest_press_releases(count=3):
    """The ``count`` newest public press releases, for pages other than the press room."""
    return PressRelease.objects.published().select_related("campaign")[:count]
