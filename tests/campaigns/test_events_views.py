import re
from datetime import UTC, datetime, timedelta

import pytest
from django.core import mail, signing
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from campaigns.models import SignUp
from tests.campaigns.emails import signup_linked_in
from tests.campaigns.factories import EventFactory, SignUpFactory
from tests.campaigns.signups import post_signup, signup_data
from tests.sitemaps import whole_sitemap

pytestmark = pytest.mark.django_db


def private_path(signup, purpose):
    return reverse(f"campaigns:signup_{purpose}", args=[signup.event.slug, signup.token(purpose)])


# List and detail ---------------------------------------------------------------


def test_event_list_shows_upcoming_and_past_in_their_sections(client):
    EventFactory(title="Next run")
    EventFactory(
        title="Last year run",
        starts_at=timezone.now() - timedelta(days=365),
        ends_at=timezone.now() - timedelta(days=364, hours=20),
        signups_open_at=timezone.now() - timedelta(days=400),
        signups_close_at=timezone.now() - timedelta(days=366),
    )

    html = client.get(reverse("campaigns:event_list")).content.decode()

    upcoming, past = html.split('id="past-title"')
    assert "Next run" in upcoming
    assert "Last year run" not in upcoming
    assert "Last year run" in past


def test_event_list_says_when_nothing_is_coming(client):
    response = client.get(reverse("campaigns:event_list"))

    assert "No event is planned right now." in response.content.decode()


def queries_to_get(client, path):
    with CaptureQueriesContext(connection) as context:
        assert client.get(path).status_code == 200
    return len(context)


def test_event_list_query_count_does_not_grow_with_events(client):
    EventFactory()
    few = queries_to_get(client, reverse("campaigns:event_list"))
    for _ in range(6):
        event = EventFactory(
            starts_at=timezone.now() - timedelta(days=30),
            ends_at=timezone.now() - timedelta(days=29),
            signups_open_at=timezone.now() - timedelta(days=60),
            signups_close_at=timezone.now() - timedelta(days=31),
        )
        SignUpFactory.create_batch(3, event=event, confirmed=True)
    EventFactory.create_batch(3)

    # Past events too: each list is one query of a page (nothing counted).
    assert queries_to_get(client, reverse("campaigns:event_list")) == few


def test_event_detail_shows_counts_and_never_names_or_waiting_people(client):
    event = EventFactory(places=2)
    SignUpFactory(event=event, name="Zarathustra Placeholder", nationality="BE", confirmed=True)
    SignUpFactory(event=event, name="Quetzalcoatl Holder", nationality="SY", confirmed=True)
    SignUpFactory(event=event, name="Waitinglist Wilhelmina", email="wil@example.org", confirmed=True)
    SignUpFactory(event=event, name="Pending Persephone", email="pers@example.org")

    html = client.get(event.get_absolute_url()).content.decode()

    assert "<strong>2</strong> people take part" in html
    assert "<strong>2</strong> nationalities" in html
    for hidden in [
        "Zarathustra",
        "Quetzalcoatl",
        "Wilhelmina",
        "Persephone",
        "wil@example.org",
        "pers@example.org",
    ]:
        assert hidden not in html
    assert "All places are taken: new sign-ups join the waiting list." in html


def test_event_venue_and_address_are_each_isolated_on_an_arabic_page(client):
    event = EventFactory(venue_name="Cinquantenaire Park", address="Parc du Cinquantenaire, 1000 Brussels")

    detail = client.get(f"/ar/events/{event.slug}/").content.decode()
    listed = client.get("/ar/events/").content.decode()

    venue = '<bdi lang="en" dir="ltr">Cinquantenaire Park</bdi>'
    address = "<bdi>Parc du Cinquantenaire, 1000 Brussels</bdi>"
    assert f"<dd>{venue}<br>{address}" in detail
    assert f'<p class="event-card__meta">{venue}, {address}</p>' in listed


def test_event_detail_shows_local_time_with_zone_named(client):
    event = EventFactory(
        starts_at=datetime(2030, 5, 26, 8, 0, tzinfo=UTC),
        ends_at=datetime(2030, 5, 26, 12, 0, tzinfo=UTC),
        time_zone="Europe/Brussels",
    )

    html = client.get(event.get_absolute_url()).content.decode()

    assert "Sunday, May 26, 2030, 10 a.m." in html
    assert "2 p.m." in html
    assert "(Brussels time, CEST)" in html


def test_event_detail_shows_time_in_event_zone_not_site_zone(client):
    event = EventFactory(
        starts_at=datetime(2030, 11, 3, 14, 0, tzinfo=UTC),
        ends_at=datetime(2030, 11, 3, 17, 0, tzinfo=UTC),
        time_zone="America/New_York",
    )

    html = client.get(event.get_absolute_url()).content.decode()

    assert "Sunday, Nov. 3, 2030, 9 a.m." in html
    assert "(New York time, EST)" in html


def test_event_detail_links_to_openstreetmap_and_calendar(client):
    event = EventFactory(latitude="50.839900", longitude="4.392900")

    html = client.get(event.get_absolute_url()).content.decode()

    assert 'href="https://www.openstreetmap.org/?mlat=50.839900&amp;mlon=4.392900' in html
    assert f'href="{reverse("campaigns:event_calendar", args=[event.slug])}"' in html
    assert "<iframe" not in html


def test_event_detail_query_count_does_not_grow_with_signups(client):
    event = EventFactory(places=100)
    SignUpFactory(event=event, confirmed=True)
    few = queries_to_get(client, event.get_absolute_url())
    for number in range(20):
        SignUpFactory(event=event, nationality=["BE", "SY", "ER"][number % 3], confirmed=True)

    assert queries_to_get(client, event.get_absolute_url()) == few == 1


def test_event_detail_of_unknown_slug_is_404(client):
    assert client.get(reverse("campaigns:event_detail", args=["no-such-event"])).status_code == 404


def test_event_detail_outside_signup_window_explains_instead_of_form(client):
    event = EventFactory(signups_open_at=timezone.now() + timedelta(days=3))

    html = client.get(event.get_absolute_url()).content.decode()

    assert "Sign-up for this event opens on" in html
    assert 'name="email"' not in html


# Signing up --------------------------------------------------------------------


def test_signup_creates_pending_signup_and_emails_confirmation(client):
    event = EventFactory()

    response = post_signup(client, event)

    assert response.status_code == 302
    assert response["Location"] == event.get_absolute_url()
    signup = event.signups.get()
    assert (signup.name, signup.email, signup.nationality.code, signup.status) == (
        "Amina",
        "amina@example.org",
        "SY",
        "pending",
    )
    (sent,) = mail.outbox
    assert sent.to == ["amina@example.org"]
    assert signup_linked_in(sent.body, "confirm") == signup


def test_signup_with_bad_email_shows_error_and_keeps_input(client):
    event = EventFactory()

    response = post_signup(client, event, email="not-an-address", name="Amina Haddad")

    assert response.status_code == 200
    assert response.context["form"].errors.as_data()["email"][0].code == "invalid"
    assert 'value="Amina Haddad"' in response.content.decode()
    assert event.signups.count() == 0


def test_signup_with_disposable_email_is_refused(client):
    event = EventFactory()

    response = post_signup(client, event, email="someone@mailinator.com")

    assert response.context["form"].errors.as_data()["email"][0].code == "disposable_email"
    assert event.signups.count() == 0


def test_signup_after_closing_is_refused_with_clear_message(client):
    event = EventFactory()
    form_page = client.get(reverse("campaigns:event_signup", args=[event.slug])).content.decode()
    started = re.search(r'name="started" value="([^"]+)"', form_page).group(1)
    event.signups_close_at = timezone.now() - timedelta(seconds=1)
    event.save()

    response = client.post(
        reverse("campaigns:event_signup", args=[event.slug]), {**signup_data(), "started": started}
    )

    assert response.status_code == 200
    errors = response.context["form"].non_field_errors().as_data()
    assert [error.code for error in errors] == ["signups_closed"]
    assert "Sign-up for this event closed on" in response.content.decode()
    assert event.signups.count() == 0


def test_signup_with_filled_honeypot_is_refused(client):
    event = EventFactory()

    response = post_signup(client, event, website="http://spam.example")

    assert response.context["form"].non_field_errors().as_data()[0].code == "honeypot"
    assert event.signups.count() == 0


def test_signup_over_rate_limit_answers_429_keeping_input(client, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "signup": "1/h"}
    event = EventFactory()
    post_signup(client, event, email="first@example.org")

    response = post_signup(client, event, email="second@example.org", name="Second Person")

    assert response.status_code == 429
    assert 'value="Second Person"' in response.content.decode()
    assert list(event.signups.values_list("email", flat=True)) == ["first@example.org"]


def test_invalid_signup_counts_toward_the_address_limit(client, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "signup": "1/h"}
    event = EventFactory()
    post_signup(client, event, email="not an address")

    response = post_signup(client, event, email="amina@example.org", name="Amina Haddad")

    assert response.status_code == 429
    assert 'value="Amina Haddad"' in response.content.decode()
    assert not event.signups.exists()


def test_signup_twice_with_same_address_answers_the_same_and_keeps_one(client):
    event = EventFactory()
    SignUpFactory(event=event, email="amina@example.org", confirmed=True)

    response = post_signup(client, event, email="Amina@Example.org")

    assert response.status_code == 302
    assert event.signups.count() == 1
    assert mail.outbox[-1].subject.startswith("You are already signed up")


# Private links -----------------------------------------------------------------


def test_get_confirm_link_changes_nothing_and_offers_button(client):
    signup = SignUpFactory()

    response = client.get(private_path(signup, "confirm"))

    signup.refresh_from_db()
    assert signup.status == "pending"
    assert "Confirm my sign-up" in response.content.decode()
    assert 'method="post"' in response.content.decode()
    assert mail.outbox == []


def test_post_confirm_link_books_place(client):
    signup = SignUpFactory()

    response = client.post(private_path(signup, "confirm"), follow=True)

    signup.refresh_from_db()
    assert signup.status == "confirmed"
    assert "Confirmed: your place is booked." in response.content.decode()


def test_post_confirm_link_when_full_puts_on_waiting_list(client):
    event = EventFactory(places=1)
    SignUpFactory(event=event, confirmed=True)
    signup = SignUpFactory(event=event)

    response = client.post(private_path(signup, "confirm"), follow=True)

    signup.refresh_from_db()
    assert signup.status == "waiting"
    assert "you are on the waiting list" in response.content.decode()


def test_post_confirm_link_twice_says_already_confirmed(client):
    signup = SignUpFactory(confirmed=True)

    response = client.post(private_path(signup, "confirm"), follow=True)

    assert "You have already confirmed: your place is booked." in response.content.decode()


def test_expired_confirm_link_is_explained_and_changes_nothing(client, monkeypatch):
    signup = SignUpFactory()
    four_days_ago = timezone.now() - timedelta(days=4)
    monkeypatch.setattr(signing.time, "time", four_days_ago.timestamp)
    path = private_path(signup, "confirm")
    monkeypatch.undo()

    response = client.post(path)

    signup.refresh_from_db()
    assert response.status_code == 410
    assert "This link has expired" in response.content.decode()
    assert signup.status == "pending"


def test_tampered_link_is_404(client):
    signup = SignUpFactory()

    response = client.post(private_path(signup, "confirm").replace(signup.secret[:4], "XXXX"))

    assert response.status_code == 404


def test_confirm_token_does_not_cancel(client):
    signup = SignUpFactory(confirmed=True)
    token = signup.token("confirm")

    response = client.post(reverse("campaigns:signup_cancel", args=[signup.event.slug, token]))

    signup.refresh_from_db()
    assert (response.status_code, signup.status) == (404, "confirmed")


def test_link_under_another_event_is_404(client):
    signup = SignUpFactory()
    other = EventFactory()

    response = client.get(reverse("campaigns:signup_confirm", args=[other.slug, signup.token("confirm")]))

    assert response.status_code == 404


def test_get_cancel_link_changes_nothing(client):
    event = EventFactory(places=1)
    signup = SignUpFactory(event=event, confirmed=True)
    waiting = SignUpFactory(event=event, confirmed=True)

    response = client.get(private_path(signup, "cancel"))

    signup.refresh_from_db()
    waiting.refresh_from_db()
    assert (signup.status, waiting.status) == ("confirmed", "waiting")
    assert "Cancel my sign-up" in response.content.decode()
    assert mail.outbox == []


def test_post_cancel_link_cancels_and_promotes_first_waiting(client):
    event = EventFactory(places=1)
    signup = SignUpFactory(event=event, confirmed=True)
    waiting = SignUpFactory(event=event, email="waiting@example.org", confirmed=True)

    response = client.post(private_path(signup, "cancel"), follow=True)

    signup.refresh_from_db()
    waiting.refresh_from_db()
    assert (signup.status, waiting.status) == ("cancelled", "confirmed")
    assert "Your sign-up is cancelled." in response.content.decode()
    assert [message.to for message in mail.outbox] == [["waiting@example.org"]]


def test_cancel_link_keeps_working_after_confirmation_link_expired(client, monkeypatch):
    signup = SignUpFactory(confirmed=True)
    monkeypatch.setattr(signing.time, "time", (timezone.now() - timedelta(days=30)).timestamp)
    path = private_path(signup, "cancel")
    monkeypatch.undo()

    client.post(path)

    signup.refresh_from_db()
    assert signup.status == SignUp.Status.CANCELLED


# Other pages' includes and the sitemap -------------------------------------------


def test_upcoming_events_tag_lists_future_events_only():
    from django.template import Context, Template

    EventFactory(title="Coming run")
    EventFactory(
        title="Old run",
        starts_at=timezone.now() - timedelta(days=10),
        ends_at=timezone.now() - timedelta(days=9),
        signups_open_at=timezone.now() - timedelta(days=20),
        signups_close_at=timezone.now() - timedelta(days=11),
    )

    html = Template("{% load campaign_events %}{% upcoming_events %}").render(Context())

    assert "Coming run" in html
    assert "Old run" not in html


def test_campaign_events_tag_lists_that_campaigns_events_only():
    from django.template import Context, Template

    event = EventFactory(title="Our run")
    EventFactory(title="Someone else's run")

    html = Template("{% load campaign_events %}{% campaign_events campaign %}").render(
        Context({"campaign": event.campaign})
    )

    assert "Our run" in html
    assert "Someone else's run" not in html


def test_sitemap_lists_event_list_and_every_event(client):
    event = EventFactory()

    sitemap = whole_sitemap(client)

    assert f"<loc>http://testserver{reverse('campaigns:event_list')}</loc>" in sitemap
    assert f"<loc>http://testserver{event.get_absolute_url()}</loc>" in sitemap


def test_signup_page_when_closed_leads_to_event_page_explaining_why(client):
    event = EventFactory(signups_close_at=timezone.now() - timedelta(hours=1))

    response = client.get(reverse("campaigns:event_signup", args=[event.slug]), follow=True)

    assert response.redirect_chain == [(event.get_absolute_url(), 302)]
    assert "Sign-up for this event closed on" in response.content.decode()
