"""The canonical form of an address: one person, one form; mail still goes
to the address as typed."""

import pytest

from together.mail import normalise_email


@pytest.mark.parametrize(
    "spelling",
    [
        "aminahaddad@gmail.com",
        "Amina.Haddad@gmail.com",
        "amina.haddad+together@gmail.com",
        "a.minahaddad@GoogleMail.com",
    ],
)
def test_gmail_spellings_of_one_mailbox_share_one_form(spelling):
    assert normalise_email(spelling) == "aminahaddad@gmail.com"


def test_surrounding_spaces_and_case_are_dropped():
    assert normalise_email("  Amina@Example.ORG \n") == "amina@example.org"


def test_dots_count_outside_gmail():
    assert normalise_email("amina.haddad@example.org") != normalise_email("aminahaddad@example.org")


def test_a_plus_tag_counts_at_providers_that_do_not_document_it():
    assert normalise_email("amina+news@example.org") == "amina+news@example.org"


@pytest.mark.parametrize(
    "domain", ["outlook.com", "hotmail.com", "live.com", "icloud.com", "fastmail.com", "proton.me"]
)
def test_a_plus_tag_is_dropped_where_the_provider_documents_it(domain):
    assert normalise_email(f"Amina.Haddad+together@{domain}") == f"amina.haddad@{domain}"


def test_yahoo_hyphens_are_kept():
    assert normalise_email("amina-together@yahoo.com") == "amina-together@yahoo.com"


def test_an_internationalised_domain_has_one_form_whether_typed_in_unicode_or_ascii():
    assert normalise_email("zoë@Bücher.example") == normalise_email("zoë@xn--bcher-kva.example")
    assert normalise_email("zoë@bücher.example") == "zoë@xn--bcher-kva.example"


def test_a_composed_and_a_decomposed_accent_are_one_address():
    assert normalise_email("zo\u00eb@example.org") == normalise_email("zoe\u0308@example.org")


def test_compatibility_characters_are_not_folded():
    # NFKC would make the ligature "fi": a different mailbox to a mail server.
    assert normalise_email("\ufb01@example.org") != normalise_email("fi@example.org")


def test_a_trailing_dot_of_the_domain_is_dropped():
    assert normalise_email("amina@example.org.") == "amina@example.org"


def test_the_split_is_at_the_last_at_sign():
    assert normalise_email('"a@b"@GMAIL.com') == '"a@b"@gmail.com'


def test_a_name_that_is_only_a_tag_is_kept():
    assert normalise_email("+tag@gmail.com") == "+tag@gmail.com"


@pytest.mark.parametrize("text", ["", "not an address", "@example.org", "amina@", "amina@exa mple..org"])
def test_anything_else_is_only_trimmed_and_lower_cased(text):
    assert normalise_email(f" {text.upper()} ") == text.lower().strip()


def test_the_form_of_a_form_is_itself():
    once = normalise_email("A.Mina+x@GoogleMail.com")
    assert normalise_email(once) == once
