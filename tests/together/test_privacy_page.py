"""The public privacy page states the retention periods from the settings
that purge_personal_data obeys, so the two cannot disagree."""

import pytest

from tests.sitemaps import whole_sitemap

pytestmark = pytest.mark.django_db


def privacy_page(client, language="en"):
    response = client.get(f"/{language}/privacy/")
    assert response.status_code == 200
    return response.content.decode()


def test_the_privacy_page_states_the_default_periods(client):
    html = privacy_page(client)

    assert "erased 30 days after the event" in html
    assert "you can answer a decision for 30 days" in html
    assert "erased 6 months after the campaign ends" in html
    assert "deleted 7 days after we sent the link" in html
    assert "erased 24 hours after delivery" in html


@pytest.mark.parametrize(
    ("setting", "value", "sentence"),
    [
        ("RETENTION_SIGNUP_DAYS_AFTER_EVENT", 90, "erased 90 days after the event"),
        ("RETENTION_SIGNUP_DAYS_AFTER_EVENT", 1, "erased 1 day after the event"),
        ("RETENTION_DECLINED_STORY_DAYS", 14, "you can answer a decision for 14 days"),
        ("RETENTION_PLEDGE_MONTHS_AFTER_CAMPAIGN", 12, "erased 12 months after the campaign ends"),
        ("RETENTION_SENT_EMAIL_HOURS", 48, "erased 48 hours after delivery"),
    ],
)
def test_the_privacy_page_shows_the_configured_period(client, settings, setting, value, sentence):
    setattr(settings, setting, value)

    assert sentence in privacy_page(client)


def test_the_privacy_page_says_how_to_ask_for_your_data(client):
    assert 'href="/en/privacy/my-data/"' in privacy_page(client)


@pytest.mark.parametrize("path", ["/en/", "/en/about/", "/en/stories/", "/en/stories/share/"])
def test_every_page_links_to_the_privacy_page_in_its_footer(client, path):
    html = client.get(path).content.decode()

    footer = html[html.index('<footer class="site-footer">') :]
    assert '<a href="/en/privacy/">Privacy</a>' in footer


def test_the_privacy_page_is_in_the_sitemap(client):
    assert "/en/privacy/" in whole_sitemap(client)
