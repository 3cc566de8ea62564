import pytest

from campaigns.models import Event

pytestmark = pytest.mark.django_db


def test_demo_team_shows_fifty_people_of_fifteen_nationalities(client, demo_content):
    team = Event.objects.with_public_counts().get(slug="un-migration-team-20-km-brussels-2017")

    html = client.get(team.get_absolute_url()).content.decode()

    assert (team.places, team.places_taken, team.nationality_count) == (50, 50, 15)
    assert team.signups.waiting_list().count() == 3
    assert "<strong>50</strong> people took part" in html
    assert "<strong>15</strong> nationalities" in html


def test_demo_has_the_information_stand_and_an_upcoming_event(demo_content):
    assert Event.objects.filter(slug="un-information-stand-20-km-brussels-2017", kind="stand").exists()
    upcoming = Event.objects.upcoming().get()
    assert upcoming.signups_refusal() is None
