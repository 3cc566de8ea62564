"""The moderators' admin: the queue, the change page, the buttons and bulk
actions, reports, and what the Moderators group may and may not open."""

import re

import pytest
from django.contrib.auth.models import Group
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from stories.models import MODERATORS_GROUP, ModerationLogEntry, Report, Story
from tests.stories.admin_forms import change_form_data
from tests.stories.factories import StoryFactory, UserFactory

pytestmark = pytest.mark.django_db

Status = Story.Status
Action = ModerationLogEntry.Action
CHANGELIST = "admin:stories_story_changelist"
SCRIPT = "<script>alert(1)</script><img src=x onerror=alert(1)>"


def change_url(story):
    return reverse("admin:stories_story_change", args=[story.pk])


def moderate_url(story, action):
    return reverse("admin:stories_story_moderate", args=[story.pk, action])


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def changelist_titles(response):
    return [str(story) for story in response.context["cl"].result_list]


# --- The Moderators group ----------------------------------------------------------


def test_moderators_group_has_exactly_the_permissions_moderation_needs():
    group = Group.objects.get(name=MODERATORS_GROUP)

    permissions = sorted(group.permissions.values_list("content_type__app_label", "codename"))

    assert permissions == [
        ("stories", "add_storytranslation"),
        ("stories", "change_report"),
        ("stories", "change_story"),
        ("stories", "change_storyrevision"),
        ("stories", "change_storytranslation"),
        ("stories", "publish_storytranslation"),
        ("stories", "view_moderationlogentry"),
        ("stories", "view_report"),
        ("stories", "view_story"),
        ("stories", "view_storyrevision"),
        ("stories", "view_storytranslation"),
        ("taggit", "add_tag"),
        ("taggit", "change_tag"),
        ("taggit", "view_tag"),
    ]


@pytest.mark.parametrize(
    "url_name",
    [
        "admin:index",
        CHANGELIST,
        "admin:stories_report_changelist",
        "admin:stories_moderationlogentry_changelist",
        "admin:taggit_tag_changelist",
        "admin:taggit_tag_add",
    ],
)
def test_moderator_can_open_the_moderation_pages(moderator_client, url_name):
    assert moderator_client.get(reverse(url_name)).status_code == 200


def test_moderator_can_open_a_story_change_page(moderator_client):
    story = StoryFactory()

    assert moderator_client.get(change_url(story)).status_code == 200


@pytest.mark.parametrize(
    "url_name",
    [
        "admin:auth_user_changelist",
        "admin:auth_group_changelist",
        "admin:campaigns_campaign_changelist",
        "admin:together_outboundemail_changelist",
        "admin:stories_story_add",
    ],
)
def test_moderator_is_refused_other_data(moderator_client, url_name):
    assert moderator_client.get(reverse(url_name)).status_code == 403


def test_moderator_cannot_delete_a_story(moderator_client):
    story = StoryFactory()

    response = moderator_client.post(reverse("admin:stories_story_delete", args=[story.pk]), {"post": "yes"})

    assert response.status_code == 403
    assert Story.objects.filter(pk=story.pk).exists()


def test_staff_outside_the_group_cannot_open_stories(client):
    client.force_login(UserFactory(is_staff=True))

    assert client.get(reverse(CHANGELIST)).status_code == 403


def test_admin_index_lists_only_moderation_apps_to_a_moderator(moderator_client):
    response = moderator_client.get(reverse("admin:index"))

    assert [app["app_label"] for app in response.context["app_list"]] == ["stories", "taggit"]


def test_storyteller_email_is_shown_on_the_change_page(moderator_client):
    story = StoryFactory(email="amina-private@example.org")

    assert "amina-private@example.org" in moderator_client.get(change_url(story)).content.decode()


# --- The queue -------------------------------------------------------------------------


def test_queue_shows_reported_then_pending_then_the_rest_oldest_first(moderator_client):
    StoryFactory(published=True, title="Published, old", submitted_at="2026-01-01T10:00Z")
    StoryFactory(title="Pending, newer", submitted_at="2026-03-01T10:00Z")
    StoryFactory(title="Pending, older", submitted_at="2026-02-01T10:00Z")
    reported = StoryFactory(published=True, title="Reported", submitted_at="2026-04-01T10:00Z")
    Report.objects.create(story=reported, reason="hate")
    handled = StoryFactory(published=True, title="Report handled", submitted_at="2025-12-01T10:00Z")
    Report.objects.create(story=handled, reason="hate").story.reports.mark_handled(by=None)

    response = moderator_client.get(reverse(CHANGELIST))

    assert changelist_titles(response) == [
        "Reported",
        "Pending, older",
        "Pending, newer",
        "Report handled",
        "Published, old",
    ]


def test_status_filter_shows_the_count_of_each_status(moderator_client):
    StoryFactory.create_batch(2)
    StoryFactory(published=True)

    html = moderator_client.get(reverse(CHANGELIST)).content.decode()

    assert "pending review (2)" in html
    assert "published (1)" in html
    assert "declined (0)" in html


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"status": "published"}, ["Reported", "Syrian in Belgium"]),
        ({"reported": "open"}, ["Reported"]),
        ({"country": "BE"}, ["Syrian in Belgium"]),
        ({"language": "fr"}, ["In French"]),
        ({"tag": "work"}, ["In French"]),
        ({"teller_role__exact": "host"}, ["Reported"]),
        ({"q": "soup"}, ["Syrian in Belgium"]),
        ({"q": "Zebulon"}, ["In French"]),
    ],
)
def test_queue_filters_and_search(moderator_client, params, expected):
    StoryFactory(
        published=True,
        title="Syrian in Belgium",
        body="Soup.",
        country_of_origin="SY",
        country_of_residence="BE",
    )
    StoryFactory(
        title="In French", body="Bonjour.", language="fr", tags=["work"], naming="full_name", name="Zebulon"
    )
    reported = StoryFactory(published=True, title="Reported", body="Hi.", teller_role=Story.TellerRole.HOST)
    Report.objects.create(story=reported, reason="spam")

    response = moderator_client.get(reverse(CHANGELIST), params)

    assert changelist_titles(response) == expected


def test_queue_query_count_does_not_grow_with_stories(moderator_client):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            moderator_client.get(reverse(CHANGELIST))
        return len(captured)

    StoryFactory.create_batch(3, tags=["work"])
    few = queries()
    for story in StoryFactory.create_batch(30, tags=["family"], published=True):
        Report.objects.create(story=story, reason="spam")

    assert queries() == few


# --- Bulk actions ------------------------------------------------------------------------


def test_bulk_publish_publishes_each_through_the_model(moderator_client, moderator):
    stories = StoryFactory.create_batch(2)

    response = moderator_client.post(
        reverse(CHANGELIST), {"action": "publish_selected", "_selected_action": [s.pk for s in stories]}
    )

    assert response.status_code == 302
    assert set(Story.objects.values_list("status", flat=True)) == {Status.PUBLISHED}
    assert ModerationLogEntry.objects.filter(action=Action.PUBLISH, actor=moderator).count() == 2
    assert messages_of(response) == ["2 story(ies) published."]


def test_bulk_publish_reports_an_illegal_transition_per_story(moderator_client):
    pending = StoryFactory(title="Fine")
    declined = StoryFactory(title="Was declined", declined=True)

    response = moderator_client.post(
        reverse(CHANGELIST), {"action": "publish_selected", "_selected_action": [pending.pk, declined.pk]}
    )

    assert response.status_code == 302
    declined.refresh_from_db()
    assert declined.status == Status.DECLINED
    assert Story.objects.get(pk=pending.pk).status == Status.PUBLISHED
    assert messages_of(response) == [
        "Was declined: A story cannot go from declined to published.",
        "1 story(ies) published.",
    ]


def test_bulk_decline_first_asks_for_one_reason(moderator_client):
    stories = StoryFactory.create_batch(2)

    response = moderator_client.post(
        reverse(CHANGELIST), {"action": "decline_selected", "_selected_action": [s.pk for s in stories]}
    )

    assert response.status_code == 200
    html = response.content.decode()
    for value, _label in Story.DeclineReason.choices:
        assert f'value="{value}"' in html
    assert set(Story.objects.values_list("status", flat=True)) == {Status.PENDING}


def test_bulk_decline_declines_each_with_the_reason_and_note(moderator_client):
    stories = StoryFactory.create_batch(2)

    moderator_client.post(
        reverse(CHANGELIST),
        {
            "action": "decline_selected",
            "apply": "yes",
            "_selected_action": [s.pk for s in stories],
            "reason_code": "not_personal",
            "note": "We publish personal stories.",
        },
    )

    assert set(Story.objects.values_list("status", "decline_reason_code", "decline_note")) == {
        (Status.DECLINED, "not_personal", "We publish personal stories.")
    }


def test_bulk_decline_with_other_reason_and_no_note_is_refused(moderator_client):
    story = StoryFactory()

    response = moderator_client.post(
        reverse(CHANGELIST),
        {
            "action": "decline_selected",
            "apply": "yes",
            "_selected_action": [story.pk],
            "reason_code": "other",
        },
    )

    assert response.status_code == 200
    assert response.context["form"].errors["note"][0].startswith("Explain the reason")
    assert Story.objects.get().status == Status.PENDING


# --- The change page -----------------------------------------------------------------


def test_change_page_previews_the_story_with_the_public_include(moderator_client):
    story = StoryFactory(body="First.\n\nSecond.", content_note="Mentions war.", with_photo=True)

    html = moderator_client.get(change_url(story)).content.decode()

    preview = re.search(r'<div class="story-preview-admin__page[^"]*">.*?</details>', html, re.DOTALL).group()
    assert '<div class="story-text prose" lang="en" dir="auto">' in preview
    assert "<p>First.</p>\n<p>Second.</p>" in preview
    assert "Mentions war." in preview
    assert f'srcset="{story.photo_webp_srcset}"' in preview


def test_change_page_shows_script_in_title_and_text_as_text(moderator_client):
    story = StoryFactory(title=SCRIPT, body=SCRIPT)

    html = moderator_client.get(change_url(story)).content.decode()

    assert "<script>alert(1)" not in html
    assert "<img src=x" not in html
    preview = re.search(r'<div class="story-preview-admin__page[^"]*">.*?</details>', html, re.DOTALL).group()
    assert preview.count("&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;") == 2


def test_change_page_lists_and_marks_privacy_hints(moderator_client):
    story = StoryFactory(
        title="Write to amina@example.org",
        body="Call +44 20 7946 0958 or see https://amina.example/blog.",
        name="Amina",
        city_or_region="12 Church Road",
    )

    html = moderator_client.get(change_url(story)).content.decode()

    hints = re.search(r'<ul class="privacy-hints">.*?</ul>', html, re.DOTALL).group()
    assert re.findall(r'<strong>(.*?)</strong>: (.*?) <mark dir="(.*?)">(.*?)</mark>', hints) == [
        ("Title", "email address", "ltr", "amina@example.org"),
        ("Story", "phone number", "ltr", "+44 20 7946 0958"),
        ("Story", "web link", "ltr", "https://amina.example/blog"),
        ("City or region", "street address", "auto", "12 Church Road"),
    ]
    assert '<mark class="privacy-hint" title="phone number">+44 20 7946 0958</mark>' in html
    assert '<mark class="privacy-hint" title="email address">amina@example.org</mark>' in html


def test_change_page_shows_the_moderation_log_and_reports_read_only(moderator_client, moderator):
    story = StoryFactory()
    story.publish(by=moderator)
    Report.objects.create(story=story, reason="hate", comment="Names a street")

    html = moderator_client.get(change_url(story)).content.decode()

    assert "Names a street" in html
    assert moderator.username in html
    assert 'name="log_entries-0-note"' not in html
    assert 'name="reports-0-comment"' not in html


def test_saving_corrections_goes_through_redact_and_is_logged(moderator_client, moderator):
    story = StoryFactory(title="Amina Haddad's story", body="Text.", tags=["work"])

    response = moderator_client.post(
        change_url(story), change_form_data(story, title="A story", tags="work, family")
    )

    assert response.status_code == 302
    story.refresh_from_db()
    assert (story.title, story.status) == ("A story", Status.PENDING)
    assert sorted(tag.name for tag in story.tags.all()) == ["family", "work"]
    entry = story.log_entries.get()
    assert (entry.action, entry.actor, entry.note) == (Action.REDACT, moderator, "Changed: title, tags.")


def test_saving_without_changes_logs_nothing(moderator_client):
    story = StoryFactory(tags=["work"])

    moderator_client.post(change_url(story), change_form_data(story))

    assert not story.log_entries.exists()


def test_status_cannot_be_changed_in_the_change_form(moderator_client):
    story = StoryFactory()

    moderator_client.post(change_url(story), change_form_data(story, status="published", is_featured="on"))

    story.refresh_from_db()
    assert (story.status, story.is_featured) == (Status.PENDING, False)


def test_removing_the_photo_is_a_logged_redaction(moderator_client):
    story = StoryFactory(with_photo=True)

    moderator_client.post(change_url(story), change_form_data(story, remove_photo="on"))

    story.refresh_from_db()
    assert (story.photo_renditions, story.photo_alt_text) == ([], "")
    assert story.log_entries.get().action == Action.REDACT


def test_naming_a_minor_is_refused_with_an_error(moderator_client):
    story = StoryFactory(minor=True, name="Amina")

    response = moderator_client.post(change_url(story), change_form_data(story, naming="full_name"))

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["naming"] == [
        "A story by someone under 18 can only be published anonymously."
    ]
    story.refresh_from_db()
    assert story.naming == Story.Naming.ANONYMOUS


def test_withdrawn_story_change_page_is_read_only_without_buttons(moderator_client):
    story = StoryFactory()
    story.withdraw()

    response = moderator_client.get(change_url(story))

    assert response.status_code == 200
    assert response.context["moderation_actions"] == []
    assert 'name="title"' not in response.content.decode()


# --- Buttons -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("traits", "offered"),
    [
        ({}, ["publish", "decline", "request_changes", "claim", "replace_link"]),
        ({"changes_requested": True}, ["decline", "claim", "replace_link"]),
        ({"published": True}, ["unpublish", "feature", "claim", "replace_link"]),
        ({"featured": True}, ["unpublish", "unfeature", "claim", "replace_link"]),
        ({"unpublished": True}, ["publish", "claim", "replace_link"]),
        ({"declined": True}, ["reopen", "claim", "replace_link"]),
        (
            {"declined": True, "replied_at": timezone.now()},
            ["reopen", "keep_declined", "claim", "replace_link"],
        ),
    ],
)
def test_change_page_offers_the_actions_of_the_status(moderator_client, traits, offered):
    story = StoryFactory(**traits)

    response = moderator_client.get(change_url(story))

    assert [action.name for action in response.context["moderation_actions"]] == offered


@pytest.mark.parametrize("action", ["publish", "decline", "request_changes", "unpublish", "feature"])
def test_opening_a_button_page_changes_nothing(moderator_client, action):
    story = StoryFactory()

    response = moderator_client.get(moderate_url(story, action))

    assert response.status_code == 200
    story.refresh_from_db()
    assert (story.status, story.is_featured) == (Status.PENDING, False)
    assert not story.log_entries.exists()


def test_publish_button_publishes(moderator_client, moderator):
    story = StoryFactory()

    response = moderator_client.post(moderate_url(story, "publish"))

    assert response["Location"] == change_url(story)
    story.refresh_from_db()
    assert story.status == Status.PUBLISHED
    assert story.log_entries.get().actor == moderator


def test_decline_button_declines_with_reason_and_note(moderator_client):
    story = StoryFactory()

    moderator_client.post(moderate_url(story, "decline"), {"reason_code": "spam", "note": "An advert."})

    story.refresh_from_db()
    assert (story.status, story.decline_reason_code, story.decline_note) == (
        Status.DECLINED,
        "spam",
        "An advert.",
    )


def test_decline_button_without_reason_shows_the_form_again(moderator_client):
    story = StoryFactory()

    response = moderator_client.post(moderate_url(story, "decline"), {"note": "Hmm"})

    assert response.status_code == 200
    assert response.context["form"].errors["reason_code"] == ["This field is required."]
    assert Story.objects.get().status == Status.PENDING


def test_request_changes_button_needs_a_note(moderator_client):
    story = StoryFactory()

    response = moderator_client.post(moderate_url(story, "request_changes"), {"note": ""})

    assert response.context["form"].errors["note"] == ["This field is required."]
    moderator_client.post(moderate_url(story, "request_changes"), {"note": "Remove the street."})
    story.refresh_from_db()
    assert (story.status, story.decline_note) == (Status.CHANGES_REQUESTED, "Remove the street.")


def test_unpublish_feature_and_unfeature_buttons(moderator_client):
    story = StoryFactory(published=True)

    moderator_client.post(moderate_url(story, "feature"))
    story.refresh_from_db()
    assert story.is_featured
    moderator_client.post(moderate_url(story, "unfeature"))
    story.refresh_from_db()
    assert not story.is_featured
    moderator_client.post(moderate_url(story, "unpublish"), {"note": "Taken down for now."})
    story.refresh_from_db()
    assert story.status == Status.UNPUBLISHED


def test_illegal_button_is_an_error_message_not_a_500(moderator_client):
    story = StoryFactory(declined=True)

    response = moderator_client.post(moderate_url(story, "publish"))

    assert response.status_code == 302
    assert messages_of(response) == ["A story cannot go from declined to published."]
    story.refresh_from_db()
    assert story.status == Status.DECLINED


def test_unknown_button_is_404(moderator_client):
    story = StoryFactory()

    assert moderator_client.post(moderate_url(story, "delete")).status_code == 404


def test_buttons_are_refused_to_staff_outside_the_group(client):
    client.force_login(UserFactory(is_staff=True))
    story = StoryFactory()

    response = client.post(moderate_url(story, "publish"))

    assert response.status_code == 403
    assert Story.objects.get().status == Status.PENDING


# --- Reports ----------------------------------------------------------------------------


def test_dismiss_reports_button_marks_open_reports_handled(moderator_client, moderator):
    story = StoryFactory(published=True)
    Report.objects.create(story=story, reason="hate")
    Report.objects.create(story=story, reason="spam")

    moderator_client.post(reverse("admin:stories_story_dismiss_reports", args=[story.pk]))

    assert set(Report.objects.values_list("handled_by", flat=True)) == {moderator.pk}
    assert Story.objects.get().status == Status.PUBLISHED


def test_report_admin_marks_reports_handled(moderator_client, moderator):
    report = Report.objects.create(story=StoryFactory(published=True), reason="hate")

    moderator_client.post(
        reverse("admin:stories_report_changelist"),
        {"action": "mark_handled", "_selected_action": [report.pk]},
    )

    report.refresh_from_db()
    assert report.handled_by == moderator
    assert report.handled_at is not None


def test_topic_filter_isolates_each_topic_people_wrote(moderator_client):
    StoryFactory(tags=["work"])

    html = moderator_client.get(reverse(CHANGELIST)).content.decode()

    assert '<a href="?tag=work"><bdi>work</bdi></a>' in html


@pytest.mark.parametrize("page", [CHANGELIST, "admin:stories_report_changelist", "admin:index"])
def test_admin_pages_load_the_admin_stylesheet_once(moderator_client, page):
    html = moderator_client.get(reverse(page)).content.decode()

    assert html.count("css/stories-admin.css") == 1
