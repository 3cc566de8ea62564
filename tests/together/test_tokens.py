from datetime import timedelta

import pytest
from django.core import signing

from campaigns.models import SignUp
from tests.campaigns.factories import SignUpFactory
from together.tokens import make_token, read_token


def test_a_token_gives_back_its_value():
    token = make_token([7, "secret"], purpose="test.purpose")

    assert read_token(token, purpose="test.purpose") == [7, "secret"]


def test_a_token_made_for_one_purpose_is_refused_for_another():
    token = make_token(7, purpose="test.confirm")

    with pytest.raises(signing.BadSignature):
        read_token(token, purpose="test.cancel")


def test_an_undated_token_is_the_same_every_time():
    first = make_token(7, purpose="test.purpose", dated=False)

    assert make_token(7, purpose="test.purpose", dated=False) == first


def test_a_dated_token_older_than_its_max_age_is_expired(monkeypatch):
    token = make_token(7, purpose="test.purpose")
    an_hour_later = signing.time.time() + 3600
    monkeypatch.setattr(signing.time, "time", lambda: an_hour_later)

    with pytest.raises(signing.SignatureExpired):
        read_token(token, purpose="test.purpose", max_age=timedelta(minutes=5))


def test_a_string_is_signed_as_it_is_and_read_back_as_text():
    token = make_token("s3cret", purpose="test.purpose")

    assert (token.split(":")[0], read_token(token, purpose="test.purpose", text=True)) == ("s3cret", "s3cret")


def test_a_signed_value_that_is_not_json_is_refused_as_a_bad_signature():
    token = signing.TimestampSigner(salt="test.purpose").sign("not-json-at-all")

    with pytest.raises(signing.BadSignature):
        read_token(token, purpose="test.purpose")


@pytest.mark.django_db
def test_a_sign_up_link_emailed_before_the_token_helper_still_works():
    signup = SignUpFactory()
    emailed = signing.TimestampSigner(salt="campaigns.signup.cancel").sign(signup.secret)

    assert SignUp.from_token(emailed, "cancel") == signup


def test_a_token_made_with_a_former_secret_key_still_works_from_the_fallbacks(settings):
    settings.SECRET_KEY = "the-key-before-the-rotation"
    token = make_token(7, purpose="test.purpose", dated=False)

    settings.SECRET_KEY = "the-key-after-the-rotation"
    settings.SECRET_KEY_FALLBACKS = ["the-key-before-the-rotation"]

    assert read_token(token, purpose="test.purpose", dated=False) == 7
