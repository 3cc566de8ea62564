from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TogetherConfig(AppConfig):
    """The project's own app: what both stories and campaigns use (outgoing
    email, abuse protection, image processing) and the site-wide pages."""

    name = "together"
    verbose_name = _("Site")
