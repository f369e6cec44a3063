"""Model instances written straight to their tables (`executemany`, or COPY on PostgreSQL),
with ids given here.

`bulk_create` compiles every value of every row through the field machinery and SQLite takes
at most 999 parameters a statement; for 10⁶ residents that was 330 µs a row, eight times the
cost of making the row. Here each field's conversion is chosen once per model (encryption for
`EncryptedTextField`, the database's date format, one timestamp for `auto_now` fields, the
field's own `get_db_prep_save` for anything else) and the rows go in one `executemany`.

Ids are assigned here, from the table's largest id, and set on the instances, as
`bulk_create` would; `finish()` moves PostgreSQL's sequences past them. The demo builds an
empty database, so nobody else inserts into these tables meanwhile.
"""

from django.conf import settings
from django.core.management.color import no_style
from django.db import connection, models
from django.utils import timezone

from fangkong.pii import EncryptedTextField, _fernet

PLAIN = (models.CharField, models.TextField, models.IntegerField, models.BooleanField)


class Writer:
    def __init__(self):
        self.next_ids = {}
        self.statements = {}
        self.now = timezone.now()

    def insert(self, model, objects):
        if not objects:
            return objects
        sql, fields = self.statement(model)
        first = self.next_id(model)
        rows, alias = [], connection.alias
        for number, obj in enumerate(objects, first):
            obj.pk = number
            obj._state.adding, obj._state.db = False, alias
            rows.append(tuple(convert(getattr(obj, attname)) for attname, convert in fields))
        self.next_ids[model] = first + len(objects)
        self.write(sql, rows)
        return objects

    def insert_rows(self, model, rows, raw=()):
        """`insert` for millions of rows: dicts of every concrete field's attname but the id,
        no model instances (a third of the cost). Attnames in `raw` hold values already in
        the database's form. Sets each row's "id"; returns the rows."""
        if not rows:
            return rows
        sql, fields = self.statement(model)
        fields = [(a, _same if a in raw else convert) for a, convert in fields]
        first = self.next_id(model)
        for number, row in enumerate(rows, first):
            row["id"] = number
        self.next_ids[model] = first + len(rows)
        values = [tuple(convert(row[attname]) for attname, convert in fields) for row in rows]
        self.write(sql, values)
        return rows

    def write(self, sql, rows):
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":  # COPY: 3x faster than executemany
                with cursor.cursor.copy(sql) as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                cursor.executemany(sql, rows)

    def finish(self):
        """Let the database's own inserts continue after the ids given here."""
        for sql in connection.ops.sequence_reset_sql(no_style(), list(self.next_ids)):
            with connection.cursor() as cursor:
                cursor.execute(sql)

    def next_id(self, model):
        if model not in self.next_ids:
            top = model._base_manager.aggregate(top=models.Max("pk"))["top"]
            self.next_ids[model] = (top or 0) + 1
        return self.next_ids[model]

    def statement(self, model):
        if model not in self.statements:
            fields = model._meta.concrete_fields
            table = connection.ops.quote_name(model._meta.db_table)
            columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
            if connection.vendor == "postgresql":
                sql = f"COPY {table} ({columns}) FROM STDIN"
            else:
                values = ", ".join(["%s"] * len(fields))
                sql = f"INSERT INTO {table} ({columns}) VALUES ({values})"
            self.statements[model] = (sql, [(f.attname, self.converter(f)) for f in fields])
        return self.statements[model]

    def converter(self, field):
        ops = connection.ops
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            now = ops.adapt_datetimefield_value(self.now)
            if field.auto_now:
                return lambda value: now
            # A creation time the generator made up (a check's, an alert's) is kept.
            adapt = ops.adapt_datetimefield_value
            return lambda value: now if value is None else adapt(value)
        if isinstance(field, EncryptedTextField):
            fernet = _fernet(settings.FIELD_ENCRYPTION_KEY)
            return lambda value: fernet.encrypt(value.encode()).decode() if value else value
        if isinstance(field, models.DateTimeField):
            return ops.adapt_datetimefield_value
        if isinstance(field, models.DateField):
            return ops.adapt_datefield_value
        if isinstance(field, models.ForeignKey) or type(field) in PLAIN or field.primary_key:
            return _same
        if isinstance(field, PLAIN) and not hasattr(field, "from_db_value"):
            return _same
        return lambda value: field.get_db_prep_save(value, connection)


def _same(value):
    return value
