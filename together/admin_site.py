"""The admin site: Django's, except that "view on site" reveals nothing.

Django's own shortcut (``<admin>/r/<content type>/<id>/``) redirects any
staff user to any object's ``get_absolute_url()``, whatever that user may
see; a story's address carries its title, so a volunteer translator could
read the titles of unpublished stories one id after another.

Invariant: the shortcut redirects only for an object the user may view in
this admin (in its ModelAdmin's queryset, with the view or change
permission), and only to the address that ModelAdmin offers as "view on
site" (``view_on_site``). Everything else answers the same 404, whether the
object exists or not.
"""

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.contrib.contenttypes.models import ContentType
from django.http import Http404, HttpResponseRedirect
from django.urls import path
from django.utils.translation import gettext_lazy as _


class TogetherAdminSite(admin.AdminSite):
    site_header = _("Together administration")
    site_title = _("Together administration")
    index_title = _("Moderation and campaigns")

    def get_urls(self):
        urls = [url for url in super().get_urls() if getattr(url, "name", None) != "view_on_site"]
        return [
            path(
                "r/<path:content_type_id>/<path:object_id>/",
                self.admin_view(self.view_on_site),
                name="view_on_site",
            ),
            path(
                "moderation/",
                self.admin_view(self.moderation_dashboard),
                name="moderation_dashboard",
            ),
            path(
                "moderation/surge-mode/",
                self.admin_view(self.moderation_surge_mode),
                name="moderation_surge_mode",
            ),
            *urls,
        ]

    # The moderation dashboard and the surge banner (stories.dashboard).

    def moderation_dashboard(self, request):
        from stories.dashboard import dashboard_view

        return dashboard_view(request, self)

    def moderation_surge_mode(self, request):
        from stories.dashboard import surge_mode_view

        return surge_mode_view(request, self)

    def each_context(self, request):
        from stories.dashboard import surge_banner_context

        return {**super().each_context(request), **surge_banner_context(request)}

    def view_on_site(self, request, content_type_id, object_id):
        """Redirect to the public page of an object the user may view here."""
        url = self.public_url(request, content_type_id, object_id)
        if not url:
            raise Http404("Nothing to show on the site.")
        return HttpResponseRedirect(url)

    def public_url(self, request, content_type_id, object_id):
        """The address the object's ModelAdmin offers as "view on site", or
        None when the user may not view the object (or there is none)."""
        try:
            model = ContentType.objects.get_for_id(int(content_type_id)).model_class()
        except (ContentType.DoesNotExist, ValueError):
            return None
        model_admin = self._registry.get(model)
        if model_admin is None:
            return None
        obj = model_admin.get_object(request, unquote(object_id))
        if obj is None or not model_admin.has_view_or_change_permission(request, obj):
            return None
        if callable(model_admin.view_on_site):
            return model_admin.view_on_site(obj)
        if model_admin.view_on_site and hasattr(obj, "get_absolute_url"):
            # Not get_view_on_site_url(): that is the address of this view.
            return obj.get_absolute_url()
        return None
