from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from stories.models import IllegalTransition, ModerationLogEntry, Report, Story, moderator_addresses
from tests.stories.factories import ModeratorFactory, StoryFactory, make_photo_renditions
from together.models import OutboundEmail

pytestmark = pytest.mark.django_db

Status = Story.Status
Action = ModerationLogEntry.Action


def stories_in_every_status():
    return {
        Status.PENDING: StoryFactory(),
        Status.CHANGES_REQUESTED: StoryFactory(changes_requested=True),
        Status.PUBLISHED: StoryFactory(published=True),
        Status.DECLINED: StoryFactory(declined=True),
        Status.UNPUBLISHED: StoryFactory(unpublished=True),
        Status.WITHDRAWN: StoryFactory(status=Status.WITHDRAWN),
    }


# --- Submitting ------------------------------------------------------------------

SUBMITTED = {
    "title": "Bread every morning",
    "body": "A woman from the bakery gave my children bread every morning.",
    "teller_role": Story.TellerRole.REFUGEE,
    "language": "en",
}


def test_submit_records_a_pending_story_with_its_consent_and_tags():
    story = Story.submit(
        **SUBMITTED, email="amira@example.org", consent_version="2025-01", site_language="fr", tags=["bakery"]
    )

    story.refresh_from_db()
    assert (story.status, story.consent_version, story.site_language, story.email) == (
        Status.PENDING,
        "2025-01",
        "fr",
        "amira@example.org",
    )
    assert story.consented_at is not None
    assert list(story.tags.names()) == ["bakery"]


def test_submit_emails_the_storyteller_their_private_link():
    story = Story.submit(
        **SUBMITTED, email="amira@example.org", consent_version="2025-01", site_language="en"
    )

    email = OutboundEmail.objects.get()
    assert email.to == "amira@example.org"
    assert story.manage_token() in email.text_body


def test_submit_refuses_a_field_the_storyteller_does_not_write():
    with pytest.raises(ValueError, match="status"):
        Story.submit(
            **SUBMITTED,
            status=Status.PUBLISHED,
            email="amira@example.org",
            consent_version="2025-01",
            site_language="en",
        )

    assert not Story.objects.exists()


# --- Querysets -----------------------------------------------------------------


def test_published_is_only_stories_with_status_published():
    stories = stories_in_every_status()

    assert list(Story.objects.published()) == [stories[Status.PUBLISHED]]


def test_featured_is_published_and_featured_only():
    featured = StoryFactory(featured=True)
    StoryFactory(published=True)
    StoryFactory(is_featured=True, unpublished=True)

    assert list(Story.objects.featured()) == [featured]


def test_awaiting_moderation_is_pending_only():
    stories = stories_in_every_status()

    assert list(Story.objects.awaiting_moderation()) == [stories[Status.PENDING]]


# --- Presentation ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("naming", "name", "expected"),
    [
        (Story.Naming.ANONYMOUS, "Amina Haddad", "Anonymous"),
        (Story.Naming.FIRST_NAME, "Amina Haddad", "Amina"),
        (Story.Naming.FULL_NAME, "Amina Haddad", "Amina Haddad"),
        (Story.Naming.PSEUDONYM, "Blue Bird", "Blue Bird"),
        (Story.Naming.FULL_NAME, "", "Anonymous"),
    ],
)
def test_display_name_follows_naming_choice(naming, name, expected):
    assert Story(naming=naming, name=name).display_name == expected


def test_display_name_of_minor_is_always_anonymous():
    story = Story(naming=Story.Naming.FULL_NAME, name="Amina Haddad", is_minor=True)

    assert story.display_name == "Anonymous"


def test_slug_is_title_words_and_random_suffix():
    first = StoryFactory(title="Our first winter")
    second = StoryFactory(title="Our first winter")

    assert first.slug.startswith("our-first-winter-")
    assert second.slug.startswith("our-first-winter-")
    assert first.slug != second.slug
    assert len(first.slug.rsplit("-", 1)[1]) == 6


def test_slug_of_title_without_latin_letters_starts_with_story():
    assert StoryFactory(title="بيتي الجديد").slug.startswith("story-")


def test_language_is_rtl_for_arabic_and_pashto_only():
    assert (Story(language="ar").language_is_rtl, Story(language="ps").language_is_rtl) == (True, True)
    assert Story(language="fr").language_is_rtl is False


def test_photo_helpers_describe_stored_renditions():
    story = StoryFactory(with_photo=True)

    assert story.has_photo
    assert sorted((r.width, r.fmt) for r in story.renditions) == [
        (480, "jpeg"),
        (480, "webp"),
        (960, "jpeg"),
        (960, "webp"),
    ]
    assert (story.photo_fallback.fmt, story.photo_fallback.width) == ("jpeg", 960)
    assert [part.split()[1] for part in story.photo_webp_srcset.split(", ")] == ["480w", "960w"]
    assert story.photo_jpeg_srcset.split(", ")[0].endswith(".jpeg 480w")


# --- Private link ------------------------------------------------------------


def test_manage_token_opens_its_story():
    story = StoryFactory()

    assert Story.from_manage_token(story.manage_token()) == story


def test_manage_token_is_stable():
    story = StoryFactory()

    assert story.manage_token() == Story.objects.get(pk=story.pk).manage_token()


@pytest.mark.parametrize("token", ["", "abc", "MQ:forged-signature", "1"])
def test_from_manage_token_refuses_forged_tokens(token):
    StoryFactory()

    assert Story.from_manage_token(token) is None


def test_from_manage_token_refuses_token_signed_for_another_purpose():
    from django.core import signing

    story = StoryFactory()

    assert Story.from_manage_token(signing.Signer(salt="campaigns.pledge").sign_object(story.pk)) is None


def test_manage_url_is_absolute(settings):
    settings.SITE_URL = "https://together.example"
    story = StoryFactory()

    assert story.manage_url() == f"https://together.example/en/stories/manage/{story.manage_token()}/"


# --- Database constraints -------------------------------------------------------


def test_database_refuses_published_story_without_date():
    with pytest.raises(IntegrityError), transaction.atomic():
        StoryFactory(status=Status.PUBLISHED, published_at=None)


def test_database_refuses_named_story_by_minor():
    with pytest.raises(IntegrityError), transaction.atomic():
        StoryFactory(minor=True, naming=Story.Naming.FIRST_NAME, name="Amina")


def test_database_refuses_photo_on_story_by_minor():
    with pytest.raises(IntegrityError), transaction.atomic():
        StoryFactory(minor=True, photo_renditions=[{"width": 1, "height": 1, "fmt": "jpeg", "name": "x"}])


def test_database_accepts_anonymous_story_by_minor_without_photo():
    assert StoryFactory(minor=True).pk


def test_database_refuses_declined_story_without_reason():
    with pytest.raises(IntegrityError), transaction.atomic():
        StoryFactory(status=Status.DECLINED)


def test_database_refuses_unknown_status():
    with pytest.raises(IntegrityError), transaction.atomic():
        StoryFactory(status="deleted")


# --- Transitions: which are legal ----------------------------------------------

# Every state change, called the way the admin and the manage page call it.
ACTIONS = {
    "publish": lambda story, user: story.publish(by=user),
    "decline": lambda story, user: story.decline(by=user, reason_code="spam", note=""),
    "request_changes": lambda story, user: story.request_changes(by=user, note="Remove the street name."),
    "unpublish": lambda story, user: story.unpublish(by=user, note=""),
    "reopen": lambda story, user: story.reopen(by=user),
    "feature": lambda story, user: story.feature(by=user),
    "unfeature": lambda story, user: story.unfeature(by=user),
    "edit": lambda story, user: story.edit_by_storyteller(title="A better title"),
    "redact": lambda story, user: story.redact(by=user, body="Redacted text."),
    "reply": lambda story, user: story.reply_to_decline("Please look again."),
    "withdraw": lambda story, user: story.withdraw(),
}

# (action, from status) -> status after it; every pair not listed is illegal.
LEGAL = {
    ("publish", Status.PENDING): Status.PUBLISHED,
    ("publish", Status.UNPUBLISHED): Status.PUBLISHED,
    ("decline", Status.PENDING): Status.DECLINED,
    ("decline", Status.CHANGES_REQUESTED): Status.DECLINED,
    ("request_changes", Status.PENDING): Status.CHANGES_REQUESTED,
    ("unpublish", Status.PUBLISHED): Status.UNPUBLISHED,
    ("reopen", Status.DECLINED): Status.PENDING,
    ("feature", Status.PUBLISHED): Status.PUBLISHED,
    ("unfeature", Status.PUBLISHED): Status.PUBLISHED,
    ("edit", Status.PENDING): Status.PENDING,
    ("edit", Status.CHANGES_REQUESTED): Status.PENDING,
    **{("redact", status): status for status in Status if status != Status.WITHDRAWN},
    ("reply", Status.DECLINED): Status.DECLINED,
    **{("withdraw", status): Status.WITHDRAWN for status in Status if status != Status.WITHDRAWN},
}

ALL_PAIRS = [(action, status) for action in ACTIONS for status in Status]


def make_story(status):
    return {
        Status.PENDING: StoryFactory,
        Status.CHANGES_REQUESTED: lambda: StoryFactory(changes_requested=True),
        Status.PUBLISHED: lambda: StoryFactory(published=True),
        Status.DECLINED: lambda: StoryFactory(declined=True),
        Status.UNPUBLISHED: lambda: StoryFactory(unpublished=True),
        Status.WITHDRAWN: lambda: StoryFactory(status=Status.WITHDRAWN),
    }[status]()


@pytest.mark.parametrize(("action", "status"), [pair for pair in ALL_PAIRS if pair in LEGAL])
def test_legal_transition_changes_status_and_is_logged(action, status, moderator):
    story = make_story(status)

    ACTIONS[action](story, moderator)

    story.refresh_from_db()
    assert story.status == LEGAL[action, status]
    entry = story.log_entries.get()
    assert (entry.action, entry.from_status, entry.to_status) == (action, status, LEGAL[action, status])
    by_storyteller = action in {"edit", "reply", "withdraw"}
    assert (entry.by_storyteller, entry.actor) == (by_storyteller, None if by_storyteller else moderator)


@pytest.mark.parametrize(("action", "status"), [pair for pair in ALL_PAIRS if pair not in LEGAL])
def test_illegal_transition_is_refused_and_changes_nothing(action, status, moderator):
    story = make_story(status)
    before = Story.objects.values().get(pk=story.pk)

    with pytest.raises(IllegalTransition) as refused:
        ACTIONS[action](story, moderator)

    assert refused.value.code == "illegal_transition"
    assert Story.objects.values().get(pk=story.pk) == before
    assert not ModerationLogEntry.objects.exists()
    assert not OutboundEmail.objects.exists()


def test_illegal_transition_message_names_both_statuses(moderator):
    story = StoryFactory(declined=True)

    with pytest.raises(IllegalTransition, match="from declined to published"):
        story.publish(by=moderator)


def test_transition_checks_current_status_not_stale_copy(moderator):
    story = StoryFactory()
    stale_copy = Story.objects.get(pk=story.pk)
    story.publish(by=moderator)

    with pytest.raises(IllegalTransition):
        stale_copy.decline(by=moderator, reason_code="spam")

    assert Story.objects.get(pk=story.pk).status == Status.PUBLISHED


# --- Transitions: what each one does ------------------------------------------------


def test_publish_sets_dates_and_emails_storyteller_with_private_link(moderator, mailoutbox):
    story = StoryFactory(email="amina@example.org")

    story.publish(by=moderator)

    story.refresh_from_db()
    assert story.published_at is not None
    assert story.decided_at == story.published_at
    assert [m.to for m in mailoutbox] == [["amina@example.org"]]
    assert mailoutbox[0].subject == "Your story is published"
    assert story.manage_url() in mailoutbox[0].body


def test_publish_saves_only_changed_fields(moderator):
    story = StoryFactory(title="Original")
    Story.objects.filter(pk=story.pk).update(title="Changed meanwhile by a moderator")

    story.publish(by=moderator)

    assert Story.objects.get(pk=story.pk).title == "Changed meanwhile by a moderator"


def test_republish_keeps_first_publication_and_decision_dates(moderator):
    story = StoryFactory()
    story.publish(by=moderator)
    first_published_at = story.published_at
    story.unpublish(by=moderator, note="Checking a detail.")

    story.publish(by=moderator)

    story.refresh_from_db()
    assert (story.published_at, story.decided_at) == (first_published_at, first_published_at)
    assert list(story.log_entries.order_by("pk").values_list("action", flat=True)) == [
        "publish",
        "unpublish",
        "publish",
    ]


def test_decline_records_reason_and_note_and_emails_them(moderator, mailoutbox):
    story = StoryFactory()

    story.decline(by=moderator, reason_code="identifies_person", note="Your street is named.")

    story.refresh_from_db()
    assert (story.status, story.decline_reason_code, story.decline_note) == (
        Status.DECLINED,
        "identifies_person",
        "Your street is named.",
    )
    assert story.decided_at is not None
    assert story.log_entries.get().note == "Your street is named."
    assert "It could identify or endanger a person" in mailoutbox[0].body
    assert "Your street is named." in mailoutbox[0].body


def test_decline_refuses_unknown_reason(moderator):
    story = StoryFactory()

    with pytest.raises(ValidationError) as refused:
        story.decline(by=moderator, reason_code="boring")

    assert refused.value.code == "invalid_reason"
    assert Story.objects.get(pk=story.pk).status == Status.PENDING


def test_decline_for_other_reason_requires_note(moderator):
    with pytest.raises(ValidationError) as refused:
        StoryFactory().decline(by=moderator, reason_code="other", note=" ")

    assert refused.value.code == "note_required"


def test_request_changes_requires_note(moderator):
    with pytest.raises(ValidationError) as refused:
        StoryFactory().request_changes(by=moderator, note="")

    assert refused.value.code == "note_required"


def test_request_changes_emails_note_and_private_link(moderator, mailoutbox):
    story = StoryFactory()

    story.request_changes(by=moderator, note="Please remove your sister's name.")

    assert "Please remove your sister's name." in mailoutbox[0].body
    assert story.manage_url() in mailoutbox[0].body


def test_storyteller_edit_after_request_returns_story_to_pending(moderator):
    story = StoryFactory()
    story.request_changes(by=moderator, note="Please remove the street name.")

    story.edit_by_storyteller(body="We arrived in winter, in a large city.", tags=["winter"])

    story.refresh_from_db()
    assert (story.status, story.body) == (Status.PENDING, "We arrived in winter, in a large city.")
    assert list(story.tags.names()) == ["winter"]
    edit = story.log_entries.get(action=Action.EDIT)
    assert (edit.from_status, edit.to_status, edit.by_storyteller) == (
        Status.CHANGES_REQUESTED,
        Status.PENDING,
        True,
    )
    assert edit.note == "Changed: story, tags."


def test_storyteller_edit_refuses_fields_they_cannot_change():
    story = StoryFactory()

    with pytest.raises(ValueError, match="status"):
        story.edit_by_storyteller(status=Status.PUBLISHED)

    assert Story.objects.get(pk=story.pk).status == Status.PENDING


def test_storyteller_photo_replacement_deletes_old_files_on_commit(
    settings, django_capture_on_commit_callbacks
):
    story = StoryFactory(with_photo=True)
    old_files = [Path(settings.MEDIA_ROOT, r.name) for r in story.renditions]
    new_renditions = make_photo_renditions()

    with django_capture_on_commit_callbacks(execute=True):
        story.edit_by_storyteller(photo_renditions=new_renditions)

    assert [path.exists() for path in old_files] == [False] * len(old_files)
    assert all(Path(settings.MEDIA_ROOT, r["name"]).exists() for r in new_renditions)


def test_unpublish_ends_featuring_and_emails_storyteller(moderator, mailoutbox):
    story = StoryFactory(featured=True)

    story.unpublish(by=moderator, note="A reader recognised a neighbour.")

    story.refresh_from_db()
    assert (story.status, story.is_featured) == (Status.UNPUBLISHED, False)
    assert "A reader recognised a neighbour." in mailoutbox[0].body
    assert story not in Story.objects.published()


def test_feature_and_unfeature_toggle_flag(moderator):
    story = StoryFactory(published=True)

    story.feature(by=moderator)
    assert Story.objects.get(pk=story.pk).is_featured
    story.unfeature(by=moderator)

    assert not Story.objects.get(pk=story.pk).is_featured
    assert list(story.log_entries.order_by("pk").values_list("action", flat=True)) == ["feature", "unfeature"]


def test_redact_logs_changed_fields_and_keeps_status(moderator):
    story = StoryFactory(published=True, name="Amina Haddad", naming=Story.Naming.FULL_NAME)

    story.redact(by=moderator, naming=Story.Naming.FIRST_NAME, note="Surname removed on request.")

    story.refresh_from_db()
    assert (story.status, story.display_name) == (Status.PUBLISHED, "Amina")
    entry = story.log_entries.get()
    assert (entry.action, entry.actor, entry.note) == (
        Action.REDACT,
        moderator,
        "Changed: how to be named. Surname removed on request.",
    )


def test_reply_to_decline_is_stored_and_emailed_to_moderators(settings, moderator, mailoutbox):
    settings.MODERATION_EMAIL = "moderation@together.example"
    ModeratorFactory(is_active=False, email="gone@together.example")
    story = StoryFactory(declined=True)

    story.reply_to_decline("It is my own story; please read it again.")

    story.refresh_from_db()
    assert story.storyteller_reply == "It is my own story; please read it again."
    assert story.replied_at is not None
    assert story.log_entries.get().note == ""
    assert sorted(m.to[0] for m in mailoutbox) == ["moderation@together.example", moderator.email]
    assert "It is my own story; please read it again." in mailoutbox[0].body


def test_reply_to_decline_only_once():
    story = StoryFactory(declined=True)
    story.reply_to_decline("Please look again.")

    with pytest.raises(ValidationError) as refused:
        story.reply_to_decline("And again.")

    assert refused.value.code == "already_replied"
    assert Story.objects.get(pk=story.pk).storyteller_reply == "Please look again."


def test_reply_to_decline_refuses_empty_text():
    with pytest.raises(ValidationError) as refused:
        StoryFactory(declined=True).reply_to_decline("  ")

    assert refused.value.code == "required"


def test_moderator_addresses_without_group_or_setting_is_empty(settings):
    settings.MODERATION_EMAIL = ""

    assert moderator_addresses() == []


# --- Withdrawal ----------------------------------------------------------------------


@pytest.fixture
def withdrawn_story(settings, moderator, django_capture_on_commit_callbacks):
    """A published story with everything personal in it, then withdrawn."""
    story = StoryFactory(
        title="How Amira found a home",
        body="My name is Amira and I live on Rose Street.",
        naming=Story.Naming.FULL_NAME,
        name="Amira Haddad",
        email="amira@example.org",
        country_of_origin="SY",
        country_of_residence="BE",
        city_or_region="Liège",
        content_note="Mentions war.",
        with_photo=True,
        tags=["family", "work"],
    )
    story.publish(by=moderator)
    story.feature(by=moderator)
    story.files = [Path(settings.MEDIA_ROOT, r.name) for r in story.renditions]
    assert all(path.exists() for path in story.files)
    assert OutboundEmail.objects.filter(to="amira@example.org").exists()

    with django_capture_on_commit_callbacks(execute=True):
        story.withdraw()
    return story


def test_withdraw_erases_everything_personal(withdrawn_story):
    story = Story.objects.get(pk=withdrawn_story.pk)

    assert story.status == Status.WITHDRAWN
    erased = [
        "title",
        "body",
        "name",
        "email",
        "city_or_region",
        "content_note",
        "photo_alt_text",
        "decline_note",
        "storyteller_reply",
    ]
    assert {field: getattr(story, field) for field in erased} == dict.fromkeys(erased, "")
    assert (story.country_of_origin, story.country_of_residence) == ("", "")
    assert (story.naming, story.photo_renditions, story.is_featured) == (Story.Naming.ANONYMOUS, [], False)
    assert list(story.tags.all()) == []


def test_withdraw_deletes_photo_files(withdrawn_story):
    assert [path.exists() for path in withdrawn_story.files] == [False] * len(withdrawn_story.files)


def test_withdraw_erases_stored_emails_to_storyteller(withdrawn_story):
    assert not OutboundEmail.objects.filter(to="amira@example.org").exists()


def test_withdraw_removes_story_from_public_queryset(withdrawn_story):
    assert not Story.objects.published().filter(pk=withdrawn_story.pk).exists()


def test_withdraw_drops_title_words_from_slug(withdrawn_story):
    slug = Story.objects.get(pk=withdrawn_story.pk).slug

    assert slug.startswith("withdrawn-")
    assert "amira" not in slug


def test_withdraw_keeps_dates_and_log_without_notes(withdrawn_story):
    story = Story.objects.get(pk=withdrawn_story.pk)

    assert story.published_at is not None
    assert story.decided_at is not None
    assert list(story.log_entries.order_by("pk").values_list("action", "note")) == [
        ("publish", ""),
        ("feature", ""),
        ("withdraw", ""),
    ]


def test_withdraw_keeps_photo_files_when_transaction_rolls_back(settings):
    story = StoryFactory(with_photo=True)
    files = [Path(settings.MEDIA_ROOT, r.name) for r in story.renditions]

    def withdraw_then_fail():
        with transaction.atomic():
            story.withdraw()
            raise RuntimeError("the request failed after the withdrawal")

    with pytest.raises(RuntimeError):
        withdraw_then_fail()

    assert all(path.exists() for path in files)
    assert Story.objects.get(pk=story.pk).status == Status.PENDING


def test_decided_at_is_first_decision_only(moderator):
    story = StoryFactory(submitted_at=timezone.now() - timezone.timedelta(days=3))
    story.decline(by=moderator, reason_code="duplicate")
    decided_at = story.decided_at
    story.reopen(by=moderator, note="Not a duplicate after all.")

    story.publish(by=moderator)

    assert Story.objects.get(pk=story.pk).decided_at == decided_at


def test_withdraw_from_stale_copy_deletes_the_current_photo_files(
    settings, django_capture_on_commit_callbacks
):
    story = StoryFactory(with_photo=True)
    stale_copy = Story.objects.get(pk=story.pk)
    story.edit_by_storyteller(photo_renditions=make_photo_renditions())
    current_files = [Path(settings.MEDIA_ROOT, r.name) for r in Story.objects.get(pk=story.pk).renditions]

    with django_capture_on_commit_callbacks(execute=True):
        stale_copy.withdraw()

    assert [path.exists() for path in current_files] == [False] * len(current_files)


def test_reply_from_stale_copy_is_refused_after_first_reply():
    story = StoryFactory(declined=True)
    stale_copy = Story.objects.get(pk=story.pk)
    story.reply_to_decline("First answer.")

    with pytest.raises(ValidationError) as refused:
        stale_copy.reply_to_decline("Second answer.")

    assert refused.value.code == "already_replied"


def test_withdraw_erases_comments_of_readers_reports(django_capture_on_commit_callbacks):
    story = StoryFactory(published=True)
    report = Report.objects.create(
        story=story,
        reason=Report.Reason.IDENTIFIES_PERSON,
        comment="The author Amira lives at 12 Rose Street.",
    )

    with django_capture_on_commit_callbacks(execute=True):
        story.withdraw()

    report.refresh_from_db()
    assert report.comment == ""
