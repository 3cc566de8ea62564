"""Searching stories by their words, in the language each is written in.

A reader's query is matched against every story *in the story's own
language*: "bakeries" finds an English story about a bakery, "boulangeries"
a French one, "пекарни" a Russian one ("пекарня"). The query is first read
into a small, safe structure by :func:`parse_query` (the ``websearch`` syntax
of search engines: words are all required, ``"a phrase"``, ``-word`` to
exclude, ``or`` between alternatives), bounded to :data:`MAX_QUERY_LENGTH`
characters and :data:`MAX_QUERY_TERMS` terms; whatever anyone types (33
hyphens, an unbalanced quote, operators, 1,000 characters, mixed scripts)
becomes a query that the database can run.

Two ways of matching, chosen by the database (stories and their
translations, :class:`stories.models.SearchedText`, store what each needs
when they are saved):

- **PostgreSQL**: full-text search. ``Story.search_vector`` is the title
  (weight A) and text (weight B) as a ``tsvector`` built with the text search
  configuration of the story's language (:data:`CONFIG_BY_LANGUAGE`:
  ``english``, ``french``, ``russian``, ...; ``simple``, no stemming, for
  languages PostgreSQL has no stemmer for), GIN-indexed. The query is
  ``websearch_to_tsquery`` with each story's own configuration; results are
  ranked (``ts_rank`` on the stored vector, title above text).
- **SQLite** (development, tests): a documented fallback.
  ``Story.search_words`` holds the story's words, lower-cased and reduced to
  their stems by the same Snowball stemmers PostgreSQL uses
  (``snowballstemmer``), one space around each; a query word matches when its
  stem, by the story's language stemmer, is one of them (a phrase when its
  stems follow each other). No stop words are dropped and nothing is
  ranked: results stay newest first.

On both, stories in languages written without spaces between words
(Chinese, Japanese, Korean, Thai, Khmer, Burmese: :data:`UNSEGMENTED_LANGUAGES`)
match when each query word appears anywhere in the title or text (a
substring, case-insensitive), backed on PostgreSQL by trigram indexes
(``pg_trgm``).
"""

import dataclasses
import functools
import operator
import re
import unicodedata

import snowballstemmer
from django.contrib.postgres.search import SearchQuery, SearchQueryField, SearchRank
from django.db.models import Case, F, Lookup, Q, When

# The longest query read; anything longer is cut there (not refused: a page
# of results still answers). The terms past MAX_QUERY_TERMS are dropped too,
# so no query grows the SQL without bound.
MAX_QUERY_LENGTH = 200
MAX_QUERY_TERMS = 16

# Story language -> the name of its PostgreSQL text search configuration,
# which is also the name of its Snowball stemmer. Only configurations that
# every PostgreSQL Django supports (15 and newer) ships with.
CONFIG_BY_LANGUAGE = {
    "ar": "arabic",
    "ca": "catalan",
    "da": "danish",
    "de": "german",
    "el": "greek",
    "en": "english",
    "es": "spanish",
    "eu": "basque",
    "fi": "finnish",
    "fr": "french",
    "ga": "irish",
    "hi": "hindi",
    "hu": "hungarian",
    "hy": "armenian",
    "id": "indonesian",
    "it": "italian",
    "lt": "lithuanian",
    "nb": "norwegian",
    "ne": "nepali",
    "nl": "dutch",
    "nn": "norwegian",
    "pt": "portuguese",
    "ro": "romanian",
    "ru": "russian",
    "sr": "serbian",
    "sv": "swedish",
    "ta": "tamil",
    "tr": "turkish",
}
# Every other language: words as written (lower-cased), no stemming.
UNSTEMMED_CONFIG = "simple"

# Written without spaces between words: a word is found as part of the text.
UNSEGMENTED_LANGUAGES = ("ja", "km", "ko", "my", "th", "zh-hans", "zh-hant")

# A term of the query: an optional "-", then a quoted phrase (the closing
# quote may be missing) or a run of anything but spaces and quotes.
_TERM = re.compile(r'(-*)(?:"([^"]*)"?|([^\s"]+))')


def split_words(text):
    """The words of ``text``: runs of letters, digits and combining marks
    (an Arabic vowel sign or a Devanagari vowel belongs to its word), in any
    script; everything else separates them."""
    words, word = [], []
    for character in text:
        if unicodedata.category(character)[0] in "LMN":
            word.append(character)
        elif word:
            words.append("".join(word))
            word = []
    if word:
        words.append("".join(word))
    return words


@dataclasses.dataclass(frozen=True)
class Term:
    """A word, or a phrase (several words in a row), maybe excluded."""

    words: tuple[str, ...]
    excluded: bool = False


def parse_query(text):
    """The query as a list of alternatives (``or``), each a list of terms
    that must all match; [] when it holds no word at all.

    Only the first :data:`MAX_QUERY_LENGTH` characters and
    :data:`MAX_QUERY_TERMS` terms are read. Punctuation only separates words
    (``co-operation`` is the phrase "co operation", as PostgreSQL reads it);
    repeated hyphens are one exclusion.
    """
    alternatives, current, count = [], [], 0
    for match in _TERM.finditer(text[:MAX_QUERY_LENGTH]):
        hyphens, phrase, bare = match.groups()
        if bare is not None and bare.casefold() == "or" and not hyphens:
            if current:
                alternatives.append(current)
            current = []
            continue
        words = tuple(word.lower() for word in split_words(phrase if phrase is not None else bare))
        if not words:
            continue
        current.append(Term(words, excluded=bool(hyphens)))
        count += 1
        if count == MAX_QUERY_TERMS:
            break
    if current:
        alternatives.append(current)
    # An alternative of exclusions only would match nearly everything next
    # to the others; it is kept, as PostgreSQL's websearch would.
    return alternatives


def websearch_text(alternatives):
    """The parsed query written back in ``websearch_to_tsquery`` syntax,
    clean (no stray operator, balanced quotes) and bounded."""
    return " or ".join(
        " ".join(("-" if term.excluded else "") + '"' + " ".join(term.words) + '"' for term in terms)
        for terms in alternatives
    )


def config_of(language):
    """The PostgreSQL text search configuration of a story in ``language``."""
    return CONFIG_BY_LANGUAGE.get(language, UNSTEMMED_CONFIG)


def _stemmer(language):
    config = CONFIG_BY_LANGUAGE.get(language)
    return snowballstemmer.stemmer(config) if config else None


def stems(text, language):
    """The words of ``text``, lower-cased (``lower``, not ``casefold``, as
    PostgreSQL does: "straße" stays one German word) and stemmed for ``language`` (as
    written when it has no stemmer)."""
    words = [word.lower() for word in split_words(text)]
    stemmer = _stemmer(language)
    return stemmer.stemWords(words) if stemmer else words


def search_words(title, body, language):
    """What ``Story.search_words`` stores (the SQLite fallback): the stems of
    the title and text, each with one space on either side."""
    found = stems(f"{title}\n{body}", language)
    return f" {' '.join(found)} " if found else ""


def stemmed_languages():
    """Story language codes grouped by stemmer: {config: [codes]}."""
    groups = {}
    for code, config in CONFIG_BY_LANGUAGE.items():
        groups.setdefault(config, []).append(code)
    return groups


# --- Conditions on Story rows -------------------------------------------------------


def _all_of(conditions):
    return functools.reduce(operator.and_, conditions, Q())


def _any_of(conditions):
    return functools.reduce(operator.or_, conditions)


def _term_condition(term, match):
    condition = match(term.words)
    return ~condition if term.excluded else condition


def _query_condition(alternatives, match):
    """OR of the alternatives, each the AND of its terms, ``match(words)``
    giving the condition of one word or phrase."""
    return _any_of(_all_of(_term_condition(term, match) for term in terms) for terms in alternatives)


def _substring_condition(alternatives):
    """For stories without spaces between words: every word of the query
    appears in the title or the text."""

    def match(words):
        phrase = " ".join(words)
        return Q(title__icontains=phrase) | Q(body__icontains=phrase)

    return Q(language__in=UNSEGMENTED_LANGUAGES) & _query_condition(alternatives, match)


class _Matches(Lookup):
    """``tsvector @@ tsquery`` with any query expression on the right (Django's
    own ``search_vector=`` lookup accepts only a SearchQuery)."""

    lookup_name = "matches"

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} @@ {rhs}", (*lhs_params, *rhs_params)


def postgresql_match(alternatives):
    """(condition, rank) of full-text search on PostgreSQL.

    Each story is matched with the query read in its own configuration: a
    CASE on its language choosing among ``websearch_to_tsquery(<config>,
    ...)``, each a constant PostgreSQL computes once per search, not once per
    story. That choice depends on the row, so the GIN index cannot answer
    it; the stored vector is therefore also matched against the OR of the
    query in every configuration, a constant the index answers. A story that
    matches its own query matches that OR too, so the result is the same,
    only fast.
    """
    text = websearch_text(alternatives)
    queries = {
        config: SearchQuery(text, config=config, search_type="websearch")
        for config in [*stemmed_languages(), UNSTEMMED_CONFIG]
    }
    own_query = Case(
        *[When(language__in=codes, then=queries[config]) for config, codes in stemmed_languages().items()],
        default=queries[UNSTEMMED_CONFIG],
        output_field=SearchQueryField(),
    )
    vector = F("search_vector")
    words = (
        ~Q(language__in=UNSEGMENTED_LANGUAGES)
        & Q(_Matches(vector, _any_of(queries.values())))
        & Q(_Matches(vector, own_query))
    )
    return words | _substring_condition(alternatives), SearchRank(vector, own_query)


def _stems_among_search_words(stemmer):
    def match(words):
        found = stemmer.stemWords(words) if stemmer else words
        return Q(search_words__contains=f" {' '.join(found)} ")

    return match


def fallback_match(alternatives):
    """The condition of the fallback search (SQLite): each word's stem, by
    the stemmer of the story's language, among the story's ``search_words``
    (a phrase: its stems in a row). Languages whose stemmers read the query
    alike share one condition, so the SQL stays small."""
    codes_by_condition = {}
    for config, codes in stemmed_languages().items():
        condition = _query_condition(alternatives, _stems_among_search_words(snowballstemmer.stemmer(config)))
        codes_by_condition.setdefault(condition, []).extend(codes)
    unstemmed = ~Q(language__in=[*CONFIG_BY_LANGUAGE, *UNSEGMENTED_LANGUAGES]) & _query_condition(
        alternatives, _stems_among_search_words(None)
    )
    stemmed = [Q(language__in=codes) & condition for condition, codes in codes_by_condition.items()]
    return _any_of([*stemmed, unstemmed, _substring_condition(alternatives)])
