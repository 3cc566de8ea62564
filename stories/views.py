"""Sharing a story, the storyteller's private pages, and the public pages.

The private pages are reached with the signed token of the emailed link.
Opening any of them changes nothing (mail scanners and link previews follow
links); every change is a POST from a button on them.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from stories import topics
from stories.forms import (
    ManageLinkRequestForm,
    ReplyForm,
    ReportForm,
    StoryEditForm,
    StoryFilterForm,
    StoryForm,
)
from stories.models import IllegalTransition, Story
from stories.share import story_card
from stories.tasks import send_manage_links
from stories.transparency import monthly_moderation_figures
from together.abuse import RateLimited, check_email_rate_limit, check_rate_limit, rate_limited_error
from together.share_cards import share_image_response

SUGGESTED_TAG_COUNT = 12


def suggested_tags():
    """The topics offered under the tags field, in the reader's language:
    those of published stories written in it first, then the most used."""
    return Story.objects.published().tag_names_for(translation.get_language(), limit=SUGGESTED_TAG_COUNT)


@require_http_methods(["GET", "HEAD", "POST"])
def story_create(request):
    if request.method != "POST":
        form = StoryForm(suggested_tags=suggested_tags())
        return render(request, "stories/story_form.html", {"form": form})
    try:
        check_rate_limit(request, "story")
    except RateLimited:
        # The text comes back; the photo of an address over its limit is
        # not even opened (decoding one is the costly part of a submission).
        form = StoryForm(request.POST, suggested_tags=suggested_tags())
        form.add_error(None, rate_limited_error())
        return render(request, "stories/story_form.html", {"form": form}, status=429)
    form = StoryForm(request.POST, request.FILES, suggested_tags=suggested_tags())
    status = 200
    if form.is_valid():
        try:
            check_email_rate_limit(request, "story", form.cleaned_data["email"])
        except RateLimited:
            form.add_error(None, rate_limited_error())
            status = 429
        else:
            form.save()
            return redirect("stories:story_thanks")
    return render(request, "stories/story_form.html", {"form": form}, status=status)


@require_safe
def story_thanks(request):
    return render(request, "stories/story_thanks.html")


@require_http_methods(["GET", "HEAD", "POST"])
def story_manage_request(request):
    """Send the private links again to the address given with the stories.

    The answer is the same, in words and in time, whether or not any story
    uses the address, so the page cannot tell anyone who shared a story."""
    form = ManageLinkRequestForm(request.POST) if request.method == "POST" else ManageLinkRequestForm()
    if form.is_bound:
        try:
            check_rate_limit(request, "manage_link")
            if form.is_valid():
                check_email_rate_limit(request, "manage_link", form.cleaned_data["email"])
        except RateLimited:
            form.add_error(None, rate_limited_error())
            return render(request, "stories/story_manage_request.html", {"form": form}, status=429)
    if form.is_valid():
        # The same work for every address (see stories.tasks): the answer
        # takes as long whether or not stories were shared with it.
        send_manage_links.enqueue(form.cleaned_data["email"], translation.get_language())
        messages.success(
            request,
            _("If stories were shared with this address, we have just sent their private links to it."),
        )
        return redirect("stories:story_manage_request")
    return render(request, "stories/story_manage_request.html", {"form": form})


def _story_for_token(token):
    """The story a private link points to; 404 for a bad or tampered token."""
    pk = Story.pk_from_manage_token(token)
    story = Story.objects.filter(pk=pk).first() if pk is not None else None
    if story is None:
        raise Http404("No story for this link.")
    return story


def _render_manage(request, story, token, *, reply_form=None, status=200):
    return render(
        request,
        "stories/story_manage.html",
        {
            "story": story,
            "token": token,
            "reply_form": reply_form or ReplyForm(),
        },
        status=status,
    )


@never_cache
@require_safe
def story_manage(request, token):
    """The storyteller's private page: where the story is, and what they can do."""
    return _render_manage(request, _story_for_token(token), token)


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def story_edit(request, token):
    story = _story_for_token(token)
    cannot_edit = _("Your story can no longer be edited: it is %(status)s.")
    if not story.storyteller_can_edit:
        messages.error(request, cannot_edit % {"status": story.get_status_display()})
        return redirect("stories:story_manage", token=token)
    data = (request.POST, request.FILES) if request.method == "POST" else ()
    form = StoryEditForm(*data, instance=story, suggested_tags=suggested_tags())
    if form.is_bound and form.is_valid():
        try:
            form.save()
        except IllegalTransition:  # published or withdrawn since the page was shown
            story.refresh_from_db(fields=["status"])
            messages.error(request, cannot_edit % {"status": story.get_status_display()})
        else:
            messages.success(request, _("Your changes are saved. A moderator will read your story again."))
        return redirect("stories:story_manage", token=token)
    return render(
        request,
        "stories/story_edit.html",
        {"form": form, "story": story, "token": token},
    )


@never_cache
@require_POST
def story_reply(request, token):
    story = _story_for_token(token)
    form = ReplyForm(request.POST)
    try:
        check_rate_limit(request, "reply")
    except RateLimited:
        form.add_error(None, rate_limited_error())
        return _render_manage(request, story, token, reply_form=form, status=429)
    if not form.is_valid():
        return _render_manage(request, story, token, reply_form=form)
    try:
        story.reply_to_decline(form.cleaned_data["text"])
    except IllegalTransition:
        messages.error(request, _("You can answer only when your story was declined."))
    except ValidationError as error:  # already answered
        messages.error(request, error.messages[0])
    else:
        messages.success(request, _("Thank you. Your answer was sent to the moderators."))
    return redirect("stories:story_manage", token=token)


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def story_withdraw(request, token):
    """GET asks for confirmation; POST withdraws and erases the story."""
    story = _story_for_token(token)
    if request.method == "POST":
        try:
            story.withdraw()
        except IllegalTransition:
            messages.info(request, _("This story is already withdrawn."))
        else:
            messages.success(request, _("Your story is withdrawn and everything you wrote is erased."))
        return redirect("stories:story_manage", token=token)
    if story.status == Story.Status.WITHDRAWN:
        return redirect("stories:story_manage", token=token)
    return render(request, "stories/story_withdraw.html", {"story": story, "token": token})


# --- Public browsing ------------------------------------------------------------

STORIES_PER_PAGE = 12


@require_safe
def story_list(request, tag_slug=None):
    """Published stories, those written in or translated into the reader's
    language first, then newest first (best match first when searching),
    filtered by the GET form; ``tag_slug`` is the tag page. Cards show the
    reader's translation when there is one. A fixed number of queries
    whatever the number of stories."""
    published = Story.objects.published()
    tag = None
    if tag_slug is not None:
        tag = get_object_or_404(published.used_tags(), slug=topics.normalise_slug(tag_slug))
        published = published.tagged(tag)
    form = StoryFilterForm(request.GET or None, stories=published, with_tag=tag is None)
    stories = form.filter(
        published.with_reader_translation(translation.get_language()).order_by(
            "-in_reader_language", "-published_at", "-pk"
        )
    ).prefetch_related("tags")
    page = Paginator(stories, STORIES_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "stories/story_list.html", {"form": form, "page": page, "tag": tag})


@require_safe
def story_detail(request, slug):
    """The story, or its published translation into the reader's language
    (with where it comes from and a link to the original, ``?original=1``)."""
    stories = Story.objects.published().with_reader_translation(translation.get_language())
    story = get_object_or_404(stories.prefetch_related("tags"), slug=slug)
    available_translation = story.reader_translation
    show_original = available_translation is None or "original" in request.GET
    shown_translation = None if show_original else available_translation
    context = {
        "story": story,
        "related_stories": Story.objects.related_to(story),
        "available_translation": available_translation,
        "shown_translation": shown_translation,
        "share_card": story_card(story, shown_translation or story) if story.allows_social_sharing else None,
    }
    return render(request, "stories/story_detail.html", context)


@require_safe
def story_share_image(request, slug):
    """The story's share image, as its page in this language shows it (``?original=1``: the original)."""
    stories = Story.objects.published().with_reader_translation(translation.get_language())
    story = get_object_or_404(stories, slug=slug)
    if not story.allows_social_sharing:
        raise Http404
    shown = story if "original" in request.GET else story.reader_translation or story
    return share_image_response(request, story_card(story, shown))


@require_http_methods(["GET", "HEAD", "POST"])
def story_report(request, slug):
    """Readers tell moderators about a problem with a published story. The
    report only puts the story at the top of the moderation queue."""
    story = get_object_or_404(Story.objects.published(), slug=slug)
    form = ReportForm(request.POST or None)
    status = 200
    if request.method == "POST":
        try:
            check_rate_limit(request, "report")
        except RateLimited:
            form.add_error(None, rate_limited_error())
            status = 429
        else:
            if form.is_valid():
                form.instance.story = story
                form.save()
                messages.success(
                    request, _("Thank you. A moderator will read your report and the story again.")
                )
                return redirect(story)
    return render(request, "stories/story_report.html", {"story": story, "form": form}, status=status)


@require_safe
def transparency(request):
    """Public moderation figures per month, without any personal data."""
    months = monthly_moderation_figures()
    any_declined = any(month.declined for month in months)
    return render(request, "stories/transparency.html", {"months": months, "any_declined": any_declined})
