"""/healthz on a kept PostgreSQL connection the server has dropped (a restart
of the database): one new connection, then the truth (together.views.database_answers)."""

import psycopg
import pytest
from django.db import connection

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="a server that drops the connection"),
    pytest.mark.django_db(transaction=True),
]


def backend_pid():
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


def test_healthz_answers_ok_when_the_server_dropped_the_kept_connection(client):
    dropped = backend_pid()
    with psycopg.connect(**connection.get_connection_params()) as other:
        other.execute("SELECT pg_terminate_backend(%s)", [dropped])

    response = client.get("/healthz")

    assert response.json() == {"status": "ok"}
    assert backend_pid() != dropped
