import pytest

from stories.privacy import Hint, find_privacy_hints, mark_privacy_hints


def kinds_and_texts(text):
    return [(hint.kind, hint.text) for hint in find_privacy_hints(text)]


@pytest.mark.parametrize(
    "phone",
    [
        "+32 2 287 74 12",
        "+44 20 7946 0958",
        "0032 2 287 74 12",
        "+44 (0)20 7946 0958",
        "+32470123456",
        "02 287 74 12",
        "020 7946 0958",
        "0470/12.34.56",
        "+1-202-555-0143",
    ],
)
def test_phone_numbers_are_found_in_international_and_national_formats(phone):
    assert kinds_and_texts(f"Call me on {phone} any evening.") == [("phone", phone)]


@pytest.mark.parametrize(
    "text",
    [
        "We arrived on 01.02.2016 after 3 days.",
        "In 2015, 1 000 000 people crossed.",
        "My son is 12 and my daughter 0.",
        "Room 0412 was ours.",
    ],
)
def test_dates_years_and_small_numbers_are_not_phone_numbers(text):
    assert kinds_and_texts(text) == []


@pytest.mark.parametrize(
    "email", ["amina.haddad@example.org", "a+b@mail.example.co.uk", "x_y@sub-domain.example.be"]
)
def test_email_addresses_are_found(email):
    assert kinds_and_texts(f"Write to {email}.") == [("email", email)]


@pytest.mark.parametrize(
    "url",
    [
        "https://example.org/my-page?id=3",
        "http://facebook.com/amina.h",
        "www.instagram.com/amina",
        "example.org/about-me",
    ],
)
def test_web_links_are_found_without_trailing_punctuation(url):
    assert kinds_and_texts(f"See ({url}).") == [("url", url)]


def test_email_domain_is_not_reported_again_as_a_link():
    assert kinds_and_texts("mail amina@example.org/") == [("email", "amina@example.org")]


@pytest.mark.parametrize(
    "address",
    ["221B Baker Street", "12 Church Road", "Rue de la Loi 200", "Kastanienallee 5", "Via Roma, 12"],
)
def test_street_address_like_text_is_found(address):
    assert kinds_and_texts(f"We lived at {address} for a year.") == [("address", address)]


def test_ordinary_story_text_has_no_hints():
    text = "We arrived in winter.\n\nOur neighbours brought soup. Two years later we opened a bakery."

    assert find_privacy_hints(text) == []


def test_hints_in_a_story_are_found_in_order_with_positions():
    text = "Mail amina@example.org, call +32 2 287 74 12 or see https://amina.example/blog."

    hints = find_privacy_hints(text)

    assert hints == [
        Hint("email", "amina@example.org", 5, 22),
        Hint("phone", "+32 2 287 74 12", 29, 44),
        Hint("url", "https://amina.example/blog", 52, 78),
    ]
    assert [text[hint.start : hint.end] for hint in hints] == [hint.text for hint in hints]


def test_empty_text_has_no_hints():
    assert find_privacy_hints("") == []


def test_mark_wraps_hints_and_escapes_everything_else():
    marked = mark_privacy_hints("<b>Hi</b> amina@example.org <script>")

    assert marked == (
        '&lt;b&gt;Hi&lt;/b&gt; <mark class="privacy-hint" title="email address">amina@example.org</mark>'
        " &lt;script&gt;"
    )


def test_mark_escapes_the_hint_itself():
    marked = mark_privacy_hints("see https://x.example/?a=1&b=2")

    assert marked == 'see <mark class="privacy-hint" title="web link">https://x.example/?a=1&amp;b=2</mark>'
