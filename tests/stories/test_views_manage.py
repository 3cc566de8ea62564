"""The storyteller's private pages (status, edit, reply, withdrawal) and the
request for lost links."""

import re
from pathlib import Path

import pytest
from django.core import mail

from stories.forms import ManageLinkRequestForm
from stories.models import ModerationLogEntry, Story
from tests.html_checks import outline
from tests.stories.factories import ModeratorFactory, StoryFactory
from tests.stories.sharing import (
    BODY,
    CREATE_URL,
    edit_data,
    error_codes,
    manage_url,
    media_files,
    photo_upload,
    submit,
)
from together.models import OutboundEmail

pytestmark = pytest.mark.django_db


# --- The private pages ---------------------------------------------------------------


def snapshot(story):
    return (
        Story.objects.values().get(pk=story.pk),
        list(story.tags.names()),
        ModerationLogEntry.objects.count(),
        OutboundEmail.objects.count(),
    )


@pytest.mark.parametrize(
    "factory_traits",
    [{}, {"changes_requested": True}, {"published": True}, {"declined": True}, {"unpublished": True}],
)
@pytest.mark.parametrize("page", ["", "edit", "withdraw"])
def test_opening_private_pages_changes_nothing(client, factory_traits, page):
    story = StoryFactory(with_photo=True, tags=["family"], **factory_traits)
    before = snapshot(story)

    response = client.get(manage_url(story, page))
    client.head(manage_url(story, page))

    assert response.status_code in {200, 302}
    assert snapshot(story) == before


@pytest.mark.parametrize("page", ["", "edit", "withdraw"])
def test_private_page_shows_200_when_usable(client, page):
    story = StoryFactory()

    response = client.get(manage_url(story, page))

    assert response.status_code == 200
    assert outline(response.content.decode()).h1_count == 1


def test_private_page_is_not_cached_or_indexed(client):
    response = client.get(manage_url(StoryFactory()))

    assert "no-cache" in response["Cache-Control"]
    html = response.content.decode()
    assert '<meta name="robots" content="noindex">' in html
    assert '<meta name="referrer" content="same-origin">' in html


@pytest.mark.parametrize(
    ("method", "page"),
    [
        ("get", ""),
        ("get", "edit/"),
        ("post", "edit/"),
        ("get", "withdraw/"),
        ("post", "withdraw/"),
        ("post", "reply/"),
    ],
)
def test_tampered_token_is_404(client, method, page):
    story = StoryFactory()
    token = story.manage_token()
    tampered = token[:-1] + ("A" if token[-1] != "A" else "B")

    response = getattr(client, method)(f"/en/stories/manage/{tampered}/{page}")

    assert response.status_code == 404
    assert Story.objects.get(pk=story.pk).status == Story.Status.PENDING


def test_token_of_deleted_story_is_404(client):
    story = StoryFactory()
    url = manage_url(story)
    story.delete()

    assert client.get(url).status_code == 404


def test_manage_page_shows_status_and_decline_reason(client):
    story = StoryFactory(
        declined=True, decline_reason_code="identifies_person", decline_note="A street is named."
    )

    html = client.get(manage_url(story)).content.decode()

    assert "declined" in html
    assert "It could identify or endanger a person" in html
    assert "A street is named." in html
    assert 'action="' + manage_url(story, "reply") + '"' in html


def test_manage_page_of_published_story_offers_no_edit(client):
    html = client.get(manage_url(StoryFactory(published=True))).content.decode()

    assert "Edit your story" not in html
    assert "Withdraw my story" in html


def test_edit_after_changes_requested_returns_story_to_pending(client):
    story = StoryFactory(changes_requested=True, body=BODY)

    response = client.post(manage_url(story, "edit"), edit_data(story, title="A better title"))

    assert response.status_code == 302
    assert response.url == manage_url(story)
    story.refresh_from_db()
    assert (story.status, story.title) == (Story.Status.PENDING, "A better title")
    entry = story.log_entries.get()
    assert (entry.action, entry.by_storyteller, entry.note) == ("edit", True, "Changed: title.")


def test_edit_keeps_the_same_validation(client):
    story = StoryFactory(body=BODY)

    response = client.post(manage_url(story, "edit"), edit_data(story, body="Short."))

    assert response.status_code == 200
    assert response.context["form"].errors.as_data()["body"][0].code == "min_length"
    assert Story.objects.get(pk=story.pk).body == BODY


def test_edit_of_published_story_is_refused_without_change(client):
    story = StoryFactory(published=True, body=BODY)

    response = client.post(manage_url(story, "edit"), edit_data(story, title="Changed"), follow=True)

    assert "can no longer be edited" in response.content.decode()
    assert Story.objects.get(pk=story.pk).title == story.title
    assert not ModerationLogEntry.objects.exists()


def test_edit_removing_photo_deletes_its_files(client, settings, django_capture_on_commit_callbacks):
    story = StoryFactory(with_photo=True, body=BODY)
    assert media_files(settings)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            manage_url(story, "edit"), edit_data(story, remove_photo="on", photo_people_consented=None)
        )

    story.refresh_from_db()
    assert (story.photo_renditions, story.photo_alt_text) == ([], "")
    assert media_files(settings) == []


def test_edit_replacing_photo_keeps_only_new_files(client, settings, django_capture_on_commit_callbacks):
    story = StoryFactory(with_photo=True, body=BODY)
    old_files = media_files(settings)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(manage_url(story, "edit"), edit_data(story, photo=photo_upload()))

    story.refresh_from_db()
    assert set(media_files(settings)) == {Path(settings.MEDIA_ROOT, r.name) for r in story.renditions}
    assert not set(old_files) & set(media_files(settings))


def test_reply_to_decline_is_sent_once(client, settings, mailoutbox):
    settings.MODERATION_EMAIL = "moderation@together.example"
    story = StoryFactory(declined=True)

    first = client.post(manage_url(story, "reply"), {"text": "It is my own story."})
    second = client.post(manage_url(story, "reply"), {"text": "Again."}, follow=True)

    assert first.status_code == 302
    assert Story.objects.get(pk=story.pk).storyteller_reply == "It is my own story."
    assert [m.to for m in mailoutbox] == [["moderation@together.example"]]
    assert "You have already replied to this decision." in second.content.decode()
    assert Story.objects.get(pk=story.pk).storyteller_reply == "It is my own story."


def test_reply_to_pending_story_is_refused(client):
    story = StoryFactory()

    response = client.post(manage_url(story, "reply"), {"text": "Hello"}, follow=True)

    assert "You can answer only when your story was declined." in response.content.decode()
    assert Story.objects.get(pk=story.pk).storyteller_reply == ""


def test_reply_over_rate_limit_answers_429(client, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "reply": "1/h"}
    client.post(manage_url(StoryFactory(declined=True), "reply"), {"text": "First"})

    response = client.post(manage_url(StoryFactory(declined=True), "reply"), {"text": "Second"})

    assert response.status_code == 429


def test_invalid_reply_counts_toward_the_address_limit(client, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "reply": "1/h"}
    story = StoryFactory(declined=True)
    client.post(manage_url(story, "reply"), {"text": ""})

    response = client.post(manage_url(story, "reply"), {"text": "It is my own story."})

    assert response.status_code == 429
    assert "It is my own story.</textarea>" in response.content.decode()
    assert Story.objects.get(pk=story.pk).storyteller_reply == ""


def test_withdraw_confirmation_page_posts_to_itself(client):
    story = StoryFactory(title="Bread every morning")

    html = client.get(manage_url(story, "withdraw")).content.decode()

    assert "Withdraw your story?" in html
    assert "Bread every morning" in html
    assert '<form method="post"' in html


def test_withdraw_through_private_link_erases_story_and_photo_files(
    client, settings, django_capture_on_commit_callbacks
):
    submit(
        client,
        photo=photo_upload(),
        photo_alt_text="A flag.",
        photo_people_consented="on",
        naming="full_name",
        name="Amina Haddad",
    )
    story = Story.objects.get()
    story.publish(by=ModeratorFactory())
    assert media_files(settings)
    url = manage_url(story)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(manage_url(story, "withdraw"))

    assert response.status_code == 302
    story.refresh_from_db()
    assert story.status == Story.Status.WITHDRAWN
    assert (story.title, story.body, story.name, story.email, story.photo_renditions) == ("", "", "", "", [])
    assert media_files(settings) == []
    assert not Story.objects.published().exists()
    assert not OutboundEmail.objects.filter(to="amina@example.org").exists()
    page = client.get(url).content.decode()
    assert "You withdrew this story" in page
    assert "Amina" not in page
    assert "Bread every morning" not in page


def test_withdraw_twice_shows_message_not_error(client):
    story = StoryFactory(status=Story.Status.WITHDRAWN)

    response = client.post(manage_url(story, "withdraw"), follow=True)

    assert response.status_code == 200
    assert "This story is already withdrawn." in response.content.decode()


def test_no_email_is_sent_on_withdrawal(client):
    story = StoryFactory(published=True)
    mail.outbox.clear()

    client.post(manage_url(story, "withdraw"))

    assert mail.outbox == []


# --- Page structure of every page here -------------------------------------------


@pytest.mark.parametrize(
    "page", ["share", "thanks", "manage", "edit", "withdraw", "share-with-errors", "link-request"]
)
def test_page_has_one_h1_main_skip_link_and_nothing_inline(client, page):
    story = StoryFactory(with_photo=True, declined=page == "manage")
    response = {
        "share": lambda: client.get(CREATE_URL),
        "share-with-errors": lambda: submit(client, title="", body="Short."),
        "thanks": lambda: client.get("/en/stories/share/thanks/"),
        "manage": lambda: client.get(manage_url(story)),
        "edit": lambda: client.get(manage_url(story, "edit")),
        "withdraw": lambda: client.get(manage_url(story, "withdraw")),
        "link-request": lambda: client.get("/en/stories/manage/"),
    }[page]()
    html = response.content.decode()
    page_outline = outline(html)

    assert response.status_code == 200
    assert (page_outline.h1_count, page_outline.main_count, page_outline.first_link_href) == (1, 1, "#main")
    assert (page_outline.inline_scripts, page_outline.style_attributes) == (0, 0)
    assert "<style" not in html


def test_edit_form_shows_current_tags_and_unchanged_tags_are_not_logged(client):
    story = StoryFactory(body=BODY, tags=["family", "work"])

    html = client.get(manage_url(story, "edit")).content.decode()
    client.post(manage_url(story, "edit"), edit_data(story, title="New title"))

    assert re.search(r'name="tags" value="family, work"', html)
    assert story.log_entries.get().note == "Changed: title."
    assert sorted(story.tags.names()) == ["family", "work"]


def test_share_post_without_any_field_shows_required_errors(client):
    response = client.post(CREATE_URL, {})

    assert response.status_code == 200
    assert error_codes(response, "title") == ["required"]
    assert not Story.objects.exists()


def test_share_form_lets_right_to_left_text_run_as_typed(client):
    html = client.get(CREATE_URL).content.decode()

    assert re.search(
        r'<textarea[^>]*name="body"[^>]*dir="auto"|<textarea[^>]*dir="auto"[^>]*name="body"', html
    )


# --- Sending the private links again -----------------------------------------------

REQUEST_URL = "/en/stories/manage/"


def request_links(client, email, **extra):
    started = ManageLinkRequestForm.issue_stamp()
    return client.post(REQUEST_URL, {"email": email, "website": "", "started": started}, **extra)


def test_link_request_emails_every_manageable_story_of_that_address(client, mailoutbox):
    first = StoryFactory(email="Amina@Example.org", title="First story")
    second = StoryFactory(email="amina@example.org", title="Second story", published=True)
    StoryFactory(email="someone-else@example.org", title="Not hers")
    StoryFactory(email="amina@example.org", status=Story.Status.WITHDRAWN, title="")

    response = request_links(client, "amina@example.org", follow=True)

    assert "we have just sent their private links" in response.content.decode()
    assert [m.to for m in mailoutbox] == [["amina@example.org"]]
    body = mailoutbox[0].body
    assert first.manage_url() in body
    assert second.manage_url() in body
    assert "Not hers" not in body


def test_link_request_for_unknown_address_answers_the_same_and_sends_nothing(client, mailoutbox):
    StoryFactory(email="amina@example.org")

    known = request_links(client, "amina@example.org", follow=True).content.decode()
    mailoutbox.clear()
    unknown = request_links(client, "nobody@example.org", follow=True).content.decode()

    assert mailoutbox == []
    message = "If stories were shared with this address, we have just sent their private links to it."
    assert message in known
    assert message in unknown


def test_link_request_over_rate_limit_answers_429(client, settings, mailoutbox):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "manage_link": "1/h"}
    StoryFactory(email="amina@example.org")
    request_links(client, "amina@example.org")

    response = request_links(client, "amina@example.org")

    assert response.status_code == 429
    assert len(mailoutbox) == 1


def test_invalid_link_request_counts_toward_the_address_limit(client, settings, mailoutbox):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "manage_link": "1/h"}
    StoryFactory(email="amina@example.org")
    request_links(client, "not an address")

    response = request_links(client, "amina@example.org")

    assert response.status_code == 429
    assert 'value="amina@example.org"' in response.content.decode()
    assert mailoutbox == []


def test_link_request_refuses_honeypot(client, mailoutbox):
    StoryFactory(email="amina@example.org")
    started = ManageLinkRequestForm.issue_stamp()

    response = client.post(REQUEST_URL, {"email": "amina@example.org", "website": "x", "started": started})

    assert response.status_code == 200
    assert mailoutbox == []


def test_thanks_page_links_to_link_request(client):
    assert f'href="{REQUEST_URL}"' in client.get("/en/stories/share/thanks/").content.decode()
