"""The key of a story shared without an email address: a code and a passphrase.

Invariants:

* The passphrase exists in clear only in the response that shows it once
  (the thank-you page) and in the text file that page offers; the database
  holds its hash, made by Django's password hashers (``make_password``), so
  a copy of the database opens no story.
* The code names the story (stored, unique) but opens nothing alone; every
  attempt counts against the client's address and every wrong passphrase
  against the code (:func:`together.abuse.check_lockout`): after
  ``RATE_LIMITS["story_code_failures"]`` the code is locked, even with the
  right passphrase, until the period ends.
* Typing is forgiving: case, spaces and dashes do not matter.
"""

import re
import secrets
from dataclasses import dataclass
from functools import cache

from django.contrib.auth.hashers import check_password, make_password

# Easy to read aloud and to copy: no 0/O, 1/I/L.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 8
PASSPHRASE_WORDS = 5


@cache
def word_list():
    """The 2048 words of the BIP-39 English list (each known by its first
    four letters): five of them give about 55 bits, and every guess costs a
    password hash and counts towards the lockout."""
    from mnemonic import Mnemonic

    return tuple(Mnemonic("english").wordlist)


def normalise_code(text):
    return re.sub(r"[^0-9A-Z]", "", (text or "").upper())[: CODE_LENGTH * 2]


def normalise_passphrase(text):
    return " ".join(re.split(r"[\s\-_.,]+", (text or "").strip().lower()))[:200].strip()


@dataclass(frozen=True)
class AccessKey:
    code: str  # normalised: upper case, no dash
    passphrase: str  # normalised: lower case words, one space apart

    @classmethod
    def generate(cls):
        from stories.models import Story

        while True:
            code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
            if not Story.objects.filter(access_code=code).exists():
                break
        words = word_list()
        return cls(code, " ".join(secrets.choice(words) for _ in range(PASSPHRASE_WORDS)))

    @property
    def shown_code(self):
        """The code as people read it: ABCD-EFGH."""
        half = len(self.code) // 2
        return f"{self.code[:half]}-{self.code[half:]}"

    def passphrase_hash(self):
        return make_password(self.passphrase)


def story_for_key(code, passphrase):
    """The story that ``code`` and ``passphrase`` open, or None. Takes as
    long for an unknown code as for a wrong passphrase (one hash either way)."""
    from stories.models import Story

    code, passphrase = normalise_code(code), normalise_passphrase(passphrase)
    story = Story.objects.filter(access_code=code).first() if code else None
    if story is None:
        make_password(passphrase)  # the same work as checking one
        return None
    return story if check_password(passphrase, story.passphrase_hash) else None
