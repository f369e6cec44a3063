"""The writes of a case list, in bulk, inside the import's transaction (`import_services`).

Each row records what `persons.add_person` and `services.record_case` record for it one by
one — the same person (a resident's, one already traced, or a new one), the same case, the
same countdowns, the same audit rows and the same derived categories — but the list is
written as a whole: the persons and cases with a few statements whatever the number of
rows, and one re-ranking for all of its cases instead of one a row (row by row, a list of
2,000 took 73 s on SQLite and 203 s on PostgreSQL: ~17 statements and a re-ranking each).
Each category change the list makes is logged with the case of the list nearest to the
person, as that case's own re-ranking would have said it (`ranking.rerank`'s `causes`)."""

import sqlite3
from types import SimpleNamespace

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from fangkong.audit.actions import scrub
from fangkong.audit.models import AuditEvent
from fangkong.people.import_writes import converter, same
from fangkong.scope import system_scope
from fangkong.spreadsheets import problem
from fangkong.tracing import selectors
from fangkong.tracing.countdown import feed_countdowns
from fangkong.tracing.models import Case, TracedPerson
from fangkong.tracing.permissions import ADD_CASE
from fangkong.tracing.persons import _from_resident, _user, apply_identity
from fangkong.tracing.ranking import rerank


class RowsRefused(Exception):
    """Rows the one-case service would refuse (a person who became a case since the file
    was checked, a person the uploader may not record): nothing of the list is written."""

    def __init__(self, problems):
        self.problems = problems


def write_cases(*, actor, job, rows, places, header):
    """A case for each of `rows` (placed by `import_services.place_rows`: {row number: (area,
    resident or None)}), as reported in the list `job`; the caller holds the transaction.
    Returns the cases, in the order of the rows."""
    persons = _persons(actor, rows, places, header)
    _refuse(actor, rows, persons, header)
    now = timezone.now()
    actor_id = _user(actor).pk if _user(actor) else None
    new = [p for p, how in persons if how == ADDED]
    ids = _insert(TracedPerson, PERSON, map(_person_values, new), now)
    for person, pk in zip(new, ids, strict=True):
        person.pk = pk
    matched = [p for p, how in persons if how == MATCHED]
    if matched:
        with system_scope():
            TracedPerson.objects.bulk_update(matched, MATCHED_FIELDS)
    # The cases as plain records (not model instances: 2,000 of those were a sixth of the
    # CPU), each translated text made once.
    note = _("Imported from %(file)s, row %(row)d")
    became = _("%(name)s became a case (%(classification)s)")
    labels = {value: str(label) for value, label in Case.Classification.choices}
    reference = job.list_reference.strip()[:100]
    cases = [
        SimpleNamespace(
            person=person,
            area_id=person.area_id,
            area_path=person.area_path,
            person_id=person.pk,
            classification=row.classification,
            onset_on=row.onset_on,
            reported_on=row.reported_on,
            isolated_on=row.isolated_on,
            source=Case.Source.REPORTED.value,
            list_reference=reference,
            note=(note % {"file": job.file_name, "row": row.number}).strip()[:500],
            recorded_by_id=actor_id,
        )
        for row, (person, _how) in zip(rows, persons, strict=True)
    ]
    ids = _insert(Case, CASE, ([getattr(c, n) for n in CASE] for c in cases), now)
    for case, pk in zip(cases, ids, strict=True):
        case.pk = pk
    fed = feed_countdowns(cases)
    events = [
        (
            "tracing.person_matched" if how == MATCHED else "tracing.person_added",
            "tracedperson",
            person,
            {"name": person.name},
        )
        for person, how in persons
        if how
    ]
    events += [
        (
            "tracing.case",
            "case",
            case,
            {
                "name": case.person.name,
                "classification": case.classification,
                "reported_on": case.reported_on.isoformat(),
                "countdowns": countdowns,
            },
        )
        for case, countdowns in zip(cases, fed, strict=True)
    ]
    _audit(actor, events, now)
    causes = {
        case.person_id: (
            became % {"name": case.person.name, "classification": labels[case.classification]},
            case.person_id,
        )
        for case in cases
    }
    rerank(
        actor=actor,
        start_ids=list(causes),
        reason=ngettext(
            "Case list %(reference)s imported (%(n)d case)",
            "Case list %(reference)s imported (%(n)d cases)",
            len(cases),
        )
        % {"reference": job.list_reference, "n": len(cases)},
        causes=causes,
    )
    return cases


ADDED, MATCHED = "added", "matched"
MATCHED_FIELDS = ["resident", "area", "area_path", "name", "id_number", "id_number_hash"]
MATCHED_FIELDS += ["phone", "phone_hash", "created_by"]


def _persons(actor, rows, places, header):
    """[(person, how)] of the rows: a resident's traced person, or a person already traced
    with the row's ID number (how None); a person traced earlier with the resident's number
    who becomes theirs (MATCHED); a new person (ADDED, not yet saved). The persons found are
    locked, as `record_case` locks its person."""
    actor_id = _user(actor).pk if _user(actor) else None
    wanted, problems = [], []
    for row in rows:
        area, resident = places[row.number]
        if resident is not None:
            wanted.append((resident, None))
            continue
        person = TracedPerson(area=area, area_path=area.path, address=row.address.strip()[:200])
        try:  # the file's check cleaned the same cells by the same rules: a safeguard
            apply_identity(person, name=row.name, id_number=row.id_number, phone=row.phone)
        except ValidationError as error:
            problems.append(problem(row.number, header.get("name", ""), " ".join(error.messages)))
        wanted.append((None, person))
    if problems:
        raise RowsRefused(problems)
    resident_ids = [resident.pk for resident, _p in wanted if resident is not None]
    digests = [r.id_number_hash for r, _p in wanted if r is not None and r.id_number_hash]
    digests += [p.id_number_hash for _r, p in wanted if p is not None and p.id_number_hash]
    fields = ("pk", "area_id", "area_path", "resident_id", "name", "id_number_hash")
    by_resident, by_digest = {}, {}
    with system_scope():
        found = TracedPerson.objects.select_for_update().order_by().only(*fields, "created_by")
        for chunk in selectors.chunked(resident_ids):
            by_resident.update((p.resident_id, p) for p in found.filter(resident_id__in=chunk))
        for chunk in selectors.chunked(digests):
            by_digest.update((p.id_number_hash, p) for p in found.filter(id_number_hash__in=chunk))
    answer = []
    for resident, person in wanted:
        if resident is None:  # `add_person`: one person across every list
            known = by_digest.get(person.id_number_hash) if person.id_number_hash else None
            if known is not None:
                answer.append((known, None))
            else:
                person.created_by_id = actor_id
                answer.append((person, ADDED))
        elif (known := by_resident.get(resident.pk)) is not None:  # `person_for_resident`
            answer.append((known, None))
        else:
            unmatched = by_digest.get(resident.id_number_hash) if resident.id_number_hash else None
            if unmatched is not None and unmatched.resident_id is not None:
                unmatched = None  # another resident's person: the number changed since
            person = _from_resident(resident, unmatched)
            person.area_path = resident.area.path
            person.created_by_id = person.created_by_id or actor_id
            answer.append((person, MATCHED if unmatched is not None else ADDED))
    return answer


def _refuse(actor, rows, persons, header):
    """What `record_case` refuses beyond the file's check, for every row at once: a person
    the uploader may not record cases of, a person who is a case already (since the check).
    The case's own values (classification, dates, the list's reference) were checked with
    the file, by the same rules (`imports.clean_row`, `dates.RECORDED_DAY`)."""
    column = header.get("name", "")
    problems = []
    standing = selectors.standing_cases([p.pk for p, how in persons if how != ADDED])
    allowed = {}  # by area path: the permission is the same for everyone of an area
    for row, (person, how) in zip(rows, persons, strict=True):
        try:
            if person.area_path not in allowed:
                allowed[person.area_path] = actor.has_perm(ADD_CASE, person)
            if not allowed[person.area_path]:
                raise PermissionDenied(_("You may not record cases of this person."))
            if how != ADDED and person.pk in standing:
                raise ValidationError(_("%(name)s is already a case.") % {"name": person.name})
        except (ValidationError, PermissionDenied) as error:
            reason = " ".join(getattr(error, "messages", None) or [str(error)])
            problems.append(problem(row.number, column, reason))
    if problems:
        raise RowsRefused(problems)


PERSON = ("area_id", "area_path", "resident_id", "name", "id_number", "id_number_hash")
PERSON += ("phone", "phone_hash", "address", "created_by_id")
CASE = ("area_id", "area_path", "person_id", "classification", "onset_on", "reported_on")
CASE += ("isolated_on", "source", "list_reference", "note", "recorded_by_id")
EVENT = ("area_id", "area_path", "actor_id", "action", "target_type", "target_id", "detail")


def _person_values(person):
    return tuple(getattr(person, name) for name in PERSON)


def _audit(actor, events, now):
    """The audit rows `audit.services.record` would write, one a (action, target type,
    target, detail), in one statement (the detail scrubbed, the API token named, as there)."""
    token = getattr(actor, "audit_token_id", None)
    actor_id = _user(actor).pk if _user(actor) else None

    def detail(values):
        if token is not None:
            values.setdefault("token", token)
        return scrub(values)

    _insert(
        AuditEvent,
        EVENT,
        (
            (
                target.area_id,
                target.area_path,
                actor_id,
                action,
                kind,
                target.pk,
                detail(values),
            )
            for action, kind, target, values in events
        ),
        now,
        returning=False,
    )


def _insert(model, given, records, now, returning=True):
    """Insert `records` (tuples of the `given` fields; every other column its default, or
    `now` for the automatic stamps) and answer the new ids in the order of the records. The
    values go through the resident import's converters (`people.import_writes.converter`:
    encryption, dates), not through `bulk_create`, which prepares every value through the
    field machinery and puts at most 999 values in a statement on SQLite.

    PostgreSQL takes the ids from the table's sequence first (one statement) and the rows by
    COPY (multi-row INSERTs of 30,000 parameters took 0.5–0.7 s a table for 2,000 rows);
    SQLite takes multi-row INSERTs of as many rows as it takes parameters (one statement for
    a list of 2,000 rows), the ids coming back by RETURNING, sorted: the rows of one
    statement take increasing ids in the order of its VALUES (RETURNING itself promises no
    order on SQLite)."""
    ops = connection.ops
    fields = {f.attname: f for f in model._meta.concrete_fields if not f.primary_key}
    others = [f for name, f in fields.items() if name not in given]
    columns = [ops.quote_name(f.column) for f in [*(fields[n] for n in given), *others]]
    conversions = [
        (index, convert)
        for index, name in enumerate(given)
        if (convert := converter(fields[name], now)) is not same
    ]
    constants = tuple(converter(f, now)(f.get_default()) for f in others)
    rows = []
    for record in records:
        record = list(record)
        for index, convert in conversions:
            record[index] = convert(record[index])
        rows.append((*record, *constants))
    if not rows:
        return []
    table, pk = selectors.table(model), model._meta.pk.column
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            ids = []
            if returning:
                cursor.execute(
                    "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                    [model._meta.db_table, pk, len(rows)],
                )
                ids = [pk for (pk,) in cursor.fetchall()]
                columns.insert(0, ops.quote_name(pk))
                rows = [(pk, *row) for pk, row in zip(ids, rows, strict=True)]
            with cursor.cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        return ids
    marks = "(" + ", ".join(["%s"] * len(fields)) + ")"
    tail = f" RETURNING {ops.quote_name(pk)}" if returning else ""
    per = max(1, _parameters() // len(fields))
    ids = []
    with connection.cursor() as cursor:
        for start in range(0, len(rows), per):
            chunk = rows[start : start + per]
            cursor.execute(
                f"INSERT INTO {table} ({', '.join(columns)}) "
                f"VALUES {', '.join([marks] * len(chunk))}{tail}",
                [value for row in chunk for value in row],
            )
            if returning:
                ids += sorted(pk for (pk,) in cursor.fetchall())
    return ids


def _parameters():
    """How many parameters one statement may take: SQLite's compiled limit (32,766 since
    3.32; Django assumes 999)."""
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        return connection.connection.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
    return connection.features.max_query_params or 65535
