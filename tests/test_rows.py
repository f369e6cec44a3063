"""The hot path's statements (fangkong.rows): prepared on PostgreSQL, with Django's errors,
and logged with their values where queries are logged."""

import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext

from fangkong.rows import fetchall, fetchone


@pytest.mark.django_db
def test_the_statements_are_prepared_once_per_connection_on_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite's module keeps its compiled statements by itself")
    for number in (1, 2, 3):
        assert fetchone("SELECT %s + 1", [number]) == (number + 1,)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT statement FROM pg_prepared_statements WHERE statement LIKE 'SELECT $1 + 1%%'"
        )
        assert len(cursor.fetchall()) == 1


@pytest.mark.django_db
def test_errors_are_djangos_and_the_log_shows_the_statements():
    with connection.cursor() as cursor:
        cursor.execute("CREATE TEMPORARY TABLE hot_rows (key varchar(5) UNIQUE)")
    assert fetchone("INSERT INTO hot_rows (key) VALUES (%s) RETURNING key", ["a"]) == ("a",)
    with pytest.raises(IntegrityError), transaction.atomic():
        fetchone("INSERT INTO hot_rows (key) VALUES (%s) RETURNING key", ["a"])
    with CaptureQueriesContext(connection) as queries:
        assert fetchall("SELECT key FROM hot_rows WHERE key = %s", ["a"]) == [("a",)]
    [logged] = queries.captured_queries
    assert "FROM hot_rows WHERE key = 'a'" in logged["sql"]
