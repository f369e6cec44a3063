"""Records read with SQL written once per process from the models' tables.

For the few statements a hot path runs on every request (the API token, the gate's
recording): building a small query through the ORM costs 0.2–0.4 ms of Python, ten times
what the database takes to answer it (bench/RESULTS.md). `Rows(model, names)` gives the
column list of a SELECT and makes records of its rows with `Model.from_db` and each field's
database converters, as a queryset does; fields not named are deferred. `fetchone` and
`fetchall` run those statements, prepared on PostgreSQL."""

import functools

from django.db import DEFAULT_DB_ALIAS, connection, connections


def quote(name):
    return connection.ops.quote_name(name)


class Rows:
    """Records of `model` from the columns of the fields `names` (default: all)."""

    def __init__(self, model, names=None):
        self.model = model
        fields = model._meta.concrete_fields
        self.fields = [model._meta.get_field(n) for n in names] if names else list(fields)
        self.attnames = [f.attname for f in self.fields]
        self.pk_index = self.attnames.index(model._meta.pk.attname)

    def columns(self, alias):
        return ", ".join(f"{alias}.{quote(f.column)}" for f in self.fields)

    @functools.cached_property
    def converters(self):
        found = []
        for index, field in enumerate(self.fields):
            column = field.get_col(self.model._meta.db_table)
            found += [
                (index, convert, column)
                for convert in connection.ops.get_db_converters(column)
                + column.get_db_converters(connection)
            ]
        return found

    def make(self, values):
        """A record of one row's values (None if its primary key is NULL: an outer join)."""
        if values[self.pk_index] is None:
            return None
        values = list(values)
        db = connections[DEFAULT_DB_ALIAS]  # once: each use of the proxy looks it up again
        for index, convert, column in self.converters:
            values[index] = convert(values[index], column, db)
        return self.model.from_db(db.alias, self.attnames, values)

    def __len__(self):
        return len(self.fields)


@functools.cache
def _prepared_cursor_class():
    from django.db.backends.postgresql.base import ServerBindingCursor

    class PreparedCursor(ServerBindingCursor):
        def execute(self, query, params=None, *, prepare=True, binary=None):
            return super().execute(query, params, prepare=prepare, binary=binary)

    return PreparedCursor


def fetchone(sql, params):
    return _run(sql, params, lambda cursor: cursor.fetchone())


def fetchall(sql, params):
    return _run(sql, params, lambda cursor: cursor.fetchall())


def _run(sql, params, fetch):
    """Run one of the few statements of every request of a hot path.

    On PostgreSQL each is prepared once per connection (psycopg's server-side binding), on
    one cursor kept with the connection: Django binds parameters in the client, so the
    server parsed and planned every statement anew, and a passage at the gate cost the
    database 1.6 ms of CPU instead of 0.7 (bench/RESULTS.md). Django's wrapper stays around
    the cursor: errors are Django's. Where queries are logged (DEBUG, a test capturing them)
    Django's own cursor runs them, so that the log shows each with its values: a prepared
    statement keeps no text. SQLite's module keeps its compiled statements by itself."""
    db = connections[DEFAULT_DB_ALIAS]
    if db.vendor != "postgresql" or db.queries_logged:
        with db.cursor() as cursor:
            cursor.execute(sql, params)
            return fetch(cursor)
    db.ensure_connection()
    db.validate_thread_sharing()
    kept = getattr(db.connection, "fangkong_prepared", None)
    if kept is None or kept.closed:
        kept = db.connection.fangkong_prepared = _prepared_cursor_class()(db.connection)
    cursor = db.make_cursor(kept)
    cursor.execute(sql, params)
    return fetch(cursor)
