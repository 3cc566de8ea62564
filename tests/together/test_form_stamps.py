"""A form's stamp works once, in the form it was issued for, within its
lifetime; a form shown again carries a fresh one, so people can resend it.

Before: one signed start time, under one salt for every form, served any
number of submissions of any form for a day."""

import re
import threading
import time

import pytest
from django import forms
from django.core import signing

from campaigns.forms import PledgeForm
from campaigns.models import Pledge
from stories.forms import ManageLinkRequestForm
from tests.campaigns.factories import CampaignFactory
from tests.campaigns.helpers import pledge_data
from together.abuse import FORM_MAX_AGE, ProtectedForm


class MessageForm(ProtectedForm):
    message = forms.CharField()


class OtherForm(ProtectedForm):
    message = forms.CharField()


def refusal_codes(form):
    return [error.code for error in form.errors.as_data().get("__all__", [])]


def stamp_in(html):
    return re.search(r'name="started" value="([^"]+)"', html).group(1)


def test_a_stamp_is_accepted_once_and_refused_the_second_time():
    stamp = MessageForm.issue_stamp()

    first = MessageForm(data={"message": "Hello", "started": stamp})
    second = MessageForm(data={"message": "Hello again", "started": stamp})

    assert first.is_valid()
    assert not second.is_valid()
    assert refusal_codes(second) == ["form_reused"]


def test_a_stamp_works_only_in_the_form_it_was_issued_for():
    form = OtherForm(data={"message": "Hello", "started": MessageForm.issue_stamp()})

    assert refusal_codes(form) == ["form_expired"]


def test_a_stamp_older_than_its_lifetime_is_refused():
    stamp = MessageForm.issue_stamp(shown_at=time.time() - FORM_MAX_AGE - 1)

    form = MessageForm(data={"message": "Hello", "started": stamp})

    assert refusal_codes(form) == ["form_expired"]


def test_a_refused_form_is_shown_again_with_a_fresh_stamp_that_works():
    stamp = MessageForm.issue_stamp()
    refused = MessageForm(data={"message": "", "started": stamp})
    assert not refused.is_valid()

    fresh = refused["started"].value()
    resent = MessageForm(data={"message": "Hello", "started": fresh})

    assert fresh != stamp
    assert resent.is_valid()


def test_the_fresh_stamp_keeps_the_first_showing_so_a_quick_correction_is_not_too_fast(settings):
    settings.FORM_MIN_SECONDS = 3
    refused = MessageForm(data={"message": "", "started": MessageForm.issue_stamp(shown_at=time.time() - 10)})
    assert not refused.is_valid()

    resent = MessageForm(data={"message": "Hello", "started": refused["started"].value()})

    assert resent.is_valid()


def test_the_same_stamp_sent_ten_times_at_once_is_accepted_once():
    stamp = MessageForm.issue_stamp()
    start = threading.Barrier(10)
    results = []

    def send():
        start.wait()
        results.append(MessageForm(data={"message": "Hello", "started": stamp}).is_valid())

    threads = [threading.Thread(target=send) for _ in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(results) == [False] * 9 + [True]


@pytest.mark.django_db
def test_one_stamp_makes_one_pledge_not_ten(client):
    campaign = CampaignFactory(is_active=True)
    stamp = PledgeForm.issue_stamp()

    sent = [pledge_data(email=f"p{n}@example.org", started=stamp) for n in range(10)]

    statuses = [client.post(campaign.get_absolute_url(), data).status_code for data in sent]

    assert statuses == [302] + [400] * 9
    assert Pledge.objects.count() == 1


@pytest.mark.django_db
def test_pledge_form_shown_again_with_errors_can_be_sent_with_its_new_stamp(client):
    campaign = CampaignFactory(is_active=True)
    refused = client.post(campaign.get_absolute_url(), pledge_data(name=""))
    assert refused.status_code == 400

    resent = client.post(campaign.get_absolute_url(), pledge_data(started=stamp_in(refused.content.decode())))

    assert resent.status_code == 302
    assert Pledge.objects.count() == 1


@pytest.mark.django_db
def test_a_pledge_stamp_does_not_open_another_form(client, mailoutbox):
    data = {"email": "amina@example.org", "website": "", "started": PledgeForm.issue_stamp()}

    response = client.post("/en/stories/manage/", data)

    assert response.status_code == 200
    assert refusal_codes(response.context["form"]) == ["form_expired"]
    assert ManageLinkRequestForm.read_stamp(stamp_in(response.content.decode())) is not None


@pytest.mark.parametrize(
    "payload", [1700000000, [1, 2], {"shown": "now", "nonce": "x"}, {"shown": 1.0}, {"nonce": "x"}, None]
)
def test_a_stamp_signed_for_the_form_but_of_another_shape_is_refused(payload):
    stamp = signing.dumps(payload, salt=MessageForm._stamp_salt())

    form = MessageForm(data={"message": "Hello", "started": stamp})

    assert refusal_codes(form) == ["form_expired"]


@pytest.mark.parametrize("value", ["", "garbage", "a" * 100_000, "1700000000", "é:ü:ö"])
def test_a_damaged_stamp_is_refused_clearly(value):
    form = MessageForm(data={"message": "Hello", "started": value})

    assert refusal_codes(form) == ["form_expired"]
