"""The writes of a resident import's commit, in bulk and in the caller's transaction: new
buildings, households and residents, the changes to registered people, key-group tags.

The registry's rules are those of the services (`people.services`): the values come from
`apply_identity` and the name's initials, people who move take their key groups along, and
nothing is written that the check (`import_plan.check`) did not plan.
"""

import itertools
import queue
import threading
from collections import defaultdict
from contextlib import contextmanager

from django.db import connection, models
from django.utils import timezone

from fangkong.areas.models import Building
from fangkong.people.import_plan import (
    CHUNK,
    DIGESTS,
    NO_DIGEST,
    UNPLACED,
    chunks,
    home,
    select,
)
from fangkong.people.models import DismissedSuggestion, Household, KeyGroup, Resident
from fangkong.pii import EncryptedTextField, bulk_encryptor

CHANGE = "people.change_resident"  # what the check made sure the importer may do to whom


def write(plan, *, actor):
    """Make the plan's changes; the caller holds the transaction. Returns the counts written."""
    with sqlite_cache(SQLITE_CACHE_KIB):
        return write_all(plan, actor=actor)


# Digests and names put new index entries all over the tables' indexes: with SQLite's default
# 2 MB page cache, 10⁵ new residents took 11 s instead of 7 (256 MB gains nothing more).
SQLITE_CACHE_KIB = 65536


@contextmanager
def sqlite_cache(kib):
    """A larger page cache on this SQLite connection while the block runs."""
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        before = int(cursor.fetchone()[0])
        cursor.execute(f"PRAGMA cache_size = -{int(kib)}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {before}")


def write_all(plan, *, actor):
    today, now = timezone.localdate(), timezone.now()
    building_ids = dict(plan.building_ids)
    created = [
        Building(area=grid, area_path=grid.path, name=name, kind=Building.Kind.BUILDING)
        for grid, name in plan.buildings.values()
    ]
    Building.objects.bulk_create(created, batch_size=CHUNK)
    building_ids |= {key: b.pk for key, b in zip(plan.buildings, created, strict=True)}
    household_ids = dict(plan.household_ids) | insert_households(plan.households, building_ids, now)
    new_ids = insert_residents(plan.new, household_ids, now)
    update(plan.changes, household_ids, actor=actor)
    tags = [
        tag(new_ids[row.number], row.grid, kind, row.found_on or today, actor)
        for row in plan.new
        for kind in row.kinds
    ]
    moved = defaultdict(list)
    for change in plan.changes:
        if change.moves:
            moved[change.row.grid].append(change.resident["pk"])
        found_on = change.row.found_on or today
        tags += [
            tag(change.resident["pk"], change.row.grid, k, found_on, actor) for k in change.kinds
        ]
    for grid, pks in moved.items():
        # What is recorded about a person moves with them, as `move_resident` does.
        for chunk in chunks(pks):
            for model in (KeyGroup, DismissedSuggestion):
                # The check let only residents the importer may change move.
                model.objects.visible_to(actor, CHANGE).filter(resident_id__in=chunk).update(
                    area=grid, area_path=grid.path
                )
    Inserter(KeyGroup, now, KEY_GROUP).insert(tags)
    return {**plan.counts, "key_groups": len(tags)}


class Inserter:
    """Rows of one model written in bulk, the database giving the ids: COPY on PostgreSQL, one
    prepared INSERT run by `executemany` elsewhere. `bulk_create` runs every value through
    the field machinery and on SQLite puts at most 999 values in a statement: about 200 µs a
    resident. Here the rows are tuples of the `given` fields; only the values that need it
    are converted (encryption for EncryptedTextField, the database's date format), and every
    other column gets one value for all rows (its default, or now for auto_now fields)."""

    def __init__(self, model, now, given):
        ops = connection.ops
        fields = {f.attname: f for f in model._meta.concrete_fields if not f.primary_key}
        others = [f for name, f in fields.items() if name not in given]
        self.table = ops.quote_name(model._meta.db_table)
        self.columns = ", ".join(
            ops.quote_name(f.column) for f in [*(fields[name] for name in given), *others]
        )
        self.placeholders = ", ".join(["%s"] * len(fields))
        self.conversions = [
            (index, convert)
            for index, name in enumerate(given)
            if (convert := converter(fields[name], now)) is not same
        ]
        self.constants = tuple(converter(f, now)(f.get_default()) for f in others)

    def insert(self, records):
        """Insert `records`, each a tuple of the given fields' values, as they come: the
        database works on the first rows while the next are made (and encrypted)."""
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                # psycopg's COPY: one stream, not one statement a row.
                with cursor.cursor.copy(f"COPY {self.table} ({self.columns}) FROM STDIN") as copy:
                    for row in self.rows(records):
                        copy.write_row(row)
            else:
                cursor.executemany(
                    f"INSERT INTO {self.table} ({self.columns}) VALUES ({self.placeholders})",
                    made_ahead(self.rows(records)),
                )

    def rows(self, records):
        constants, conversions = self.constants, self.conversions
        for record in records:
            if conversions:
                record = list(record)
                for index, convert in conversions:
                    record[index] = convert(record[index])
            yield (*record, *constants)


def made_ahead(rows, batch=1000, batches=8):
    """`rows`, made (and encrypted) in another thread a batch at a time, while SQLite, which
    lets other threads run while it steps a statement, inserts the previous batch: the two
    take a core each where one is idle. The thread stops when the insert stops, even on an
    error; an error of the thread is raised here."""
    made, stop = queue.Queue(maxsize=batches), threading.Event()

    def put(item):  # gives up when the insert has stopped taking rows
        while not stop.is_set():
            try:
                made.put(item, timeout=0.1)
                return
            except queue.Full:
                continue

    def make():
        try:
            rest = iter(rows)
            while chunk := list(itertools.islice(rest, batch)):
                put(chunk)
            put(None)
        except BaseException as error:
            put(error)

    maker = threading.Thread(target=make, name="import rows", daemon=True)
    maker.start()
    try:
        while (chunk := made.get()) is not None:
            if isinstance(chunk, BaseException):
                raise chunk
            yield from chunk
    finally:
        stop.set()
        maker.join()


PLAIN = (models.CharField, models.TextField, models.IntegerField, models.BooleanField)


def converter(field, now):
    ops = connection.ops
    if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
        stamp = ops.adapt_datetimefield_value(now)
        return lambda value: stamp
    if isinstance(field, EncryptedTextField):
        return bulk_encryptor()
    if isinstance(field, models.DateTimeField):
        return ops.adapt_datetimefield_value
    if isinstance(field, models.DateField):
        return ops.adapt_datefield_value
    if isinstance(field, (models.ForeignKey, *PLAIN)) and not hasattr(field, "from_db_value"):
        return same
    return lambda value: field.get_db_prep_save(value, connection)


def same(value):
    return value


HOUSEHOLD = ("area_id", "area_path", "building_id", "number")


def insert_households(households, building_ids, now):
    """Create the plan's households; {household key: new pk}."""
    Inserter(Household, now, HOUSEHOLD).insert(
        (grid.pk, grid.path, building_ids[b], n) for b, n, grid in households.values()
    )
    wanted = {(building_ids[b], n): key for key, (b, n, _grid) in households.items()}
    ids = {}
    buildings = {building_id for building_id, _number in wanted}
    for household in select(Household, ("pk", "building_id", "number"), "building_id", buildings):
        key = wanted.get((household["building_id"], household["number"]))
        if key:
            ids[key] = household["pk"]
    return ids


RESIDENT = (
    *("household_id", "area_id", "area_path", "name", "name_initials", "sex", "birth_date"),
    *("id_number", "id_number_hash", "id_number_tail", "phone", "phone_hash", "phone_tail"),
    *("relation_to_head", "residence", "surveyed_address"),
)


def insert_residents(rows, household_ids, now):
    """Create a resident for each row (without a household if it has no address); {row
    number: pk} of the rows with key groups."""
    head, living = Resident.Relation.HEAD, Resident.Residence.REGISTERED_LIVING
    Inserter(Resident, now, RESIDENT).insert(
        (
            household_ids[row.key] if row.key else None,
            row.grid.pk,
            row.grid.path,
            row.name,
            row.name_initials,
            row.sex,
            row.birth_date,
            row.id_number,
            row.id_number_hash,
            row.id_number_tail,
            row.phone,
            row.phone_hash,
            row.phone_tail,
            row.relation or head,
            row.residence or living,
            row.address,
        )
        for row in rows
    )
    tagged = [row for row in rows if row.kinds]
    by_digest = {row.id_number_hash: row.number for row in tagged if row.id_number_hash}
    ids = {}
    for resident in select(
        Resident, ("pk", "id_number_hash"), "id_number_hash", by_digest, DIGESTS
    ):
        ids[by_digest[resident["id_number_hash"]]] = resident["pk"]
    # Without an ID number a new person is the only one of their name in the household (or
    # without one in the grid) with none (another would have been found, and updated, instead).
    by_name = {
        (home(row, household_ids.get(row.key)), row.name): row.number
        for row in tagged
        if not row.id_number_hash
    }
    households = {place for place, _name in by_name if not isinstance(place, tuple)}
    grids = {place[1] for place, _name in by_name if isinstance(place, tuple)}
    fields = ("pk", "household_id", "area_path", "name")
    for resident in [
        *select(Resident, fields, "household_id", households, NO_DIGEST),
        *select(Resident, fields, "area_path", grids, NO_DIGEST + UNPLACED),
    ]:
        place = resident["household_id"] or ("grid", resident["area_path"])
        key = (place, resident["name"])
        if key in by_name:
            ids[by_name[key]] = resident["pk"]
    return ids


def update(changes, household_ids, *, actor):
    """Registered people whose rows change them, grouped by the fields changed."""
    now = timezone.now()
    by_fields = defaultdict(list)
    for change in changes:
        if not change.fields:
            continue
        row = change.row
        resident = Resident(pk=change.resident["pk"], updated_at=now)
        for name in change.fields:
            if name == "household":
                resident.household_id = household_ids[row.key]
            elif name == "area":
                resident.area_id = row.grid.pk
            elif name == "area_path":
                resident.area_path = row.grid.path
            elif name == "relation_to_head":
                resident.relation_to_head = row.relation
            elif name == "surveyed_address":  # placed in a household: no longer wanted
                resident.surveyed_address = ""
            else:
                setattr(resident, name, getattr(row, name))
        by_fields[frozenset(change.fields)].append(resident)
    for fields, residents in by_fields.items():
        Resident.objects.visible_to(actor, CHANGE).bulk_update(
            residents, [*sorted(fields), "updated_at"], batch_size=500
        )


KEY_GROUP = ("resident_id", "area_id", "area_path", "kind", "found_on", "recorded_by_id")


def tag(resident_id, grid, kind, today, actor):
    return (resident_id, grid.pk, grid.path, kind, today, actor.pk)
