"""Importing a list of cases reported by a higher level: the whole file is read and checked
first (every faulty row named with its column and reason); then every row becomes a case in
one transaction, or none does. A refused file leaves no case, only the import's record with
its problems, downloadable as the error report. Residents are matched by the digest of the
ID number; a person the registry does not know becomes a traced person not in it (matched
later, as any person typed in), placed in the community or grid the row names."""

from collections import Counter

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from fangkong.areas.models import Area, Level
from fangkong.audit.services import record
from fangkong.people.models import Resident
from fangkong.scope import system_scope
from fangkong.spreadsheets import check_upload, problem
from fangkong.tracing.import_writes import RowsRefused, write_cases
from fangkong.tracing.imports import FIELD, read_cases
from fangkong.tracing.models import Case, CaseImport, TracedPerson
from fangkong.tracing.permissions import ADD_CASE, VIEW_IMPORT

MAX_ROWS = 2000
LEAF_LEVELS = (Level.COMMUNITY, Level.GRID)


def import_cases(*, actor, area, list_reference, upload, uuid, skip_faulty=False):
    """Read the list `upload` into `area` and record its cases, all or none. With
    `skip_faulty`, the faulty rows are left out (and reported) and the others taken."""
    if not actor.has_perm(ADD_CASE, area):
        raise PermissionDenied(_("You may not record cases in this area."))
    if uuid is None:
        raise ValidationError({"uuid": _("The upload has no id: reload the page.")})
    if (made := _made_before(actor, uuid)) is not None:
        return made
    list_reference = (list_reference or "").strip()
    if not list_reference:
        raise ValidationError(
            {"list_reference": _("Give the reference of the list the case was reported in.")}
        )
    try:
        check_upload(upload)
        reading = read_cases(upload.name, upload.read())
    except ValidationError as error:
        raise ValidationError({"upload": error.messages}) from None
    if reading.rows_total > MAX_ROWS:
        raise ValidationError(
            {"upload": _("A list may have at most %(n)d rows.") % {"n": MAX_ROWS}}
        )
    if not reading.rows and not reading.problems:
        raise ValidationError({"upload": _("The list has no rows.")})
    places = place_rows(actor, area, reading)
    header = reading.headers
    job = CaseImport(
        uuid=uuid,
        area=area,
        list_reference=list_reference[:100],
        file_name=upload.name[:200],
        rows_total=reading.rows_total,
        uploaded_by=actor,
    )
    faulty = {p["row"] for p in reading.problems}
    rows = [row for row in reading.rows if row.number not in faulty]
    if reading.problems and not (skip_faulty and rows):
        return _refused(job, reading.problems)
    try:
        with transaction.atomic():
            write_cases(actor=actor, job=job, rows=rows, places=places, header=header)
            job.status = CaseImport.Status.TAKEN
            job.cases_recorded = len(rows)
            job.rows_matched = sum(1 for row in rows if places[row.number][1])
            job.rows_skipped = len(faulty)
            job.problems = sorted(reading.problems, key=_order)
            job.save()
            record(
                actor=actor,
                action="tracing.case_import",
                target=job,
                area=area,
                list_reference=job.list_reference,
                cases=job.cases_recorded,
                skipped=job.rows_skipped,
            )
    except RowsRefused as refusal:
        job.pk = None
        return _refused(job, [*reading.problems, *refusal.problems])
    except IntegrityError:  # the same upload id, saved a moment ago by another request
        return _taken_meanwhile(actor, uuid)
    job.created = True
    return job


def _taken_meanwhile(actor, uuid):
    if (made := _made_before(actor, uuid)) is None:
        raise ValidationError(
            {"uuid": _("This upload id is already in use: retry with a new one.")}
        ) from None
    return made


def _made_before(actor, uuid):
    """The import a retried upload made (`created` False: the API answers 200), or None."""
    made = CaseImport.objects.visible_to(actor, VIEW_IMPORT).filter(uuid=uuid).first()
    if made is not None:
        made.created = False
    return made


def _order(p):
    return (p["row"] or 0, p["column"])


def _refused(job, problems):
    job.status = CaseImport.Status.REFUSED
    job.problems = sorted(problems, key=_order)
    job.rows_skipped = len({p["row"] for p in problems})
    try:
        with transaction.atomic():
            job.save()
    except IntegrityError:  # the same upload id, refused a moment ago by another request
        return _taken_meanwhile(job.uploaded_by, job.uuid)
    job.created = True
    return job


def place_rows(actor, area, reading):
    """{row number: (area, resident or None)} of the clean rows; the rows that cannot be
    placed get their problems (added to `reading.problems`)."""
    header = reading.headers

    def fault(row, key, reason):
        reading.problems.append(problem(row.number, header.get(key, str(FIELD[key].label)), reason))

    hashes = [row.id_number_hash for row in reading.rows if row.id_number_hash]
    with system_scope():
        residents = {
            r.id_number_hash: r
            for r in Resident.objects.filter(id_number_hash__in=hashes).select_related("area")
        }
        known = {
            p.id_number_hash: p
            for p in TracedPerson.objects.filter(id_number_hash__in=hashes).select_related("area")
        }
        standing = set(
            Case.objects.filter(person__in=list(known.values()), ruled_out_on=None)
            .order_by()
            .values_list("person_id", flat=True)
        )
        leaves = Area.objects.filter(level__in=LEAF_LEVELS, path__under=area.path)
        wanted = {row.area_text for row in reading.rows if row.area_text}
        by_code = {a.code: a for a in leaves.filter(code__in=wanted)}
        by_name = Counter()
        named = {}
        for a in leaves.filter(name__in=wanted):
            by_name[a.name] += 1
            named[a.name] = a
    first_row = {}
    places = {}
    for row in reading.rows:
        digest = row.id_number_hash
        if digest and digest in first_row:
            fault(
                row,
                "id_number",
                _("The same ID number as row %(row)d.") % {"row": first_row[digest]},
            )
            continue
        if digest:
            first_row[digest] = row.number
        person = known.get(digest) if digest else None
        resident = residents.get(digest) if digest else None
        if person is not None and person.pk in standing:
            fault(row, "id_number", _("%(name)s is already a case.") % {"name": row.name})
            continue
        if person is not None or resident is not None:
            lives_in = (person or resident).area
            if not actor.has_perm(ADD_CASE, person or resident):
                fault(
                    row,
                    "id_number",
                    _(
                        "This person lives outside your areas: the list must be taken where they live."
                    ),
                )
                continue
            places[row.number] = (lives_in, resident)
            continue
        lives_in = _area_of(row.area_text, area, by_code, by_name, named)
        if isinstance(lives_in, str):
            fault(row, "area", lives_in)
            continue
        places[row.number] = (lives_in, None)
    return places


def _area_of(text, area, by_code, by_name, named):
    """The community or grid a row names below `area` (by code or name), else a reason."""
    if not text:
        if area.level in LEAF_LEVELS:
            return area
        return _("Name the community or grid the person lives in (its name or division code).")
    if text in by_code:
        return by_code[text]
    if by_name[text] == 1:
        return named[text]
    if by_name[text] > 1:
        return _("Several communities or grids are named “%(name)s”: write the division code.") % {
            "name": text
        }
    return _("No community or grid named “%(name)s” below %(area)s.") % {
        "name": text,
        "area": area.name,
    }
