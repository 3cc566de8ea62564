"""Pages of the public story lists that cost the same at any depth.

The story list and the topic pages are paginated by keyset ("seek"): a page
is one query of at most ``per_page + 1`` rows, whatever its depth, with no
OFFSET and no COUNT, so page 2,000 of 100,000 stories costs what page 1
costs. Their order is :data:`STORY_LIST_ORDER` (the reader's language first,
then newest first), and a page is named by the story it continues from:

* ``?before=<r>.<t>.<id>``: the stories after that one in the list's order
  ("Older stories"); ``?after=<r>.<t>.<id>``: the ones before it ("Newer
  stories"). ``r`` is 1 when the story is in the reader's language (written
  in it or translated into it), else 0; ``t`` its ``published_at`` in whole
  microseconds since 1970-01-01 UTC; ``id`` its primary key.
* A cursor that cannot be read shows the first page (nothing answers 500).
  Going back past the first page, or on from a story that has left the
  list, leads to the first page (a redirect).
* Old ``?page=N`` links are redirected, once, to the cursor of that page
  (one OFFSET query: only for links made before the cursors existed).

Search results are ranked by relevance (a float) on PostgreSQL, so they keep
numbered pages (``?page=N``), but never count the matches: a page fetches
one row more than it shows to know whether another follows.

Lists ordered by one date and the primary key alone (the events list: its
upcoming and its past events, two lists on one page) use the same keyset
idea with a :class:`Position` (``<t>.<id>``) and :func:`seek_page`: each
list is named in the URL by its own parameter (``?past=<t>.<id>``: the page
after that event; ``?past_back=<t>.<id>``: the one before it), so the two
lists move on independently, and old ``?page=N`` links are redirected once
(:func:`legacy_seek_query`).

Hand-written rather than django-cursor-pagination: that library compares
every cursor value as text (a date or a boolean annotation, such as
``in_reader_language``, then compares wrongly on SQLite) and its cursors are
opaque, while the benchmark builds the URL of a deep page from the data.
"""

import dataclasses
from datetime import UTC, datetime, timedelta

from django.db import connections
from django.db.models import Q, Value
from django.http import QueryDict
from django.shortcuts import redirect

from stories.models import list_columns

# The order of the story list and topic pages (the keyset: every column is
# in the cursor; ``pk`` makes it total).
STORY_LIST_ORDER = ("-in_reader_language", "-published_at", "-pk")

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)
# No list has this many pages; a larger number in a URL is read as this one
# (an OFFSET past 2**63 is an error in every database).
MAX_PAGE_NUMBER = 1_000_000
# The cursor parameters and the numbered one, cleared from links to other pages.
_PAGE_PARAMETERS = {"before": None, "after": None, "page": None}


@dataclasses.dataclass(frozen=True)
class Position:
    """A row's place in a list ordered by one datetime field, then by the
    primary key in the same direction: ``<t>.<id>`` in URLs (``t`` in whole
    microseconds since 1970-01-01 UTC)."""

    at: datetime
    pk: int

    @classmethod
    def of(cls, row, field):
        return cls(getattr(row, field), row.pk)

    @classmethod
    def parse(cls, text):
        """The position written by :meth:`__str__`, or None when ``text`` is not one."""
        try:
            micros, pk = text.split(".")
            if not 0 < int(pk) < 2**63:  # a primary key, as databases store it
                return None
            return cls(_EPOCH + int(micros) * _MICROSECOND, int(pk))
        except (AttributeError, ValueError, OverflowError):
            return None

    def __str__(self):
        return f"{(self.at - _EPOCH) // _MICROSECOND}.{self.pk}"

    def beyond(self, field, op, pk="pk"):
        """The rows whose (``field``, ``pk``) is greater (``op`` "gt") or less
        ("lt") than this. The first term repeats what the others say, as a
        range the database seeks to along an index on (``field``, ``pk``):
        without it, the disjunction alone is a filter on every row walked
        from the index's start, so deep pages cost their depth."""
        within = Q(**{f"{field}__{op}e": self.at})
        return within & (Q(**{f"{field}__{op}": self.at}) | Q(**{field: self.at, f"{pk}__{op}": self.pk}))


@dataclasses.dataclass(frozen=True)
class Cursor:
    in_reader_language: bool
    published_at: datetime
    pk: int

    @classmethod
    def of(cls, story):
        return cls(bool(story.in_reader_language), story.published_at, story.pk)

    @classmethod
    def parse(cls, text):
        """The cursor written by :meth:`__str__`, or None when ``text`` is not one."""
        try:
            reader, rest = text.split(".", 1)
        except (AttributeError, ValueError):
            return None
        position = Position.parse(rest)
        if reader not in {"0", "1"} or position is None:
            return None
        return cls(reader == "1", position.at, position.pk)

    def __str__(self):
        return f"{int(self.in_reader_language)}.{Position(self.published_at, self.pk)}"

    def further(self, columns, *, older):
        """The stories of this one's group older (or newer) than it, by
        ``columns`` (stories.models.list_columns)."""
        position = Position(self.published_at, self.pk)
        return position.beyond(columns.published_at, "lt" if older else "gt", pk=columns.pk)

    def beyond(self, columns, *, older):
        """The stories after this one in the list's order (``older``), or before it."""
        condition = Q(in_reader_language=self.in_reader_language) & self.further(columns, older=older)
        # The other group: the reader's language comes first.
        if older and self.in_reader_language:
            condition |= Q(in_reader_language=False)
        elif not older and not self.in_reader_language:
            condition |= Q(in_reader_language=True)
        return condition


@dataclasses.dataclass
class Page:
    """One page of a story list; the ``*_query`` dicts go to ``{% querystring %}``."""

    object_list: list
    has_previous: bool = False
    has_next: bool = False
    previous_query: dict = dataclasses.field(default_factory=dict)
    next_query: dict = dataclasses.field(default_factory=dict)
    number: int | None = None

    @property
    def has_other_pages(self):
        return self.has_previous or self.has_next


def keyset_page(stories, query, per_page):
    """The page of ``stories`` (ordered by :data:`STORY_LIST_ORDER`) that the
    GET ``query`` names; None when it asks for newer stories than the first
    page's, or older than the last story (the caller redirects to the first
    page)."""
    after = Cursor.parse(query.get("after"))
    if after is not None:
        rows = _rows_beyond(stories, after, per_page + 1, older=False)
        if len(rows) <= per_page:
            return None
        return _page(rows[:per_page][::-1], has_previous=True, has_next=True)
    before = Cursor.parse(query.get("before"))
    rows = _rows_beyond(stories, before, per_page + 1, older=True)
    if before is not None and not rows:  # past the last story (it was unpublished since)
        return None
    return _page(rows[:per_page], has_previous=before is not None, has_next=len(rows) > per_page)


def _rows_beyond(stories, cursor, count, *, older):
    """The first ``count`` of ``stories`` after ``cursor`` (None: from the
    start) in the list's order, or before it in reverse order, in one query.

    Where the database allows it (PostgreSQL), each group (in the reader's
    language or not) is read on its own, newest first along the index on
    (status, published_at, id), and the two short lists merged: the database
    reads about ``count`` rows at any depth, instead of sorting every
    published story on a value computed per row (``in_reader_language``).
    A topic's stories are read by their tagging's columns
    (stories.models.list_columns), along the tag's own index: a group the
    topic has no story in costs the topic's index entries, not the whole
    story index."""
    columns = list_columns(stories)
    sign = "-" if older else ""
    order = [f"{sign}{columns.published_at}", f"{sign}{columns.pk}"]
    # The reader's language first: going older, that group comes first. A
    # group the cursor has left behind is not read at all.
    groups = []
    left_behind = cursor is not None
    for in_reader in (True, False) if older else (False, True):
        # Each row of a group is in it: the value shown is the group's, not
        # computed again per row.
        group = stories.filter(in_reader_language=in_reader).annotate(in_reader_language=Value(in_reader))
        if cursor is not None and in_reader == cursor.in_reader_language:
            group = group.filter(cursor.further(columns, older=older))
            left_behind = False
        elif left_behind:
            continue
        groups.append(group)
    if len(groups) == 1:
        return list(groups[0].order_by(*order)[:count])
    if not connections[stories.db].features.supports_slicing_ordering_in_compound:
        condition = cursor.beyond(columns, older=older) if cursor is not None else Q()
        return list(stories.filter(condition).order_by(f"{sign}in_reader_language", *order)[:count])
    first, second = (group.order_by(*order)[:count] for group in groups)
    # The merge orders by the story's own columns: the selected ones (an
    # alias is not), equal to their copies.
    merged = first.union(second, all=True)
    return list(merged.order_by(f"{sign}in_reader_language", f"{sign}published_at", f"{sign}pk")[:count])


def _page(shown, *, has_previous, has_next):
    page = Page(shown, has_previous=has_previous, has_next=has_next)
    if page.has_previous:
        page.previous_query = {**_PAGE_PARAMETERS, "after": str(Cursor.of(shown[0]))}
    if page.has_next:
        page.next_query = {**_PAGE_PARAMETERS, "before": str(Cursor.of(shown[-1]))}
    return page


def legacy_page_query(stories, query, per_page):
    """The GET query that replaces an old ``?page=N`` link to a list of
    ``stories``: the cursor of that page (of the last page when N is too
    large), without ``page``."""
    new_query = first_page_query(query)
    keys = stories.prefetch_related(None).values_list("in_reader_language", "published_at", "pk")
    anchor = _legacy_anchor(keys, query, per_page)
    if anchor is not None:
        reader, published_at, pk = anchor
        new_query["before"] = str(Cursor(bool(reader), published_at, pk))
    return new_query


def _legacy_anchor(keys, query, per_page):
    """The keys (a ``values_list``) of the last row before page ``?page=N``
    of ``keys`` (of the last page when N is too large); None for the first
    page or a number that cannot be read. One OFFSET query (and a COUNT
    when N is past the end): only for links made before the cursors."""
    try:
        number = min(int(query.get("page")), MAX_PAGE_NUMBER)
    except (TypeError, ValueError):
        return None
    if number <= 1:
        return None
    anchor = keys[(number - 1) * per_page - 1 : (number - 1) * per_page]
    if not anchor:
        last = (keys.count() - 1) // per_page + 1
        if last <= 1:
            return None
        anchor = keys[(last - 1) * per_page - 1 : (last - 1) * per_page]
    return anchor[0]


def seek_page(rows, query, per_page, *, order, name):
    """The page of ``rows`` that the GET ``query`` names by ``name`` (the
    rows after that :class:`Position`, in the list's order) or
    ``<name>_back`` (the rows before it); the first page when it names none
    (or cannot be read). ``order`` is the list's order: a datetime field and
    "pk", both ascending or both descending ("-"). One query of at most
    ``per_page + 1`` rows at any depth. None when it asks for rows before
    the first page or after the last row (the caller redirects to
    :func:`first_seek_query`)."""
    field = order[0].lstrip("-")
    descending = order[0].startswith("-")
    back = Position.parse(query.get(f"{name}_back"))
    if back is not None:
        reverse_order = [key[1:] if key.startswith("-") else f"-{key}" for key in order]
        found = list(
            rows.filter(back.beyond(field, "gt" if descending else "lt")).order_by(*reverse_order)[
                : per_page + 1
            ]
        )
        if len(found) <= per_page:
            return None
        return _seek_page(found[:per_page][::-1], field, name, has_previous=True, has_next=True)
    after = Position.parse(query.get(name))
    if after is not None:
        rows = rows.filter(after.beyond(field, "lt" if descending else "gt"))
    found = list(rows.order_by(*order)[: per_page + 1])
    if after is not None and not found:
        return None
    return _seek_page(
        found[:per_page], field, name, has_previous=after is not None, has_next=len(found) > per_page
    )


def _seek_page(shown, field, name, *, has_previous, has_next):
    page = Page(shown, has_previous=has_previous, has_next=has_next)
    cleared = {name: None, f"{name}_back": None, "page": None}
    if page.has_previous:
        page.previous_query = {**cleared, f"{name}_back": str(Position.of(shown[0], field))}
    if page.has_next:
        page.next_query = {**cleared, name: str(Position.of(shown[-1], field))}
    return page


def first_seek_query(query, name):
    """``query`` without ``name``'s cursors or an old page number (the first
    page of that list, the other lists' positions kept)."""
    new_query = query.copy()
    for key in (name, f"{name}_back", "page"):
        new_query.pop(key, None)
    return new_query


def legacy_seek_query(rows, query, per_page, *, order, name):
    """The GET query that replaces an old ``?page=N`` link to the list
    ``rows`` (ordered by ``order``, as :func:`seek_page`): the position of
    that page under ``name`` (of the last page when N is too large)."""
    new_query = first_seek_query(query, name)
    field = order[0].lstrip("-")
    anchor = _legacy_anchor(rows.order_by(*order).values_list(field, "pk"), query, per_page)
    if anchor is not None:
        new_query[name] = str(Position(*anchor))
    return new_query


def numbered_page(stories, query, per_page):
    """Page ``?page=N`` of ranked ``stories`` (search results), without
    counting them; None for a page past the last (the caller redirects)."""
    try:
        number = min(max(int(query.get("page", 1)), 1), MAX_PAGE_NUMBER)
    except ValueError:
        number = 1
    start = (number - 1) * per_page
    rows = list(stories[start : start + per_page + 1])
    if not rows and number > 1:
        return None
    page = Page(rows[:per_page], has_previous=number > 1, has_next=len(rows) > per_page, number=number)
    if page.has_previous:
        page.previous_query = {**_PAGE_PARAMETERS, "page": number - 1 if number > 2 else None}
    if page.has_next:
        page.next_query = {**_PAGE_PARAMETERS, "page": number + 1}
    return page


def first_page_query(query):
    """``query`` without any page parameter (the first page, filters kept)."""
    new_query = QueryDict(mutable=True)
    for key, values in query.lists():
        if key not in _PAGE_PARAMETERS:
            new_query.setlist(key, values)
    return new_query


def redirect_to_query(request, query):
    """A redirect to this list with the GET ``query`` (a QueryDict) instead."""
    return redirect(f"{request.path}?{query.urlencode()}" if query else request.path)
