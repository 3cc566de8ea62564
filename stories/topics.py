"""Topics (taggit tags) of stories, in any script a person can type.

Invariants:

* A topic's name is normalised once, here, whatever path it comes by (the
  sharing and edit forms, the admin, ``story.tags.set()`` in code): Unicode
  NFC, control characters and runs of white space made one space, trimmed,
  lower case. "Family", "family " and "FAMILY" are one topic, and so are an
  accented word typed precomposed or with combining accents.
* Topics are typed separated by the comma of any script the site serves
  (Latin, Arabic, Chinese full-width, the Chinese enumeration comma) or a
  semicolon (Latin, Arabic, full-width): :data:`SEPARATORS`. Nothing else
  splits them, so a phrase ("food bank", "家庭 生活") stays one topic.
* Every topic has a non-empty, unique slug, the last part of its page's
  address: its name slugified with its letters kept (``جيران``, ``школа``,
  ``bénévolat``), or, when nothing is left of it (emoji, punctuation), its
  code points in hexadecimal (``2764-fe0f``); ``-2``, ``-3``... is added to a
  slug another topic already has.
* Saving a story's topics never fails because another story creates the same
  new topic at the same moment (see :meth:`TopicManager._to_tag_model_instances`).
"""

import re
import unicodedata

from django.db import IntegrityError, transaction
from django.utils.crypto import get_random_string
from django.utils.text import slugify
from taggit.managers import _TaggableManager
from taggit.models import Tag

# Between topics: the comma of Latin and Cyrillic writing, the Arabic comma, the
# full-width comma and the enumeration comma of Chinese, and the semicolon
# (Latin, Arabic, full width).
SEPARATORS = ",\u060c\uff0c\u3001;\u061b\uff1b"
_SEPARATOR_RE = re.compile(f"[{re.escape(SEPARATORS)}]")
# Control characters (a pasted tab or bell) count as white space.
_SPACE_RE = re.compile(r"[\s\x00-\x1f\x7f-\x9f]+")

_SLUG_BASE_LENGTH = 60  # Tag.slug holds 100 characters: room for "-N"
_CREATE_ATTEMPTS = 10
_SLUG_SUFFIX_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"


def normalise(name):
    """The one spelling of the topic ``name`` (may be empty)."""
    name = _SPACE_RE.sub(" ", unicodedata.normalize("NFC", name)).strip()
    return unicodedata.normalize("NFC", name.lower())


def parse(text):
    """The topics typed in ``text``, normalised, without repeats, sorted.

    taggit's ``TAGGIT_TAGS_FROM_STRING``, so every tag form field (ours and the
    admin's) splits the same way. Sorted, as taggit's own parser: its form
    field compares the result with the sorted current names."""
    topics = (normalise(part) for part in _SEPARATOR_RE.split(text or ""))
    return sorted({topic for topic in topics if topic})


def to_string(tags):
    """The topics as the form field shows them again, for editing
    (``TAGGIT_STRING_FROM_TAGS``): names never hold a separator, so no quoting."""
    return ", ".join(sorted(tag.name for tag in tags))


def slug_base(name):
    """The slug of ``name`` before any suffix: never empty."""
    slug = slugify(name, allow_unicode=True)
    if not slug:
        slug = "-".join(f"{ord(char):x}" for char in name if not char.isspace()) or "topic"
    return slug[:_SLUG_BASE_LENGTH].strip("-_") or "topic"


def normalise_slug(slug):
    """``slug`` as stored, from an address typed or copied in another
    Unicode form or case (slugify gives NFKC, lower case)."""
    return unicodedata.normalize("NFKC", slug).lower()


def unique_slug(name, *, contended=False):
    """A slug for the new topic ``name`` that no topic has yet, at the time
    of asking: the first free of ``base``, ``base-2``, ``base-3``... When
    ``contended`` (a slug just went to a topic created at the same moment),
    a random suffix instead, so that many at once do not all queue for the
    next number."""
    base = slug_base(name)
    if contended:
        return f"{base}-{get_random_string(6, _SLUG_SUFFIX_ALPHABET)}"
    taken = set(Tag.objects.filter(slug__startswith=base).values_list("slug", flat=True))
    slug, number = base, 1
    while slug in taken:
        number += 1
        slug = f"{base}-{number}"
    return slug


def get_or_create_topic(name):
    """The topic named ``name`` (normalised), created if missing.

    Safe when other transactions create the same topic, or one with the same
    slug, at the same moment: the insert runs in a savepoint, and a unique
    violation (the name or the slug was just taken) means looking again,
    which finds the topic the other transaction committed or picks the next
    free slug (a random one after the first try). On PostgreSQL the insert waits for the other transaction to
    end before it knows, so the next look sees its row."""
    for attempt in range(_CREATE_ATTEMPTS):
        # iexact: names stored before normalisation may differ in case.
        existing = Tag.objects.filter(name__iexact=name).order_by("pk").first()
        if existing is not None:
            return existing
        try:
            with transaction.atomic():
                return Tag.objects.create(name=name, slug=unique_slug(name, contended=attempt > 0))
        except IntegrityError:
            continue
    raise IntegrityError(f"Could not create the topic {name!r} after {_CREATE_ATTEMPTS} attempts.")


class TopicManager(_TaggableManager):
    """``story.tags``: taggit's manager, with names normalised and new
    topics created race-safely (every way of setting tags comes here)."""

    def _to_tag_model_instances(self, tags, tag_kwargs):
        names = {normalise(tag) for tag in tags if isinstance(tag, str)}
        names.discard("")
        # One query for the topics that exist; the rest are created in a
        # fixed order, so two stories creating the same topics lock their
        # rows in the same order and cannot deadlock.
        existing = {tag.name: tag for tag in Tag.objects.filter(name__in=names)}
        for name in sorted(names - existing.keys(), key=lambda name: (slug_base(name), name)):
            existing[name] = get_or_create_topic(name)
        result = []
        for tag in tags:
            if isinstance(tag, str):
                tag = existing.get(normalise(tag))
                if tag is None:
                    continue
            elif not isinstance(tag, Tag):
                raise TypeError(f"Cannot add {tag!r} ({type(tag)}): expected a Tag or a str.")
            if tag not in result:
                result.append(tag)
        return result
