from django import template
from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from together.multilingual import language_versions

register = template.Library()


@register.inclusion_tag("together/includes/nav_item.html", takes_context=True)
def nav_item(context, url_name, label):
    """A navigation link, marked ``aria-current`` on its own section.

    A section whose page does not exist yet is left out rather than linked
    to a 404."""
    try:
        url = reverse(url_name)
    except NoReverseMatch:
        return {"url": None}
    path = context["request"].path
    home = reverse("home")
    current = path == url or (url != home and path.startswith(url))
    return {"url": url, "label": label, "current": current}


@register.filter
def absolute(path):
    """A site-relative URL made absolute with settings.SITE_URL (for Open
    Graph, which needs full URLs)."""
    return settings.SITE_URL + path if path.startswith("/") else path


@register.filter
def html_datetime(value):
    """A datetime for a ``<time datetime>`` attribute: ISO 8601 in the current
    time zone, to the second (HTML allows no microseconds)."""
    if not value:
        return ""
    return timezone.localtime(value).replace(microsecond=0).isoformat()


@register.inclusion_tag("together/includes/language_alternates.html", takes_context=True)
def language_alternates(context):
    """``<link rel="alternate" hreflang>`` for each language version of the page."""
    return {"versions": language_versions(context["request"]) if "request" in context else []}


@register.simple_tag
def quick_exit_url():
    """Where "Leave this site quickly" goes (settings.QUICK_EXIT_URL)."""
    return settings.QUICK_EXIT_URL
