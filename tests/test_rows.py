"""The hot path's statements (fangkong.rows): prepared on PostgreSQL, Django's errors and
query log on both databases."""

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
def test_errors_are_djangos_and_the_statements_are_logged():
    with connection.cursor() as cursor:
        cursor.execute("CREATE TEMPORARY TABLE hot_rows (key varchar(5) UNIQUE)")
    with CaptureQueriesContext(connection) as queries:
        assert fetchone("INSERT INTO hot_rows (key) VALUES (%s) RETURNING key", ["a"]) == ("a",)
    assert len(queries.captured_queries) == 1
    with pytest.raises(IntegrityError), transaction.atomic():
        fetchone("INSERT INTO hot_rows (key) VALUES (%s) RETURNING key", ["a"])
    assert fetchall("SELECT key FROM hot_rows ORDER BY key", []) == [("a",)]
