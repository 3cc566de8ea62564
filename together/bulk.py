"""Bulk loading of unsaved model instances, for throwaway scale datasets.

``insert`` writes instances whose primary keys the caller has set: on
PostgreSQL with ``COPY ... FROM STDIN`` (psycopg 3), elsewhere with
``bulk_create``. Neither calls ``save()``, signals or model methods: values
are taken as they are (``pre_save`` only, so ``auto_now`` fields are filled),
which is why it serves seeding only (``manage.py seed_scale``), never a
state change. ``next_ids`` hands out keys after the table's largest and
``reset_sequences`` puts PostgreSQL's sequences past them afterwards.
"""

from django.core.management.color import no_style
from django.db import connections, router
from django.db.models import Value
from django.db.models.expressions import DatabaseDefault


def _connection(model):
    return connections[router.db_for_write(model)]


def next_ids(model, count):
    """``count`` primary keys after the largest in the table."""
    last = model.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    return range(last + 1, last + 1 + count)


def insert(model, objects, *, batch_size=2000):
    """Insert ``objects`` (unsaved, primary keys set); returns how many."""
    connection = _connection(model)
    if connection.vendor != "postgresql":
        objects = list(objects)
        model.objects.bulk_create(objects, batch_size=batch_size)
        return len(objects)
    fields = list(model._meta.concrete_fields)
    quote = connection.ops.quote_name
    statement = "COPY {} ({}) FROM STDIN".format(
        quote(model._meta.db_table), ", ".join(quote(field.column) for field in fields)
    )
    count = 0
    with connection.cursor() as cursor, cursor.cursor.copy(statement) as copy:
        for instance in objects:
            copy.write_row([_prep(field, instance, connection) for field in fields])
            count += 1
    return count


def _prep(field, instance, connection):
    """The value COPY writes for ``field``: a field left to its ``db_default``
    gets that literal, since COPY has no DEFAULT for one row."""
    value = field.pre_save(instance, True)
    if isinstance(value, DatabaseDefault):
        value = field.db_default  # a literal, or an expression
        if hasattr(value, "resolve_expression"):
            if not isinstance(value, Value):
                raise ValueError(f"{field} has a computed db_default: set it before bulk insertion")
            value = value.value
    return field.get_db_prep_save(value, connection)


def reset_sequences(*models):
    """After inserting explicit keys: the next ``save()`` gets a free one."""
    connection = _connection(models[0])
    statements = connection.ops.sequence_reset_sql(no_style(), models)
    if statements:
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)
