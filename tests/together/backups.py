"""A throwaway PostgreSQL database beside the test database, for restores."""

import contextlib
from urllib.parse import quote

import psycopg
from psycopg import sql


def server_options(connection):
    """psycopg.connect arguments for the server of Django's ``connection``."""
    db = connection.settings_dict
    options = {"host": db["HOST"] or "127.0.0.1", "port": db["PORT"] or 5432, "user": db["USER"]}
    if db["PASSWORD"]:
        options["password"] = db["PASSWORD"]
    return options


@contextlib.contextmanager
def restored_database(connection):
    """Create an empty database named after the test database; yield its
    DATABASE_URL and name; drop it afterwards, whatever happened."""
    options = server_options(connection)
    name = f"{connection.settings_dict['NAME']}_restored"
    identifier = sql.Identifier(name)
    with psycopg.connect(dbname="postgres", autocommit=True, **options) as admin:
        admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(identifier))
        admin.execute(sql.SQL("CREATE DATABASE {}").format(identifier))
    password = f":{quote(options['password'], safe='')}" if "password" in options else ""
    url = f"postgres://{quote(options['user'], safe='')}{password}@{options['host']}:{options['port']}/{name}"
    try:
        yield url, name
    finally:
        with psycopg.connect(dbname="postgres", autocommit=True, **options) as admin:
            admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(identifier))
