"""Short lists read in their parent's row as JSON (together.inrow)."""

from datetime import UTC, datetime

import pytest
from django.db.models import OuterRef

from campaigns.models import Campaign, CampaignCountryCount, Pledge
from tests.campaigns.factories import CampaignFactory, PledgeFactory
from together.inrow import instances, json_list, read_json_list

pytestmark = pytest.mark.django_db


def test_each_value_lands_in_its_own_field_whatever_the_order_of_the_keys():
    (row,) = instances(CampaignCountryCount, [{"count": 7, "country": "SY"}])

    assert (row.country.code, row.count) == ("SY", 7)


def test_a_date_and_time_written_without_a_zone_is_read_as_utc():
    (pledge,) = instances(Pledge, [{"id": 1, "confirmed_at": "2026-12-05 18:46:52.324306"}])

    assert pledge.confirmed_at == datetime(2026, 12, 5, 18, 46, 52, 324306, tzinfo=UTC)


def test_fields_not_in_the_row_are_left_unloaded():
    (pledge,) = instances(Pledge, [{"id": 1, "name": "Amina"}])

    assert "email" in pledge.get_deferred_fields()
    assert "name" not in pledge.get_deferred_fields()


def test_no_row_reads_as_an_empty_list():
    assert read_json_list(None) == []


def test_a_sliced_list_carries_its_slice_only():
    campaign = CampaignFactory()
    pledges = [PledgeFactory(campaign=campaign, name=f"Person {number}") for number in range(5)]
    newest = Pledge.objects.filter(campaign=OuterRef(OuterRef("pk"))).order_by("-pk")[:2]

    read = Campaign.objects.annotate(rows=json_list(newest, id="id", name="name")).get(pk=campaign.pk)

    assert sorted(row["name"] for row in read_json_list(read.rows)) == [pledges[3].name, pledges[4].name]


def test_text_in_any_script_with_quotes_and_commas_comes_back_as_written():
    campaign = CampaignFactory()
    written = 'أمينة, "Ami" \\ Ж 李},{ 🌍'
    PledgeFactory(campaign=campaign, name=written)
    pledges = Pledge.objects.filter(campaign=OuterRef("pk"))

    read = Campaign.objects.annotate(rows=json_list(pledges, name="name")).get(pk=campaign.pk)

    assert read_json_list(read.rows) == [{"name": written}]
