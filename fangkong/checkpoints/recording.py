"""The reads and the write of recording a passage, as SQL written once per process from the
models' tables (issue 14 asks for 500 passages a second on 2 cores).

Through the ORM each of these small statements cost 0.2–0.4 ms of Python to build, ten times
what the database takes to answer it, and a passage made six of them (bench/RESULTS.md). The
rules stay in `services.record_passage`; this module only reads and writes rows:

- `checkpoint(pk)`: the checkpoint with its area and the area's parent (a compound's
  community), the caller's scope checked by the caller;
- `earlier(client_uuid)`: the id and checkpoint of a passage already recorded with the uuid;
- `resident(pk)`: an active resident (the fields the gate uses), the community checked by
  the caller;
- `monitored(resident_id, day)`: whether a monitoring plan of the person has checks due that
  day (`fangkong.monitoring.selectors.open_on`, the same conditions);
- `may_close_exit(resident_id, at)`: whether the person has an exit made with a pass still
  open; only then does `passes_services.use_pass` look for it through the ORM;
- `insert(record)`: one INSERT of a new record, its fields prepared by the fields themselves
  (encryption, dates, uuids), as `Model.save()` does without its signals (none is connected
  to passages).

Records are made by `fangkong.rows.Rows`, as a queryset makes them.
"""

import functools

from django.db import connection

from fangkong.areas.models import Area
from fangkong.checkpoints.models import Checkpoint, Passage, PassExit
from fangkong.monitoring.models import MonitoringPlan
from fangkong.people.models import Resident
from fangkong.rows import Rows, fetchone, quote
from fangkong.scope import PlaceBound

RESIDENT_FIELDS = ("id", "household", "area", "area_path", "name", "id_number", "status")


CHECKPOINT, AREA, RESIDENT = Rows(Checkpoint), Rows(Area), Rows(Resident, RESIDENT_FIELDS)


@functools.cache
def _statements():
    area, checkpoint = quote(Area._meta.db_table), quote(Checkpoint._meta.db_table)
    passage, plan = quote(Passage._meta.db_table), quote(MonitoringPlan._meta.db_table)
    exit_ = quote(PassExit._meta.db_table)
    return {
        "checkpoint": (
            f"SELECT {CHECKPOINT.columns('c')}, {AREA.columns('a')}, {AREA.columns('p')} "
            f'FROM {checkpoint} c JOIN {area} a ON a."id" = c."area_id" '
            f'LEFT JOIN {area} p ON p."id" = a."parent_id" WHERE c."id" = %s'
        ),
        "earlier": f'SELECT "id", "checkpoint_id" FROM {passage} WHERE "client_uuid" = %s',
        "resident": (
            f"SELECT {RESIDENT.columns('r')} FROM {quote(Resident._meta.db_table)} r "
            'WHERE r."id" = %s AND r."status" = %s'
        ),
        # open_on(plans, day): starts by the day, not stopped by it, not ended or held open.
        "monitored": (
            f'SELECT 1 FROM {plan} WHERE "resident_id" = %s AND "starts_on" <= %s '
            'AND ("stopped_on" IS NULL OR "stopped_on" > %s) '
            'AND ("ends_on" >= %s OR "held_open") LIMIT 1'
        ),
        "open_exit": (
            f'SELECT 1 FROM {exit_} e JOIN {passage} p ON p."id" = e."exit_passage_id" '
            'WHERE p."resident_id" = %s AND e."returned_at" IS NULL AND e."out_at" <= %s '
            "LIMIT 1"
        ),
    }


def _one(name, params):
    return fetchone(_statements()[name], params)


def checkpoint(pk):
    """The checkpoint `pk` with its area (and that area's parent read with it), or None."""
    row = _one("checkpoint", [pk])
    if row is None:
        return None
    split, areas = len(CHECKPOINT), len(AREA)
    found = CHECKPOINT.make(row[:split])
    area = AREA.make(row[split : split + areas])
    if (parent := AREA.make(row[split + areas :])) is not None:
        area._state.fields_cache["parent"] = parent
    found._state.fields_cache["area"] = area
    return found


def earlier(client_uuid):
    """(id, checkpoint id) of the passage recorded with `client_uuid`, or None."""
    field = Passage._meta.get_field("client_uuid")
    return _one("earlier", [field.get_db_prep_value(client_uuid, connection)])


def resident(pk):
    """The active resident `pk` (the fields the gate reads), or None."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        return None
    row = _one("resident", [pk, Resident.Status.ACTIVE])
    return None if row is None else RESIDENT.make(row)


def monitored(resident_id, day):
    day = connection.ops.adapt_datefield_value(day)
    return _one("monitored", [resident_id, day, day, day]) is not None


def may_close_exit(resident_id, at):
    return (
        _one("open_exit", [resident_id, connection.ops.adapt_datetimefield_value(at)]) is not None
    )


@functools.cache
def _insert_statement(model):
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    columns = ", ".join(quote(f.column) for f in fields)
    marks = ", ".join(["%s"] * len(fields))
    table, pk = quote(model._meta.db_table), quote(model._meta.pk.column)
    return f"INSERT INTO {table} ({columns}) VALUES ({marks}) RETURNING {pk}", fields


def insert(record):
    """Write a new record in one statement and set its id; `auto_now_add` fields are set."""
    sql, fields = _insert_statement(type(record))
    if isinstance(record, PlaceBound):  # as PlaceBound.save()
        record.area_path = record.area.path
    values = [f.get_db_prep_save(f.pre_save(record, True), connection) for f in fields]
    record.pk = fetchone(sql, values)[0]
    record._state.adding, record._state.db = False, connection.alias
    return record
