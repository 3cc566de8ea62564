from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class TogetherConfig(AppConfig):
    """The project's own app: what both stories and campaigns use (outgoing
    email, abuse protection, image processing) and the site-wide pages."""

    default = True  # this module also holds TogetherAdminConfig
    name = "together"
    verbose_name = _("Site")

    def ready(self):
        # Signal receivers: request ids carried into tasks, email counters,
        # the page cache's generation bumped by every change to public content.
        from together import metrics, pagecache, sentry, tasks  # noqa: F401

        sentry.init()
        pagecache.connect_signals()


class TogetherAdminConfig(admin_apps.AdminConfig):
    """Django's admin, with the site of together/admin_site.py as admin.site."""

    default = False
    default_site = "together.admin_site.TogetherAdminSite"
