import logging
import time

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.test import RequestFactory

from together.abuse import (
    ProtectedForm,
    RateLimited,
    RateLimitMiddleware,
    check_email_rate_limit,
    check_rate_limit,
    client_ip,
    validate_not_disposable,
)


class MessageForm(ProtectedForm):
    message = forms.CharField()


def submitted(form_class=MessageForm, seconds_ago=10, **data):
    started = form_class.issue_stamp(shown_at=time.time() - seconds_ago)
    return form_class(data={"message": "Hello", "started": started, **data})


@pytest.fixture(autouse=True)
def _min_seconds(settings):
    settings.FORM_MIN_SECONDS = 3


@pytest.fixture
def post_request():
    def make(ip="203.0.113.7", **meta):
        return RequestFactory().post("/", REMOTE_ADDR=ip, **meta)

    return make


def test_protected_form_accepts_person_paced_submission():
    assert submitted().is_valid()


def test_protected_form_refuses_filled_honeypot():
    form = submitted(website="http://spam.example")

    assert not form.is_valid()
    assert form.errors.as_data()["__all__"][0].code == "honeypot"


def test_protected_form_refuses_too_fast_submission():
    form = submitted(seconds_ago=1)

    assert not form.is_valid()
    assert form.errors.as_data()["__all__"][0].code == "too_fast"


def test_protected_form_refuses_tampered_start_time():
    form = MessageForm(data={"message": "Hello", "started": "1700000000"})

    assert not form.is_valid()
    assert form.errors.as_data()["__all__"][0].code == "form_expired"


def test_protected_form_refusal_is_logged_with_reason(caplog):
    with caplog.at_level(logging.WARNING, logger="together.abuse"):
        submitted(seconds_ago=0).is_valid()

    assert [r.getMessage() for r in caplog.records] == ["Form MessageForm refused: too_fast"]


def test_protected_form_offers_fresh_signed_start_time():
    stamp = MessageForm.read_stamp(MessageForm()["started"].value())

    assert abs(time.time() - stamp["shown"]) < 5


def test_protected_form_keeps_submitted_values_when_refused():
    form = submitted(seconds_ago=0, message="My whole story")

    form.is_valid()
    assert form["message"].value() == "My whole story"


def test_protected_form_combines_with_model_form(django_user_model):
    class UserForm(ProtectedForm, forms.ModelForm):
        class Meta:
            model = django_user_model
            fields = ["username"]

    assert set(UserForm().fields) == {"username", "website", "started"}


@pytest.mark.parametrize("address", ["someone@mailinator.com", "x@sub.mailinator.com", "Y@Mailinator.COM."])
def test_disposable_address_is_refused(address):
    with pytest.raises(ValidationError) as refused:
        validate_not_disposable(address)

    assert refused.value.code == "disposable_email"


def test_permanent_address_is_accepted():
    assert validate_not_disposable("amina@iom.int") is None


def test_disposable_refusal_logs_no_address(caplog):
    with caplog.at_level(logging.WARNING, logger="together.abuse"), pytest.raises(ValidationError):
        validate_not_disposable("someone@mailinator.com")

    assert "someone" not in caplog.text
    assert "mailinator" not in caplog.text


def test_rate_limit_allows_up_to_the_limit(settings, post_request):
    settings.RATE_LIMITS = {"story": "3/h"}

    for _ in range(3):
        check_rate_limit(post_request(), "story")


def test_rate_limit_refuses_over_the_limit_per_address(settings, post_request):
    settings.RATE_LIMITS = {"story": "3/h"}
    for _ in range(3):
        check_rate_limit(post_request(), "story")

    with pytest.raises(RateLimited):
        check_rate_limit(post_request(), "story")


def test_rate_limit_counts_each_address_apart(settings, post_request):
    settings.RATE_LIMITS = {"story": "1/h"}
    check_rate_limit(post_request(ip="203.0.113.7"), "story")

    check_rate_limit(post_request(ip="198.51.100.9"), "story")


def test_rate_limit_refuses_same_email_from_other_addresses(settings, post_request):
    settings.RATE_LIMITS = {"pledge": "2/h"}
    check_email_rate_limit(post_request(ip="203.0.113.1"), "pledge", "amina@example.org")
    check_email_rate_limit(post_request(ip="203.0.113.2"), "pledge", "amina@example.org")

    with pytest.raises(RateLimited):
        check_email_rate_limit(post_request(ip="203.0.113.3"), "pledge", "amina@example.org")


def test_rate_limit_refusal_logs_only_hashes(settings, post_request, caplog):
    settings.RATE_LIMITS = {"pledge": "1/h"}
    check_rate_limit(post_request(), "pledge")
    check_email_rate_limit(post_request(), "pledge", "amina@example.org")

    with caplog.at_level(logging.WARNING, logger="together.abuse"), pytest.raises(RateLimited):
        check_rate_limit(post_request(), "pledge")
    with caplog.at_level(logging.WARNING, logger="together.abuse"), pytest.raises(RateLimited):
        check_email_rate_limit(post_request(), "pledge", "amina@example.org")

    assert "Rate limit of pledge reached by ip" in caplog.text
    assert "Rate limit of pledge reached by email" in caplog.text
    assert "203.0.113.7" not in caplog.text
    assert "amina" not in caplog.text


def test_rate_limited_exception_answers_friendly_429_page(post_request):
    response = RateLimitMiddleware(lambda request: None).process_exception(
        post_request(), RateLimited("story")
    )

    assert response.status_code == 429
    assert response["Retry-After"] == "3600"
    assert "Please wait a little before sending again" in response.content.decode()


def test_client_ip_is_remote_addr_without_proxies(post_request):
    request = post_request(ip="203.0.113.7", HTTP_X_FORWARDED_FOR="198.51.100.1")

    assert client_ip(request) == "203.0.113.7"


def test_client_ip_is_taken_from_forwarded_for_behind_proxy(settings, post_request):
    settings.NUM_PROXIES = 1
    request = post_request(ip="10.0.0.2", HTTP_X_FORWARDED_FOR="198.51.100.1, 203.0.113.7")

    assert client_ip(request) == "203.0.113.7"
