from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps import views as sitemaps
from django.templatetags.static import static
from django.urls import include, path
from django.utils.functional import lazy
from django.views.generic import RedirectView
from django.views.static import serve

from together import metrics, views
from together.sitemaps import SITEMAPS
from together.sitemaps import index as sitemap_index

# Our own error pages: Django's defaults re-read the request (see together/views.py).
handler400 = views.bad_request
handler403 = views.permission_denied
handler404 = views.page_not_found
handler500 = views.server_error

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("readyz", views.readyz, name="readyz"),
    path("metrics", metrics.metrics_view, name="metrics"),
    path("robots.txt", views.robots_txt, name="robots_txt"),
    # Browsers ask for /favicon.ico whatever the page links to. Lazy: the
    # hashed name is known only once collectstatic has run.
    path("favicon.ico", RedirectView.as_view(url=lazy(static, str)("img/favicon.svg"), permanent=True)),
    # An index of sections, each in pages (together/multilingual.py).
    path("sitemap.xml", sitemap_index, name="sitemap_index"),
    path(
        "sitemap-<section>.xml",
        sitemaps.sitemap,
        {"sitemaps": SITEMAPS},
        name="django.contrib.sitemaps.views.sitemap",
    ),
    path("i18n/", include("django.conf.urls.i18n")),
    path(settings.ADMIN_URL, admin.site.urls),
]

urlpatterns += i18n_patterns(
    path("", views.home, name="home"),
    path("about/", views.about, name="about"),
    path("privacy/", views.privacy, name="privacy"),
    path("privacy/my-data/", views.personal_data_request, name="personal_data_request"),
    path("privacy/my-data/<str:token>/", views.personal_data_view, name="personal_data"),
    path(
        "privacy/my-data/<str:token>/data.json",
        views.personal_data_download,
        name="personal_data_download",
    ),
    path("privacy/my-data/<str:token>/erase/", views.personal_data_erase, name="personal_data_erase"),
    path("stories/", include("stories.urls")),
    path("", include("campaigns.urls")),
)

if settings.BENCH_CEILING:
    # The constant view `make bench` measures the framework's ceiling with.
    urlpatterns += [path("bench/ceiling", views.ceiling, name="bench_ceiling")]

if settings.SERVE_MEDIA:
    # Story photos are public renditions only (originals are never stored);
    # in production a front server or object storage serves MEDIA_ROOT instead.
    urlpatterns += [
        path(f"{settings.MEDIA_URL.strip('/')}/<path:path>", serve, {"document_root": settings.MEDIA_ROOT}),
    ]
