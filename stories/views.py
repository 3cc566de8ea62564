"""Sharing a story, the storyteller's private pages, and the public pages.

The private pages are reached with the signed token of the emailed link, or
(for a story shared without an email address) by its code and passphrase,
which lead to the same pages. Opening any of them changes nothing (mail
scanners and link previews follow links); every change is a POST from a
button on them. The pages that show or take personal data are
``private_page`` (no-store, see together.middleware) and offer the quick exit.
"""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from stories import floods, pagination, topics
from stories.forms import (
    AccessKeyForm,
    ManageLinkRequestForm,
    ReplyForm,
    ReportForm,
    SharingForm,
    StoryEditForm,
    StoryFilterForm,
    StoryForm,
    StoryRevisionForm,
)
from stories.keys import AccessKey, normalise_passphrase, story_for_key
from stories.models import (
    LESS_IDENTIFYING_CHANGES,
    STORY_TRANSITIONS,
    STORYTELLER,
    IllegalTransition,
    Story,
    StoryRevision,
)
from stories.share import story_card
from stories.tasks import send_manage_links
from stories.transparency import monthly_moderation_figures
from together.abuse import (
    RateLimited,
    check_email_rate_limit,
    check_lockout,
    check_rate_limit,
    client_ip,
    rate_limited_error,
    record_failure,
)
from together.images import StorageUnavailable
from together.middleware import private_page
from together.personal_data import request_answer
from together.share_cards import share_image_response
from together.tasks import send_personal_data_link

SUGGESTED_TAG_COUNT = 12


def suggested_tags():
    """The topics offered under the tags field, in the reader's language:
    those of published stories written in it first, then the most used."""
    return Story.objects.published().tag_names_for(translation.get_language(), limit=SUGGESTED_TAG_COUNT)


@private_page
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
            if form.cleaned_data["email"]:
                check_email_rate_limit(request, "story", form.cleaned_data["email"])
        except RateLimited:
            form.add_error(None, rate_limited_error())
            status = 429
        else:
            try:
                form.save()
            except StorageUnavailable as error:  # nothing was saved; the text comes back
                form.add_error("photo", ValidationError(error.message, code="storage_unavailable"))
                return render(request, "stories/story_form.html", {"form": form}, status=503)
            floods.note_submission(client_ip(request))
            if form.access_key is None:
                return redirect("stories:story_thanks")
            # Shown once, in this answer only: the passphrase is stored
            # nowhere in clear, not even in the session. Sending the form
            # again is refused by its single-use stamp.
            return render(request, "stories/story_thanks.html", {"access_key": form.access_key})
    return render(request, "stories/story_form.html", {"form": form}, status=status)


@require_safe
def story_thanks(request):
    return render(request, "stories/story_thanks.html")


@private_page
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


def _open_with_key(request, form):
    """The story the valid ``form``'s code and passphrase open, or None
    (the form then carries the error). Every attempt counts against the
    address, every wrong passphrase against the code (a lockout)."""
    code = form.cleaned_data["code"]
    check_rate_limit(request, "story_code")
    check_lockout(request, "story_code_failures", code)
    story = story_for_key(code, form.cleaned_data["passphrase"])
    if story is None:
        record_failure(request, "story_code_failures", code)
        form.add_error(None, _("This code and passphrase do not open a story. Check them and try again."))
    return story


def _key_form_answer(request, template, handle):
    """Run ``handle(story)`` when the POSTed code and passphrase open a
    story; otherwise show ``template`` with the form and its error."""
    form = AccessKeyForm(request.POST if request.method == "POST" else None)
    status = 200
    if form.is_bound and form.is_valid():
        try:
            story = _open_with_key(request, form)
        except RateLimited:
            form.add_error(None, rate_limited_error())
            status = 429
        else:
            if story is not None:
                return handle(story)
    return render(request, template, {"form": form}, status=status)


@private_page
@require_http_methods(["GET", "HEAD", "POST"])
def story_open(request):
    """ "Open my story with a code": the code and passphrase of a story
    shared without an email address lead to its private page."""
    return _key_form_answer(
        request,
        "stories/story_open.html",
        lambda story: redirect("stories:story_manage", token=story.manage_token()),
    )


@private_page
@require_POST
def story_key_download(request):
    """The code and passphrase as a small text file, from the thank-you
    page's button (they are sent back by the browser, never stored in clear:
    the file is made only if they open a story)."""

    def download(story):
        key = AccessKey(story.access_code, normalise_passphrase(request.POST["passphrase"]))
        open_url = settings.SITE_URL + reverse("stories:story_open")
        text = render_to_string("stories/story_key.txt", {"key": key, "open_url": open_url}, using="text")
        response = HttpResponse(text, content_type="text/plain; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="together-story-key.txt"'
        return response

    return _key_form_answer(request, "stories/story_open.html", download)


def _story_for_token(token):
    """The story a private link points to; 404 for a bad, tampered or
    replaced token."""
    story = Story.from_manage_token(token)
    if story is None:
        raise Http404("No story for this link.")
    return story


def _render_manage(request, story, token, *, reply_form=None, sharing_form=None, status=200):
    return render(
        request,
        "stories/story_manage.html",
        {
            "story": story,
            "token": token,
            "reply_form": reply_form or ReplyForm(),
            "sharing_form": sharing_form or SharingForm(initial={"sharing": story.sharing}),
            "pending_revision": story.revisions.filter(status=StoryRevision.Status.PENDING).first(),
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
        except StorageUnavailable as error:  # nothing changed; the text comes back
            form.add_error("photo", ValidationError(error.message, code="storage_unavailable"))
            context = {"form": form, "story": story, "token": token}
            return render(request, "stories/story_edit.html", context, status=503)
        else:
            messages.success(request, _("Your changes are saved. A moderator will read your story again."))
        return redirect("stories:story_manage", token=token)
    return render(
        request,
        "stories/story_edit.html",
        {"form": form, "story": story, "token": token},
    )


# --- Changing a published story (issue 14) ------------------------------------------


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def story_propose(request, token):
    """The storyteller proposes a change to their published story; it stays
    public as it is until a moderator approves the change."""
    story = _story_for_token(token)
    if story.status not in STORY_TRANSITIONS["propose_revision"].sources:
        messages.error(request, _("Only a published story can be changed this way."))
        return redirect("stories:story_manage", token=token)
    data = (request.POST, request.FILES) if request.method == "POST" else ()
    form = StoryRevisionForm(*data, instance=story, suggested_tags=suggested_tags())
    if form.is_bound and form.is_valid():
        try:
            form.save()
        except IllegalTransition:  # unpublished or withdrawn since the page was shown
            messages.error(request, _("Only a published story can be changed this way."))
        except ValidationError as error:  # nothing changed
            messages.info(request, error.messages[0])
        else:
            messages.success(
                request,
                _(
                    "Thank you. A moderator will read your change; until then your story stays "
                    "published as it was. We will email you either way."
                ),
            )
        return redirect("stories:story_manage", token=token)
    return render(request, "stories/story_propose.html", {"form": form, "story": story, "token": token})


# What each "less identifying" button says once done.
LESS_IDENTIFYING_DONE = {
    "photo": gettext_lazy("Your photo is removed and its files are erased."),
    "city": gettext_lazy("Your city or region is no longer shown."),
    "name": gettext_lazy("Your story is now shown as anonymous."),
}


@never_cache
@require_POST
def story_less_identifying(request, token, what):
    """Remove the photo, the city or the name at once, without review."""
    story = _story_for_token(token)
    if what not in LESS_IDENTIFYING_CHANGES:
        raise Http404("No such change.")
    try:
        story.make_less_identifying(by=STORYTELLER, what=what)
    except IllegalTransition:
        messages.info(request, _("This story is already withdrawn."))
    else:
        messages.success(request, LESS_IDENTIFYING_DONE[what])
    return redirect("stories:story_manage", token=token)


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
@require_POST
def story_sharing(request, token):
    """The storyteller's new choice of where the story may appear: narrower
    or wider, effective at once (Story.change_sharing, logged)."""
    story = _story_for_token(token)
    form = SharingForm(request.POST)
    if not form.is_valid():
        return _render_manage(request, story, token, sharing_form=form)
    try:
        story.change_sharing(form.cleaned_data["sharing"], by=STORYTELLER)
    except IllegalTransition:
        messages.info(request, _("This story is withdrawn: it appears nowhere."))
    else:
        messages.success(request, _("Your choice is saved. It applies from now on, everywhere."))
    return redirect("stories:story_manage", token=token)


@never_cache
@require_POST
def story_personal_data(request, token):
    """Send, to the story's address, the link to everything the site holds
    about it (together.views.personal_data_request, without typing it)."""
    story = _story_for_token(token)
    try:
        check_rate_limit(request, "personal_data")
        if story.email:
            check_email_rate_limit(request, "personal_data", story.email)
    except RateLimited:
        messages.error(request, rate_limited_error().messages[0])
        return redirect("stories:story_manage", token=token)
    if story.email:
        send_personal_data_link.enqueue(story.email, translation.get_language())
    messages.success(request, request_answer())
    return redirect("stories:story_manage", token=token)


@never_cache
@require_POST
def story_replace_link(request, token):
    """The storyteller replaces their private link: the one they used stops
    working at once; the new one is emailed, or shown next (no address)."""
    story = _story_for_token(token)
    try:
        story.replace_manage_link(by=STORYTELLER)
    except IllegalTransition:
        raise Http404("A withdrawn story has no link to replace.") from None
    if story.email:
        messages.success(
            request,
            _(
                "Your private link is replaced: the old one no longer works. "
                "We have emailed the new one to you; this page is already at the new address."
            ),
        )
    else:
        messages.success(
            request,
            _(
                "Your private link is replaced: the old one no longer works. "
                "Your code and passphrase still open your story."
            ),
        )
    return redirect("stories:story_manage", token=story.manage_token())


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
    whatever the number of stories, and at any depth (stories.pagination:
    cursors for the lists, numbered pages for search results)."""
    published = Story.objects.published()
    tag = None
    if tag_slug is not None:
        tag = get_object_or_404(published.used_tags(), slug=topics.normalise_slug(tag_slug))
        published = published.tagged(tag)
    form = StoryFilterForm(request.GET or None, stories=published, with_tag=tag is None)
    stories = form.filter(
        published.with_reader_translation(translation.get_language()).order_by(*pagination.STORY_LIST_ORDER)
    ).prefetch_related("tags")
    # Never shown: left out of the rows read (and sorted, when searching).
    stories = stories.defer("search_vector", "search_words")
    if form.is_search:
        page = pagination.numbered_page(stories, request.GET, STORIES_PER_PAGE)
    elif "page" in request.GET:  # a link from before the cursors
        legacy = pagination.legacy_page_query(stories, request.GET, STORIES_PER_PAGE)
        return pagination.redirect_to_query(request, legacy)
    else:
        page = pagination.keyset_page(stories, request.GET, STORIES_PER_PAGE)
    if page is None:  # before the first page, or past the last one
        return pagination.redirect_to_query(request, pagination.first_page_query(request.GET))
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
                floods.file_report(
                    story=story,
                    reason=form.cleaned_data["reason"],
                    comment=form.cleaned_data["comment"],
                    address=client_ip(request),
                )
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
