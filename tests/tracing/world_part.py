"""Tracing's records of each grid: the grid's resident as a confirmed case, a person not in
the registry as their close contact (with its tracing task), the log of that ranking, and a
refused case-list import."""

import uuid

from django.utils import timezone

from fangkong.tracing.models import (
    Case,
    CaseImport,
    Contact,
    RankChange,
    TracedPerson,
    TracingTask,
)
from tests.world import every


def make(world, code, tag, i):
    grid = world.areas[code]
    resident = world.residents[code]
    base = 11000 + 10 * i
    today = timezone.localdate()
    case_person = every(TracedPerson).create(
        pk=base,
        area=grid,
        resident=resident,
        name=resident.name,
        id_number=resident.id_number,
        id_number_hash=resident.id_number_hash,
        category="case",
    )
    contact_person = every(TracedPerson).create(
        pk=base + 1, area=grid, name=f"{tag}密接", category="close_contact"
    )
    case = every(Case).create(
        pk=base + 2,
        person=case_person,
        area=grid,
        classification=Case.Classification.CONFIRMED,
        reported_on=today,
        source=Case.Source.FOUND,
    )
    contact = every(Contact).create(
        pk=base + 3,
        source=case_person,
        person=contact_person,
        area=grid,
        exposed_on=today,
        setting=Contact.Setting.WORK,
    )
    task = every(TracingTask).create(pk=base + 4, contact=contact, person=contact_person, area=grid)
    change = every(RankChange).create(
        pk=base + 5,
        person=contact_person,
        area=grid,
        old="",
        new="close_contact",
        reason=f"{tag}病例的接触者",
    )
    imported = every(CaseImport).create(
        pk=base + 6,
        uuid=uuid.UUID(int=base + 6),
        area=grid,
        list_reference=f"{tag}病例通报",
        file_name=f"{tag}病例.csv",
        status=CaseImport.Status.REFUSED,
        rows_total=1,
        rows_skipped=1,
        problems=[{"row": 2, "column": "病例分类", "reason": "?"}],
    )
    return {
        "traced_case_person": case_person,
        "traced_contact_person": contact_person,
        "case": case,
        "contact": contact,
        "tracing_task": task,
        "rank_change": change,
        "case_import": imported,
    }
