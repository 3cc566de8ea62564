"""The admin pages moderators and volunteer translators work in, in English
and in Arabic (right to left), in a real browser: no WCAG 2.2 AA violation
(axe-core), no HTML error (Nu HTML Checker), no console error or CSP
violation, and no English interface text left on the Arabic pages (ours or
Django's). Each page is seen as the person who uses it sees it, logged in
with the demo accounts `make run` prints; the stories and translations come
from the demo content, so the story page shows its preview and privacy hints.
Screenshots of the Arabic pages at 360 px are saved for people to look at."""

import json
from dataclasses import dataclass, field

import pytest
from django.urls import reverse

from tests.browser.accounts import log_in
from tests.browser.conftest import axe_violations, committed_demo_content, open_page, save_artifacts
from tests.browser.english_left import (
    VISIBLE_TEXT_NODES_JS,
    django_admin_catalogues,
    english_interface_text,
    english_left,
    whole_english_left,
    whole_english_messages,
)
from tests.browser.site_audit import nu_html_errors
from tests.browser.tools import ARTIFACTS
from tests.stories.factories import StoryFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

ADMIN_LANGUAGES = ("en", "ar")
NARROW_WIDTH = 360
SCREENSHOTS = ARTIFACTS / "admin"


@dataclass
class AdminPage:
    label: str
    status: int
    html: str
    text_nodes: list
    axe_violations: list = field(default_factory=list)
    browser_problems: list = field(default_factory=list)
    nu_errors: list = field(default_factory=list)
    english_left: list = field(default_factory=list)
    artifacts: list = field(default_factory=list)


def story_with_privacy_hints():
    """A story awaiting review whose text the privacy check flags (an email
    address, a phone number), written in Arabic: the moderator's English
    page must keep it right to left. The demo content has none."""
    return StoryFactory(
        title="خبز كل صباح",
        body=(
            "عندما وصلنا إلى المدينة كان المطر يهطل ولم نكن نعرف أحداً. "
            "كانت جارتنا تعطي أطفالي الخبز كل صباح.\n\n"
            "اكتبوا لي على amina@example.org أو اتصلوا على +32 470 12 34 56."
        ),
        language="ar",
    )


def moderator_pages():
    """What a moderator opens: the story list (the queue, also filtered),
    their preferences, a story's page with its preview and privacy hints
    and a moderation step's confirmation, the reports, the translations to
    review and the review's confirmation, and the moderation dashboard with
    its chart."""
    from stories.models import StoryTranslation

    story = story_with_privacy_hints()
    translation = StoryTranslation.objects.filter(status=StoryTranslation.Status.PENDING).first()
    return {
        "admin index": reverse("admin:index"),
        "story list": reverse("admin:stories_story_changelist"),
        # The queue's filters at work, and the moderator's own preferences.
        "story list, overdue": reverse("admin:stories_story_changelist") + "?overdue=yes",
        "moderation preferences": reverse("admin:stories_story_preferences"),
        "story change page": reverse("admin:stories_story_change", args=[story.pk]),
        "story decline step": reverse("admin:stories_story_moderate", args=[story.pk, "decline"]),
        "report list": reverse("admin:stories_report_changelist"),
        "translation list": reverse("admin:stories_storytranslation_changelist"),
        "translation review": reverse("admin:stories_storytranslation_change", args=[translation.pk]),
        "translation return step": reverse(
            "admin:stories_storytranslation_review", args=[translation.pk, "return"]
        ),
        "moderation dashboard": reverse("admin:moderation_dashboard"),
    }


def translator_pages():
    """What a volunteer translator opens: their translations, one of them,
    and the form for a new one."""
    from stories.models import Story, StoryTranslation

    translation = StoryTranslation.objects.order_by("pk").first()
    story = Story.objects.published().order_by("pk").first()
    return {
        "translation list": reverse("admin:stories_storytranslation_changelist"),
        "translation change page": reverse("admin:stories_storytranslation_change", args=[translation.pk]),
        "new translation": reverse("admin:stories_storytranslation_add") + f"?story={story.pk}",
    }


def visit(page, label, path, english):
    """Check one admin page; ``english`` is (fragments, whole messages) of
    English interface text it must not show (empty on English pages)."""
    page.problems.clear()
    response = page.goto(path)
    shown = AdminPage(
        label=label,
        status=response.status,
        html=response.text(),
        text_nodes=page.evaluate(VISIBLE_TEXT_NODES_JS),
        axe_violations=axe_violations(page),
        browser_problems=list(page.problems),
    )
    fragments, messages = english
    text = " ".join(" ".join(shown.text_nodes).split())
    left = {*english_left(text, fragments), *whole_english_left(shown.text_nodes, messages)}
    shown.english_left = sorted(left)
    if shown.axe_violations or shown.browser_problems or shown.english_left:
        shown.artifacts = save_artifacts(f"admin-{label}", page)
    return shown


@pytest.fixture(scope="module")
def admin_pages(browser, site_server, django_db_blocker, tmp_path_factory):
    """Every admin page above, as its user sees it, in each admin language;
    the Arabic ones also photographed on a 360 px screen."""
    from stories.demo import DEMO_TRANSLATOR
    from together.demo import DEMO_MODERATOR

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    shown = []
    with committed_demo_content(django_db_blocker, tmp_path_factory):
        people = {
            "moderator": (DEMO_MODERATOR, moderator_pages()),
            "translator": (DEMO_TRANSLATOR, translator_pages()),
        }
        for language in ADMIN_LANGUAGES:
            english = (set(), set())
            if language != "en":
                # Ours and Django's: the admin speaks with both.
                fragments = english_interface_text(language, django_admin_catalogues(language))
                english = (fragments, whole_english_messages(language, django_admin_catalogues("en")))
            for person, ((username, password), pages) in people.items():
                page = open_page(browser, site_server, locale=language)
                log_in(page, username, password)
                # Django's header greets the person by username ("moderator"):
                # a name, not interface text.
                not_names = tuple(words - {username} for words in english)
                for name, path in pages.items():
                    shown.append(visit(page, f"{language} {person}: {name}", path, not_names))
                if language == "ar":
                    page.set_viewport_size({"width": NARROW_WIDTH, "height": 900})
                    for name, path in pages.items():
                        page.goto(path)
                        file_name = f"{language}-{person}-{name.replace(' ', '-')}-{NARROW_WIDTH}.png"
                        page.screenshot(path=SCREENSHOTS / file_name, full_page=True)
                page.context.close()
    nu_errors = nu_html_errors(shown)
    for page in shown:
        page.nu_errors = nu_errors.get(page.label, [])
        if page.nu_errors and not page.artifacts:
            page.artifacts = save_artifacts(f"admin-{page.label}", html=page.html)
    kept = {key for key in AdminPage.__dataclass_fields__ if key not in {"html", "text_nodes"}}
    summary = [{key: getattr(page, key) for key in kept} for page in shown]
    (ARTIFACTS / "admin-audit.json").write_text(json.dumps(summary, indent=1, ensure_ascii=False))
    return shown


def problems(pages, attribute):
    return {
        page.label: (getattr(page, attribute), page.artifacts) for page in pages if getattr(page, attribute)
    }


def test_admin_audit_sees_each_page_of_each_person_in_each_language(admin_pages):
    labels = [page.label for page in admin_pages]

    assert len(labels) == len(set(labels)) == 2 * (11 + 3)
    assert {page.status for page in admin_pages} == {200}


def test_story_change_page_shows_its_preview_and_privacy_hints_in_arabic(admin_pages):
    story_page = next(page for page in admin_pages if page.label == "ar moderator: story change page")

    assert 'class="story-preview-admin"' in story_page.html
    assert 'class="privacy-hints"' in story_page.html
    assert 'lang="ar" dir="rtl"' in story_page.html


def test_admin_pages_have_no_wcag_violation(admin_pages):
    assert problems(admin_pages, "axe_violations") == {}


def test_admin_pages_have_no_html_error(admin_pages):
    assert problems(admin_pages, "nu_errors") == {}


def test_admin_pages_log_no_console_error_or_csp_violation(admin_pages):
    assert problems(admin_pages, "browser_problems") == {}


def test_arabic_admin_pages_show_no_english_interface_text(admin_pages):
    arabic = [page for page in admin_pages if page.label.startswith("ar ")]

    assert arabic
    assert problems(arabic, "english_left") == {}
