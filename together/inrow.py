"""Short lists read in their parent's row, as one JSON list.

A page whose queries are counted (at most four on a public page, issue 12)
sometimes shows one object with a few short lists from other tables: a
campaign with its countries, its latest supporters and its latest messages;
the home page's stories with their topics. Each list then becomes a
correlated subquery that joins its rows into one text, a JSON object per row
(``JSONObject`` cast to text, joined by ``StringAgg``: the same SQL on SQLite
and PostgreSQL), read back here into dictionaries or model instances.

Invariants:
- Only short, bounded lists: the caller bounds them (a slice, or a small
  counter table). A sliced list is read through ``pk IN (the slice)``, one
  level deeper, so its reference to the outer row is then
  ``OuterRef(OuterRef(...))``.
- Order is not carried: SQLite before 3.44 cannot order inside an aggregate.
  Each row carries the keys it is sorted by, and the caller sorts.
- Instances are built as ``Model.from_db`` builds them, with only the listed
  fields loaded: any other field would be read with a query of its own (the
  pages' query-count tests would see it). Values go through each field's own
  ``to_python``; a date and time without a zone (SQLite keeps them as text)
  is UTC, as Django stores it.
"""

import json
from datetime import UTC, datetime

from django.db import models
from django.db.models.functions import Cast, JSONObject


def json_list(rows, **fields):
    """A subquery expression: ``rows`` (a queryset correlated to the outer
    row through ``OuterRef``) as one JSON list text, an object of ``fields``
    (name: field path or expression, as ``JSONObject`` takes them) per row;
    NULL when there is no row."""
    if rows.query.is_sliced:
        rows = rows.model._base_manager.filter(pk__in=rows.values("pk"))
    as_text = Cast(JSONObject(**fields), models.TextField())
    joined = (
        rows.order_by()
        .annotate(in_row_group=models.Value(1))
        .values("in_row_group")
        .annotate(in_row_list=models.StringAgg(as_text, models.Value(",")))
        .values("in_row_list")
    )
    return models.Subquery(joined, output_field=models.TextField())


def read_json_list(text):
    """The rows of a :func:`json_list` column, as dictionaries (none for NULL)."""
    return json.loads(f"[{text or ''}]")


def instances(model, rows):
    """``rows`` (dictionaries keyed by field names, as :func:`read_json_list`
    gives them) as instances of ``model`` with only those fields loaded."""
    built = []
    for row in rows:
        # from_db takes the values in the model's field order; JSON keeps
        # no order (PostgreSQL's jsonb sorts the keys).
        fields = sorted((model._meta.get_field(name) for name in row), key=model._meta.concrete_fields.index)
        values = [_python_value(field, row[field.name]) for field in fields]
        built.append(model.from_db(None, [field.attname for field in fields], values))
    return built


def _python_value(field, value):
    if value is None:
        return None
    value = field.to_python(value)
    if isinstance(value, datetime) and value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value
