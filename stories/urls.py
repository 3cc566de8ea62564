from django.urls import path, register_converter
from django.urls.converters import StringConverter

from stories import views
from stories.feeds import LatestStoriesFeed

app_name = "stories"


class TopicSlugConverter(StringConverter):
    """A topic's slug keeps its letters in any script (stories.topics), so
    neither ``slug`` (ASCII) nor ``\\w`` (no Devanagari vowel signs) will do;
    control characters are refused, since PostgreSQL refuses a NUL in text."""

    regex = r"[^/\x00-\x1f\x7f]+"


register_converter(TopicSlugConverter, "topic_slug")

urlpatterns = [
    path("", views.story_list, name="story_list"),
    path("feed/", LatestStoriesFeed(), name="story_feed"),
    path("transparency/", views.transparency, name="transparency"),
    path("tag/<topic_slug:tag_slug>/", views.story_list, name="story_tag"),
    path("share/", views.story_create, name="story_create"),
    path("share/thanks/", views.story_thanks, name="story_thanks"),
    path("manage/", views.story_manage_request, name="story_manage_request"),
    path("open/", views.story_open, name="story_open"),
    path("share/key/", views.story_key_download, name="story_key_download"),
    path("manage/<str:token>/", views.story_manage, name="story_manage"),
    path("manage/<str:token>/edit/", views.story_edit, name="story_edit"),
    path("manage/<str:token>/reply/", views.story_reply, name="story_reply"),
    path("manage/<str:token>/sharing/", views.story_sharing, name="story_sharing"),
    path("manage/<str:token>/my-data/", views.story_personal_data, name="story_personal_data"),
    path("manage/<str:token>/withdraw/", views.story_withdraw, name="story_withdraw"),
    path("manage/<str:token>/new-link/", views.story_replace_link, name="story_replace_link"),
    path("manage/<str:token>/propose/", views.story_propose, name="story_propose"),
    path(
        "manage/<str:token>/less-identifying/<str:what>/",
        views.story_less_identifying,
        name="story_less_identifying",
    ),
    # Last: a story's slug could otherwise shadow the fixed paths above.
    path("<slug:slug>/", views.story_detail, name="story_detail"),
    path("<slug:slug>/report/", views.story_report, name="story_report"),
    path("<slug:slug>/share.png", views.story_share_image, name="story_share_image"),
]
