from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from campaigns.models import Event, SignUp, SignUpError
from tests.campaigns.emails import signup_linked_in
from tests.campaigns.factories import EventFactory, SignUpFactory

pytestmark = pytest.mark.django_db


def register(event, email="amina@example.org", **details):
    return event.register(
        **{"name": "Amina", "email": email, "role": SignUp.Role.RUNNER, "language": "en", **details}
    )


def move_to_the_past(event):
    """The event (and its sign-up window) as if it took place last week."""
    week_ago = timezone.now() - timedelta(days=7)
    Event.objects.filter(pk=event.pk).update(
        signups_open_at=week_ago - timedelta(days=30),
        signups_close_at=week_ago - timedelta(days=1),
        starts_at=week_ago,
        ends_at=week_ago + timedelta(hours=4),
    )


def statuses(event):
    return list(event.signups.order_by("pk").values_list("name", "status"))


# Registering -----------------------------------------------------------------


def test_register_creates_pending_signup_and_emails_confirmation_link():
    event = EventFactory(title="Brussels 20 km")

    signup = register(event, email="  Amina@Example.ORG ")

    assert (signup.status, signup.email, signup.email_normalised, signup.language) == (
        "pending",
        "Amina@Example.ORG",
        "amina@example.org",
        "en",
    )
    (sent,) = mail.outbox
    assert sent.to == ["Amina@Example.ORG"]
    assert sent.subject == "Please confirm your sign-up: Brussels 20 km"
    assert signup_linked_in(sent.body, "confirm") == signup
    assert event.places_taken == 0


def test_register_before_opening_is_refused_with_opening_date():
    event = EventFactory(signups_open_at=timezone.now() + timedelta(days=2))

    with pytest.raises(SignUpError, match="Sign-up for this event opens on"):
        register(event)

    assert (event.signups.count(), mail.outbox) == (0, [])


def test_register_after_closing_is_refused_with_closing_date():
    event = EventFactory(signups_close_at=timezone.now() - timedelta(minutes=1))

    with pytest.raises(SignUpError, match="Sign-up for this event closed on"):
        register(event)

    assert event.signups.count() == 0


def test_register_same_address_again_while_pending_resends_link_with_new_details():
    event = EventFactory()
    register(event, email="amina@example.org", name="Amina")

    again = register(event, email="AMINA@example.org", name="Amina H.")

    assert event.signups.count() == 1
    assert (again.name, again.status) == ("Amina H.", "pending")
    assert [message.subject.split(":")[0] for message in mail.outbox] == ["Please confirm your sign-up"] * 2


def test_register_same_address_when_confirmed_changes_nothing_and_reminds_by_email():
    event = EventFactory()
    signup = SignUpFactory(event=event, email="amina@example.org", name="Amina", confirmed=True)

    register(event, email="amina@example.org", name="Someone else")

    signup.refresh_from_db()
    assert (signup.name, signup.status, event.signups.count()) == ("Amina", "confirmed", 1)
    (sent,) = mail.outbox
    assert sent.subject.startswith("You are already signed up")
    assert "your place is booked." in sent.body
    assert signup_linked_in(sent.body, "cancel") == signup


def test_register_after_cancelling_starts_again_as_pending():
    event = EventFactory()
    signup = SignUpFactory(event=event, email="amina@example.org", confirmed=True)
    signup.cancel()

    register(event, email="amina@example.org")

    signup.refresh_from_db()
    assert (signup.status, signup.confirmed_at, signup.cancelled_at) == ("pending", None, None)


def test_one_signup_per_address_and_event_whatever_the_case():
    event = EventFactory()
    SignUpFactory(event=event, email="amina@example.org")

    with pytest.raises(IntegrityError), transaction.atomic():
        SignUpFactory(event=event, email="Amina@Example.org")


# Confirming ------------------------------------------------------------------


def test_confirm_takes_free_place_and_emails_booking():
    event = EventFactory(title="Brussels 20 km", places=2)
    signup = SignUpFactory(event=event)

    signup.confirm()

    event.refresh_from_db()
    assert (signup.status, event.places_taken) == ("confirmed", 1)
    (sent,) = mail.outbox
    assert sent.subject == "Your place is booked: Brussels 20 km"
    assert signup_linked_in(sent.body, "cancel") == signup


def test_confirm_when_full_joins_waiting_list_and_says_so():
    event = EventFactory(places=1)
    SignUpFactory(event=event, confirmed=True)
    late = SignUpFactory(event=event)

    late.confirm()

    event.refresh_from_db()
    assert (late.status, event.places_taken) == ("waiting", 1)
    assert mail.outbox[-1].subject.startswith("You are on the waiting list")


def test_confirm_with_unlimited_places_always_takes_a_place():
    event = EventFactory(places=None)

    signups = [SignUpFactory(event=event, confirmed=True) for _ in range(3)]

    event.refresh_from_db()
    assert [signup.status for signup in signups] == ["confirmed"] * 3
    assert event.places_taken == 3


def test_confirm_twice_is_refused_and_takes_one_place():
    event = EventFactory()
    signup = SignUpFactory(event=event, confirmed=True)

    with pytest.raises(SignUpError, match="already confirmed"):
        signup.confirm()

    event.refresh_from_db()
    assert event.places_taken == 1


def test_confirm_of_stale_copy_sees_current_status():
    event = EventFactory()
    signup = SignUpFactory(event=event)
    stale_copy = SignUp.objects.get(pk=signup.pk)
    signup.confirm(notify=False)

    with pytest.raises(SignUpError):
        stale_copy.confirm()

    event.refresh_from_db()
    assert event.places_taken == 1


# Cancelling and the waiting list ---------------------------------------------


def test_cancel_gives_place_to_first_person_waiting_and_emails_them():
    event = EventFactory(title="Brussels 20 km", places=1)
    holder = SignUpFactory(event=event, name="Holder", confirmed=True)
    second = SignUpFactory(event=event, name="Second in line", email="second@example.org")
    first = SignUpFactory(event=event, name="First in line", email="first@example.org")
    first.confirm(notify=False)  # confirmed before "second": first on the list
    second.confirm(notify=False)
    mail.outbox.clear()

    holder.cancel()

    event.refresh_from_db()
    assert statuses(event) == [
        ("Holder", "cancelled"),
        ("Second in line", "waiting"),
        ("First in line", "confirmed"),
    ]
    assert event.places_taken == 1
    (sent,) = mail.outbox
    assert sent.to == ["first@example.org"]
    assert sent.subject == "A place is yours: Brussels 20 km"
    assert "Hello First in line," in sent.body
    assert "a place has become free and it is yours" in sent.body
    first.refresh_from_db()
    assert signup_linked_in(sent.body, "cancel") == first
    assert first.promoted_at is not None
    assert first.promoted_by is None


def test_cancel_while_waiting_frees_no_place_and_promotes_nobody():
    event = EventFactory(places=1)
    SignUpFactory(event=event, confirmed=True)
    waiting = SignUpFactory(event=event, confirmed=True)
    other_waiting = SignUpFactory(event=event, confirmed=True)

    waiting.cancel()

    event.refresh_from_db()
    other_waiting.refresh_from_db()
    assert (event.places_taken, other_waiting.status, mail.outbox) == (1, "waiting", [])


def test_cancel_without_anyone_waiting_frees_the_place():
    event = EventFactory(places=1)
    holder = SignUpFactory(event=event, confirmed=True)

    holder.cancel()

    event.refresh_from_db()
    assert (holder.status, event.places_taken, event.places_left) == ("cancelled", 0, 1)


def test_cancel_twice_is_refused():
    signup = SignUpFactory(confirmed=True)
    signup.cancel()

    with pytest.raises(SignUpError, match="already cancelled"):
        signup.cancel()


def test_promote_by_organiser_when_place_is_free(admin_user):
    event = EventFactory(places=1)
    SignUpFactory(event=event, confirmed=True)
    waiting = SignUpFactory(event=event, confirmed=True)
    Event.objects.filter(pk=event.pk).update(places=2)

    waiting.promote(by=admin_user)

    waiting.refresh_from_db()
    event.refresh_from_db()
    assert (waiting.status, waiting.promoted_by, event.places_taken) == ("confirmed", admin_user, 2)
    assert mail.outbox[-1].to == [waiting.email]


def test_promote_when_full_is_refused_and_changes_nothing(admin_user):
    event = EventFactory(places=1)
    SignUpFactory(event=event, confirmed=True)
    waiting = SignUpFactory(event=event, confirmed=True)

    with pytest.raises(SignUpError, match="No place is free"):
        waiting.promote(by=admin_user)

    waiting.refresh_from_db()
    event.refresh_from_db()
    assert (waiting.status, event.places_taken, mail.outbox) == ("waiting", 1, [])


def test_promote_of_someone_not_waiting_is_refused():
    signup = SignUpFactory()

    with pytest.raises(SignUpError, match="waiting list"):
        signup.promote()


def test_promote_next_fills_free_place_in_confirmation_order():
    event = EventFactory(places=1)
    SignUpFactory(event=event, confirmed=True)
    first, second = SignUpFactory(event=event, confirmed=True), SignUpFactory(event=event, confirmed=True)
    Event.objects.filter(pk=event.pk).update(places=2)

    assert event.promote_next() == first
    assert event.promote_next() is None

    second.refresh_from_db()
    assert second.status == "waiting"


# Constraints -------------------------------------------------------------------


def test_database_refuses_more_places_taken_than_places():
    event = EventFactory(places=1)
    SignUpFactory(event=event, confirmed=True)

    with pytest.raises(IntegrityError), transaction.atomic():
        Event.objects.filter(pk=event.pk).update(places_taken=2)


def test_fewer_places_than_taken_is_a_validation_error():
    event = EventFactory(places=2)
    SignUpFactory(event=event, confirmed=True)
    SignUpFactory(event=event, confirmed=True)
    event.refresh_from_db()
    event.places = 1

    with pytest.raises(ValidationError) as error:
        event.full_clean()

    assert error.value.error_dict["places"][0].code == "fewer_places_than_taken"


@pytest.mark.parametrize(("latitude", "longitude"), [(91, 4), (50, 181), (50, None)])
def test_database_refuses_impossible_coordinates(latitude, longitude):
    with pytest.raises(IntegrityError), transaction.atomic():
        EventFactory(latitude=latitude, longitude=longitude)


def test_database_refuses_event_ending_before_it_starts():
    start = timezone.now() + timedelta(days=3)

    with pytest.raises(IntegrityError), transaction.atomic():
        EventFactory(starts_at=start, ends_at=start - timedelta(hours=1))


def test_unknown_time_zone_is_a_validation_error():
    event = EventFactory.build(time_zone="Mars/Olympus_Mons")

    with pytest.raises(ValidationError) as error:
        event.full_clean(exclude=["campaign"])

    assert error.value.error_dict["time_zone"][0].code == "invalid_choice"


# Display -----------------------------------------------------------------------


def test_map_url_points_at_coordinates_on_openstreetmap():
    event = EventFactory.build(latitude="50.839900", longitude="4.392900")

    assert (
        event.map_url
        == "https://www.openstreetmap.org/?mlat=50.839900&mlon=4.392900#map=17/50.839900/4.392900"
    )


def test_map_url_without_coordinates_searches_the_address():
    event = EventFactory.build(address="Parc du Cinquantenaire, 1000 Brussels")

    assert event.map_url == (
        "https://www.openstreetmap.org/search?query=Parc+du+Cinquantenaire%2C+1000+Brussels"
    )


def test_with_public_counts_counts_nationalities_of_people_with_a_place_only():
    event = EventFactory(places=2)
    SignUpFactory(event=event, nationality="BE", confirmed=True)
    SignUpFactory(event=event, nationality="SY", confirmed=True)
    SignUpFactory(event=event, nationality="ER", confirmed=True)  # waiting
    SignUpFactory(event=event, nationality="AF")  # not confirmed

    counted = Event.objects.with_public_counts().get(pk=event.pk)

    assert (counted.places_taken, counted.nationality_count) == (2, 2)


def test_remove_of_place_holder_frees_place_for_first_waiting():
    event = EventFactory(places=1)
    holder = SignUpFactory(event=event, confirmed=True)
    waiting = SignUpFactory(event=event, email="waiting@example.org", confirmed=True)

    holder.remove()

    event.refresh_from_db()
    waiting.refresh_from_db()
    assert (event.places_taken, waiting.status) == (1, "confirmed")
    assert not SignUp.objects.filter(pk=holder.pk).exists()
    assert [message.to for message in mail.outbox] == [["waiting@example.org"]]


def test_remove_of_waiting_person_leaves_places_alone():
    event = EventFactory(places=1)
    SignUpFactory(event=event, confirmed=True)
    waiting = SignUpFactory(event=event, confirmed=True)

    waiting.remove()

    event.refresh_from_db()
    assert (event.places_taken, event.signups.count()) == (1, 1)


def test_cancel_after_the_event_is_refused():
    event = EventFactory(places=1)
    holder = SignUpFactory(event=event, confirmed=True)
    SignUpFactory(event=event, confirmed=True)
    move_to_the_past(event)

    with pytest.raises(SignUpError, match="already taken place"):
        holder.cancel()

    holder.refresh_from_db()
    assert (holder.status, mail.outbox) == ("confirmed", [])


def test_place_freed_after_the_event_is_given_to_nobody():
    event = EventFactory(places=1)
    holder = SignUpFactory(event=event, confirmed=True)
    waiting = SignUpFactory(event=event, confirmed=True)
    move_to_the_past(event)

    holder.remove()

    waiting.refresh_from_db()
    assert (waiting.status, mail.outbox) == ("waiting", [])
