import uuid
from datetime import date
from urllib.parse import urlencode

import icalendar
import segno
from django.conf import settings
from django.contrib import messages
from django.core import signing
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.csp import csp_override
from django.views.decorators.http import require_http_methods, require_safe
from django.views.generic import DetailView, ListView, TemplateView
from django_countries.fields import Country

from campaigns.forms import PledgeForm, SignUpForm, StandPledgeForm
from campaigns.models import (
    Campaign,
    Event,
    MediaKitItem,
    MediaKitItemKind,
    PaperBatch,
    Partner,
    Pledge,
    PledgeSource,
    PressRelease,
    SignUp,
    StandLink,
)
from campaigns.share import campaign_card, event_card, press_release_card
from stories import pagination
from together.abuse import (
    RateLimited,
    check_email_rate_limit,
    check_rate_limit,
    check_shared_device_rate_limit,
    rate_limited_error,
)
from together.mail import normalise_email
from together.pagecache import consistent_snapshot
from together.refusals import Refusal
from together.share_cards import share_image_response


class PartnerListView(TemplateView):
    """The coalition, in groups by kind, each partner with the confirmed
    pledges it brought: one query whatever the number of partners."""

    template_name = "campaigns/partner_list.html"

    def get_context_data(self, **kwargs):
        groups = Partner.objects.with_pledges_brought().grouped_by_kind()
        has_demo = any(partner.is_demo for _kind, partners in groups for partner in partners)
        return super().get_context_data(groups=groups, has_demo=has_demo, **kwargs)


class PublishedPressReleasesMixin:
    # Built per request: published() compares with the time it is called at,
    # so a class-level queryset would keep the server's start time forever.
    def get_queryset(self):
        return PressRelease.objects.published().select_related("campaign")


class PressReleaseListView(PublishedPressReleasesMixin, ListView):
    paginate_by = 10
    context_object_name = "press_releases"

    def get_context_data(self, **kwargs):
        with_kits = Campaign.objects.filter(pk__in=MediaKitItem.objects.shown().values("campaign"))
        return super().get_context_data(media_kit_campaigns=with_kits.order_by("-starts_on", "pk"), **kwargs)


@require_safe
def media_kit(request, slug):
    """A campaign's logos and photos, each with its credit, text alternative and terms of use."""
    campaign = get_object_or_404(Campaign, slug=slug)
    items = list(MediaKitItem.objects.shown().filter(campaign=campaign))
    context = {
        "campaign": campaign,
        "logos": [item for item in items if item.kind == MediaKitItemKind.LOGO],
        "photos": [item for item in items if item.kind == MediaKitItemKind.PHOTO],
    }
    return render(request, "campaigns/media_kit.html", context)


class PressReleaseDetailView(PublishedPressReleasesMixin, DetailView):
    context_object_name = "press_release"

    def get_queryset(self):
        return super().get_queryset().prefetch_related("contacts")

    def get_context_data(self, **kwargs):
        campaign_id = self.object.campaign_id
        has_media_kit = (
            campaign_id is not None and MediaKitItem.objects.shown().filter(campaign=campaign_id).exists()
        )
        return super().get_context_data(
            share_card=press_release_card(self.object), has_media_kit=has_media_kit, **kwargs
        )


@require_safe
def press_share_image(request, slug):
    press_release = get_object_or_404(PressRelease.objects.published(), slug=slug)
    return share_image_response(request, press_release_card(press_release))


EVENTS_PER_PAGE = 20
UPCOMING_ORDER = ("starts_at", "pk")
PAST_ORDER = ("-starts_at", "-pk")


@require_safe
def event_list(request):
    """Upcoming events, soonest first, and past ones, latest first: two
    lists of pages, each moved on by its own cursor (stories.pagination:
    ``?upcoming=``, ``?past=``), one query each at any depth and no COUNT.
    Links from before the cursors (``?page=N``, the past events' pages)
    are redirected once."""
    now = timezone.now()
    lists = {
        "upcoming": (Event.objects.upcoming(now).with_public_counts(), UPCOMING_ORDER),
        "past": (Event.objects.past(now).with_public_counts(), PAST_ORDER),
    }
    if "page" in request.GET:  # a link to the past events from before the cursors
        past, order = lists["past"]
        query = pagination.legacy_seek_query(past, request.GET, EVENTS_PER_PAGE, order=order, name="past")
        return pagination.redirect_to_query(request, query)
    pages = {}
    for name, (events, order) in lists.items():
        pages[name] = pagination.seek_page(events, request.GET, EVENTS_PER_PAGE, order=order, name=name)
        if pages[name] is None:  # before the first page, or past the last event
            return pagination.redirect_to_query(request, pagination.first_seek_query(request.GET, name))
    return render(request, "campaigns/event_list.html", pages)


def public_event(slug):
    return get_object_or_404(
        Event.objects.select_related("campaign").with_public_counts().with_paper_pledge_count(), slug=slug
    )


@require_safe
def event_detail(request, slug):
    event = public_event(slug)
    form = SignUpForm(event=event) if event.signups_refusal() is None else None
    context = {"event": event, "form": form, "share_card": event_card(event)}
    return render(request, "campaigns/event_detail.html", context)


@require_safe
def event_share_image(request, slug):
    return share_image_response(request, event_card(get_object_or_404(Event, slug=slug)))


@require_http_methods(["GET", "POST"])
def event_signup(request, slug):
    """The sign-up form on its own page; answers a POST from it or from the
    event page, and shows the form again with its errors, keeping the input."""
    event = public_event(slug)
    if request.method == "GET" and event.signups_refusal():
        return redirect(event)  # which says when sign-up opens or closed
    form = SignUpForm(request.POST or None, event=event)
    status = 200
    try:
        if request.method == "POST":
            check_rate_limit(request, "signup")
        if form.is_valid():
            check_email_rate_limit(request, "signup", form.cleaned_data["email"])
            event.register(**form.signup_details(), language=get_language())
            messages.success(
                request,
                _(
                    "Thank you! We sent you an email: open the link in it to confirm your sign-up. "
                    "It works for three days."
                ),
            )
            return redirect(event)
    except RateLimited:
        form.add_error(None, rate_limited_error())
        status = 429
    except Refusal as error:  # sign-up closed since the form was checked
        form.add_error(None, str(error))
    return render(request, "campaigns/signup_form.html", {"event": event, "form": form}, status=status)


def event_calendar_file(event, page_url):
    """The event as an iCalendar file: times in the event's zone (TZID, with
    its VTIMEZONE), the page's address as URL and in the description (many
    calendar apps show only the latter), and a UID that never changes."""
    calendar = icalendar.Calendar.new(
        prodid="-//TOGETHER//Events//EN", name=event.title, uid=uuid.uuid5(event.uid, "calendar")
    )
    entry = icalendar.Event.new(
        uid=str(event.uid),
        summary=event.title,
        start=event.starts_at.astimezone(event.zone),
        end=event.ends_at.astimezone(event.zone),
        stamp=event.updated_at,
        last_modified=event.updated_at,
        location=f"{event.venue_name}, {event.address}",
        description=f"{event.summary}\n\n{event.description}\n\n{page_url}",
        url=page_url,
    )
    if event.latitude is not None and event.longitude is not None:
        entry.add("geo", (float(event.latitude), float(event.longitude)))
    calendar.add_component(entry)
    year = event.starts_at.year
    calendar.add_missing_timezones(first_date=date(year - 1, 1, 1), last_date=date(year + 2, 1, 1))
    return calendar.to_ical()


@require_safe
def event_calendar(request, slug):
    event = get_object_or_404(Event, slug=slug)
    page_url = request.build_absolute_uri(event.get_absolute_url())
    response = HttpResponse(event_calendar_file(event, page_url), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{event.slug}.ics"'
    return response


def signup_from_link(request, slug, token, purpose):
    """The sign-up a private link is for, or an answer page explaining why
    the link does not work."""
    try:
        signup = SignUp.from_token(token, purpose)
    except signing.SignatureExpired:
        event = public_event(slug)
        return None, render(request, "campaigns/signup_link_expired.html", {"event": event}, status=410)
    except (signing.BadSignature, SignUp.DoesNotExist):
        raise Http404(_("This link is not valid.")) from None
    if signup.event.slug != slug:
        raise Http404(_("This link is not valid."))
    return signup, None


@never_cache
@require_http_methods(["GET", "POST"])
def signup_confirm(request, slug, token):
    """GET shows what is being confirmed and a button; only the POST of
    that button confirms (mail scanners follow links, people press buttons)."""
    signup, refusal = signup_from_link(request, slug, token, "confirm")
    if refusal:
        return refusal
    if request.method == "POST":
        try:
            signup.confirm()
        except Refusal as error:
            messages.info(request, str(error))
        else:
            if signup.status == SignUp.Status.CONFIRMED:
                messages.success(request, _("Confirmed: your place is booked. See you there!"))
            else:
                messages.success(
                    request,
                    _(
                        "Confirmed: all places are taken, so you are on the waiting list. "
                        "We will email you as soon as a place is yours."
                    ),
                )
        return redirect(signup.event)
    return render(request, "campaigns/signup_confirm.html", {"signup": signup, "event": signup.event})


@never_cache
@require_http_methods(["GET", "POST"])
def signup_cancel(request, slug, token):
    """GET asks; only the POST of the button cancels."""
    signup, refusal = signup_from_link(request, slug, token, "cancel")
    if refusal:
        return refusal
    if request.method == "POST":
        try:
            signup.cancel()
        except Refusal as error:
            messages.info(request, str(error))
        else:
            messages.success(request, _("Your sign-up is cancelled. Thank you for letting us know."))
        return redirect(signup.event)
    return render(request, "campaigns/signup_cancel.html", {"signup": signup, "event": signup.event})


# The country chart shows this many countries; the table lists them all.
CHART_COUNTRIES = 10
# Chart geometry, in SVG user units: a label column, then bars, then values.
CHART_ROW, CHART_BAR, CHART_BAR_X, CHART_BAR_MAX = 32, 22, 200, 360


def _counter_context(campaign):
    """The country table and chart, read from the counter table."""
    countries = campaign.top_countries()
    top = countries[:CHART_COUNTRIES]
    largest = top[0].count if top else 0
    chart = []
    for index, row in enumerate(top):
        width = max(1, round(row.count * CHART_BAR_MAX / largest))
        chart.append(
            {
                "row": row,
                "y": index * CHART_ROW,
                "text_y": index * CHART_ROW + 16,
                "height": CHART_BAR,
                "bar_x": CHART_BAR_X,
                "width": width,
                "value_x": CHART_BAR_X + width + 8,
            }
        )
    return {"countries": countries, "chart": chart, "chart_height": len(chart) * CHART_ROW}


@require_http_methods(["GET", "HEAD", "POST"])
def campaign_detail(request, slug):
    """The campaign page and its pledge form. A valid pledge always leads to
    the same "check your email" page, whether or not the address had pledged."""
    # Shown, its countries, supporters and messages come in the campaign's own
    # row; a pledge sent mostly leads elsewhere, so it does not read them (a
    # form sent back with errors reads them with a query each).
    campaigns = Campaign.objects.all() if request.method == "POST" else Campaign.objects.with_page_lists()
    campaign = get_object_or_404(campaigns, slug=slug)
    if request.method == "POST" and campaign.accepts_pledges:
        form = PledgeForm(request.POST, campaign=campaign)
        try:
            check_rate_limit(request, "pledge")
            if form.is_valid():
                check_email_rate_limit(request, "pledge", form.cleaned_data["email"])
                Pledge.submit(campaign=campaign, language=get_language(), **form.pledge_details())
                return redirect("campaigns:pledge_sent", slug=campaign.slug)
        except RateLimited:
            # The form comes back filled in, so nothing typed is lost.
            form.add_error(None, rate_limited_error())
            return _render_campaign(request, campaign, form, status=429)
    else:
        form = PledgeForm(initial=_attribution(request.GET), campaign=campaign)
    return _render_campaign(request, campaign, form, status=400 if form.errors else 200)


def _render_campaign(request, campaign, form, *, status):
    context = {
        "campaign": campaign,
        "form": form,
        "supporters": campaign.latest_supporters(),
        "messages_shown": campaign.public_messages(),
        "share_card": campaign_card(campaign),
        **_counter_context(campaign),
    }
    return render(request, "campaigns/campaign_detail.html", context, status=status)


def _attribution(query):
    """Who brought the visitor, from a link's query (``source``, ``partner``,
    ``stand``): the pledge form's hidden fields, checked when it is sent."""
    source = query.get("source", "")
    return {
        "source": source if source in PledgeSource.values else "",
        "partner": query.get("partner", "")[:200],
        "stand": query.get("stand", "")[:500],
    }


@require_safe
def campaign_share_image(request, slug):
    return share_image_response(request, campaign_card(get_object_or_404(Campaign, slug=slug)))


@require_safe
def pledge(request):
    """/pledge/: the active campaign's pledge form, or a friendly 404. Who
    brought the visitor (?source=, ?partner=, ?stand=) is passed on."""
    campaign = Campaign.objects.active().first()
    if campaign is None:
        return render(request, "campaigns/no_active_campaign.html", status=404)
    attribution = {name: value for name, value in _attribution(request.GET).items() if value}
    query = f"?{urlencode(attribution)}" if attribution else ""
    return redirect(f"{campaign.get_absolute_url()}{query}#pledge")


@require_safe
def pledge_sent(request, slug):
    campaign = get_object_or_404(Campaign, slug=slug)
    return render(request, "campaigns/pledge_sent.html", {"campaign": campaign})


def _pledge_from_link(request, load, token):
    """The pledge a signed link names, or the response explaining why not."""
    try:
        return load(token), None
    except signing.SignatureExpired:
        reason = "expired"
    except (signing.BadSignature, Pledge.DoesNotExist):
        reason = "invalid"
    return None, _pledge_link_invalid(request, reason)


def _pledge_link_invalid(request, reason):
    return render(request, "campaigns/pledge_link_invalid.html", {"reason": reason}, status=404)


@require_http_methods(["GET", "HEAD", "POST"])
def pledge_confirm(request, token):
    """GET shows a button; only the POST confirms (mail scanners open links)."""
    pledge, failure = _pledge_from_link(request, Pledge.from_confirm_token, token)
    if failure:
        return failure
    if request.method == "POST":
        try:
            pledge.confirm()
        except Refusal:  # withdrawn while this request ran: as if the link were used after
            return _pledge_link_invalid(request, "invalid")
        return redirect("campaigns:pledge_thanks", slug=pledge.campaign.slug)
    return render(request, "campaigns/pledge_confirm.html", {"pledge": pledge, "campaign": pledge.campaign})


@require_safe
def pledge_thanks(request, slug):
    campaign = get_object_or_404(Campaign, slug=slug)
    page_url = settings.SITE_URL + campaign.get_absolute_url()
    return render(request, "campaigns/pledge_thanks.html", {"campaign": campaign, "page_url": page_url})


@require_http_methods(["GET", "HEAD", "POST"])
def pledge_withdraw(request, token):
    """GET asks for confirmation; the POST deletes the person's data."""
    pledge, failure = _pledge_from_link(request, Pledge.from_withdraw_token, token)
    if failure:
        return failure
    if request.method == "POST":
        pledge.withdraw()
        return redirect("campaigns:pledge_withdrawn", slug=pledge.campaign.slug)
    return render(request, "campaigns/pledge_withdraw.html", {"pledge": pledge, "campaign": pledge.campaign})


@require_safe
def pledge_withdrawn(request, slug):
    campaign = get_object_or_404(Campaign, slug=slug)
    return render(request, "campaigns/pledge_withdrawn.html", {"campaign": campaign})


# The frame the widget is documented to fit, in every language, with
# nothing cut off (tests/browser/test_widget_fit.py measures it): any width
# from WIDGET_MIN_WIDTH to WIDGET_WIDTH, WIDGET_HEIGHT high. The partner
# toolkit and the README give these numbers.
WIDGET_MIN_WIDTH, WIDGET_WIDTH, WIDGET_HEIGHT = 320, 360, 360


def widget_pledge_url(campaign, partner_slug=""):
    """Where the widget's button leads: the pledge form, attributed to the
    widget and to the partner whose site shows it (a slug the pledge form
    checks; the widget itself runs no query for it)."""
    query = {"source": PledgeSource.PARTNER_WIDGET}
    if partner_slug:
        query["partner"] = partner_slug[:200]
    return f"{campaign.get_absolute_url()}?{urlencode(query)}#pledge"


@require_safe
@xframe_options_exempt
@csp_override({**settings.SECURE_CSP, "frame-ancestors": ["'self'", "https:"]})
def campaign_widget(request, slug):
    """The counter for partners' sites: the only page that may be framed (by
    any https site, and by our own partner toolkit, which previews it)."""
    campaign = get_object_or_404(Campaign, slug=slug)
    pledge_url = widget_pledge_url(campaign, request.GET.get("partner", ""))
    return render(request, "campaigns/campaign_widget.html", {"campaign": campaign, "pledge_url": pledge_url})


@require_safe
# As fresh as the counters on the cached pages (PAGE_CACHE_COUNTER_SECONDS):
# a partner's page polling it is never a minute behind ours. Asking again
# costs little: its ETag answers 304 while nothing changed.
@cache_control(public=True, max_age=5)
@consistent_snapshot
def campaign_stats(request, slug):
    """Totals by country for anyone to reuse: counters only, no personal data.

    ``confirmed_pledges`` and ``countries`` keep their first meaning: online
    pledges confirmed by email. Paper pledge forms are given apart
    (``paper``), and ``pledges`` puts the two figures and their sum side by
    side. Four queries whatever the number of pledges and batches (the
    campaign with its countries, its partners, its events, and its paper
    batches by country), in one snapshot."""
    campaign = get_object_or_404(Campaign.objects.with_country_counts(), slug=slug)
    batches = PaperBatch.objects.filter(campaign=campaign)
    events_brought, events_on_paper = campaign.event_counts()
    data = {
        "campaign": campaign.slug,
        "title": campaign.title,
        "url": request.build_absolute_uri(campaign.get_absolute_url()),
        "goal": campaign.pledge_goal,
        "confirmed_pledges": campaign.confirmed_pledges,
        "countries": [
            {"code": row.country.code, "name": str(row.country.name), "pledges": row.count}
            for row in campaign.top_countries()
        ],
        # Who brought the confirmed pledges (issue 16): partners, events, and
        # direct visits; the three always add up to confirmed_pledges.
        **_attribution_stats(request, campaign, events_brought),
        "pledges": {
            "online": campaign.confirmed_pledges,
            "paper": campaign.paper_pledges,
            "total": campaign.total_pledges,
        },
        "paper": {
            "pledges": campaign.paper_pledges,
            "countries": [
                {"code": code, "name": str(Country(code).name), "pledges": total}
                for code, total in batches.by_country()
            ],
            "events": [
                {
                    "slug": event.slug,
                    "title": event.title,
                    "url": request.build_absolute_uri(event.get_absolute_url()),
                    "pledges": event.paper_pledges,
                }
                for event in events_on_paper
            ],
        },
    }
    response = JsonResponse(data)
    response["Access-Control-Allow-Origin"] = "*"
    return response


def _attribution_stats(request, campaign, events):
    """The confirmed pledges each partner and each of ``events`` (those that
    brought some) brought, and the direct ones: one query of counters more,
    whatever the number of pledges."""
    partners = campaign.partner_counts_brought()
    attributed = sum(row.count for row in partners) + sum(event.confirmed_pledges for event in events)
    return {
        "by_partner": [
            {"partner": row.partner.slug, "name": row.partner.name, "pledges": row.count} for row in partners
        ],
        "by_event": [
            {
                "event": event.slug,
                "title": event.title,
                "url": request.build_absolute_uri(event.get_absolute_url()),
                "pledges": event.confirmed_pledges,
            }
            for event in events
        ],
        "direct": campaign.confirmed_pledges - attributed,
    }


# -- Stand mode: a kiosk on a tablet at an event's stand --------------------------


def _stand_link(request, token):
    """The usable stand link a kiosk address names, or the page saying why not:
    404 for an address we never made, 410 (gone, with its reason) for a
    link revoked, expired or not open yet, or whose campaign takes no pledges."""
    try:
        link = StandLink.from_token(token)
    except (signing.BadSignature, StandLink.DoesNotExist):
        return None, render(request, "campaigns/stand_closed.html", {"reason": None}, status=404)
    reason = link.refusal()
    if reason is None and not link.event.campaign.accepts_pledges:
        reason = _("This campaign no longer takes pledges.")
    if reason:
        return None, render(
            request, "campaigns/stand_closed.html", {"reason": reason, "link": link}, status=410
        )
    return link, None


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def stand_kiosk(request, token):
    """The pledge form of a stand's tablet, used by one visitor after another.

    After each pledge the browser is sent to an empty form (POST, redirect,
    GET): the next person never sees the previous one's details, nothing is
    kept in a session or cookie, and ``never_cache`` keeps the pages out of
    the browser's cache (the back button shows nothing). A form left half
    filled is emptied after a minute without a touch by static/js/kiosk.js;
    without JavaScript the next visitor sees it until someone reloads (a
    timed refresh would wipe what someone is still typing).

    Pledges here are limited per stand link, not per address: the stand's
    tablets share one connection. The per-email limit and double opt-in stay."""
    link, closed = _stand_link(request, token)
    if closed:
        return closed
    campaign = link.event.campaign
    status = 200
    if request.method == "POST":
        form = StandPledgeForm(request.POST, campaign=campaign)
        try:
            check_shared_device_rate_limit(request, "stand_pledge", link.pk)
            if form.is_valid():
                check_email_rate_limit(request, "pledge", normalise_email(form.cleaned_data["email"]))
                Pledge.submit(
                    campaign=campaign,
                    language=get_language(),
                    source=PledgeSource.EVENT_STAND,
                    event=link.event,
                    **form.pledge_details(),
                )
                return redirect(f"{link.kiosk_path()}?sent=1")
            status = 400
        except RateLimited:
            form.add_error(None, rate_limited_error())
            status = 429
    else:
        form = StandPledgeForm(campaign=campaign)
    context = {
        "link": link,
        "event": link.event,
        "campaign": campaign,
        "form": form,
        "sent": request.method == "GET" and request.GET.get("sent") == "1",
        "phone_qr": stand_qr_svg(link.phone_url()),
        "inactivity_seconds": STAND_INACTIVITY_SECONDS,
    }
    return render(request, "campaigns/stand_kiosk.html", context, status=status)


# After this long without a touch, the kiosk empties its form (static/js/kiosk.js).
STAND_INACTIVITY_SECONDS = 60


def stand_qr_svg(url):
    """An inline SVG QR code of ``url``, made here (segno): nothing is
    loaded from elsewhere. Medium error correction survives a scuffed screen."""
    code = segno.make(url, error="m", micro=False)
    return mark_safe(code.svg_inline(scale=4, border=2, dark="#000", light="#fff", omitsize=True))


# -- Partner toolkit --------------------------------------------------------------


@require_safe
def partner_toolkit(request, slug=None):
    """How a partner shows the counter on its site and links to the pledge
    form: embed code, live preview, the JSON endpoint, the terms. With a
    partner, every link and the widget carry its slug, so the pledges it
    brings are counted as its own."""
    partner = get_object_or_404(Partner, slug=slug) if slug else None
    campaign = Campaign.objects.active().first()
    context = {
        "partner": partner,
        "campaign": campaign,
        "widget_width": WIDGET_WIDTH,
        "widget_min_width": WIDGET_MIN_WIDTH,
        "widget_height": WIDGET_HEIGHT,
    }
    if campaign is not None:
        partner_query = f"?{urlencode({'partner': partner.slug})}" if partner else ""
        widget_path = reverse("campaigns:campaign_widget", args=[campaign.slug]) + partner_query
        context.update(
            widget_path=widget_path,
            widget_url=settings.SITE_URL + widget_path,
            pledge_link=settings.SITE_URL + campaign.get_absolute_url() + partner_query,
            stats_url=settings.SITE_URL + reverse("campaigns:campaign_stats", args=[campaign.slug]),
        )
        if partner is not None:
            context["partner_in_campaign"] = campaign.partners.filter(pk=partner.pk).exists()
            context["brought"] = (
                campaign.partner_counts.filter(partner=partner).values_list("count", flat=True).first() or 0
            )
    return render(request, "campaigns/partner_toolkit.html", context)
