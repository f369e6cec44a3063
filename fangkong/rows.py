"""Records read with SQL written once per process from the models' tables.

For the few statements a hot path runs on every request (the API token, the gate's
recording): building a small query through the ORM costs 0.2–0.4 ms of Python, ten times
what the database takes to answer it (bench/RESULTS.md). `Rows(model, names)` gives the
column list of a SELECT and makes records of its rows with `Model.from_db` and each field's
database converters, as a queryset does; fields not named are deferred. `cursor()` runs
those statements prepared on PostgreSQL."""

import functools

from django.db import connection


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
        for index, convert, column in self.converters:
            values[index] = convert(values[index], column, connection)
        return self.model.from_db(connection.alias, self.attnames, values)

    def __len__(self):
        return len(self.fields)


@functools.cache
def _prepared_cursor_class():
    from django.db.backends.postgresql.base import ServerBindingCursor

    class PreparedCursor(ServerBindingCursor):
        def execute(self, query, params=None, *, prepare=True, binary=None):
            return super().execute(query, params, prepare=prepare, binary=binary)

    return PreparedCursor


def cursor():
    """A cursor for the few statements run on every request of a hot path.

    On PostgreSQL each is prepared once per connection (psycopg's server-side binding):
    Django binds parameters in the client, so the server parses and plans every statement
    anew, a third of its CPU for the gate's passage (bench/RESULTS.md). Django's wrapper
    stays around the cursor: errors are Django's, and queries are logged when they would be.
    SQLite's module keeps its compiled statements by itself."""
    if connection.vendor != "postgresql":
        return connection.cursor()
    connection.ensure_connection()
    connection.validate_thread_sharing()
    prepared = _prepared_cursor_class()(connection.connection)
    if connection.queries_logged:
        return connection.make_debug_cursor(prepared)
    return connection.make_cursor(prepared)
