"""The case list written in bulk (`import_writes`) records what the one-case services record
row by row: the same persons, cases, audit actions and derived categories, each category
change logged with the case of the list nearest to the person; a few statements whatever
the number of rows; and a row refused by what the one-case service checks (a person who
became a case since the file's check) refuses the list as before."""

from collections import Counter

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from stdnum.cn import ric

from fangkong.audit.models import AuditEvent
from fangkong.people.models import Household
from fangkong.tracing import import_services, services
from fangkong.tracing.models import Case, CaseImport, Category, RankChange, TracedPerson
from tests.tracing.helpers import COMMUNITY, GRID, case, contact, days_ago, person
from tests.tracing.test_case_import import REGISTERED, STRANGER, csv_file, line, run
from tests.world import every, make_resident

pytestmark = pytest.mark.django_db


def id_number(n):
    body = f"35050219900101{n:03d}"
    return body + ric.calc_check_digit(body + "0")


class Rollback(Exception):
    pass


def one_by_one(world, rows):
    """What the import recorded before it wrote in bulk: `add_person` and `record_case` a
    row (the old `import_services._record`), rolled back. Returns the categories of every
    traced person and the audit actions written."""
    actor = world.users["medical"]
    found = {}
    try:
        with transaction.atomic():
            before = every(AuditEvent).latest("pk").pk
            for name, number, classification, resident in rows:
                who = services.add_person(
                    actor=actor,
                    area=world.areas[GRID],
                    name=name,
                    id_number=number,
                    resident=resident,
                )
                services.record_case(
                    actor=actor,
                    person=who,
                    classification=classification,
                    reported_on=days_ago(1),
                    onset_on=days_ago(2),
                    source=Case.Source.REPORTED,
                    list_reference="泉防控〔2026〕12号",
                )
            found["categories"] = dict(every(TracedPerson).values_list("name", "category"))
            found["actions"] = Counter(
                every(AuditEvent).filter(pk__gt=before).values_list("action", flat=True)
            )
            raise Rollback
    except Rollback:
        pass
    return found


def test_the_bulk_list_gives_the_categories_case_by_case_would(world):
    # 甲 → 乙 → 丙 and 丁 → 戊 → 己; 乙 → 戊 too: 戊 is reached from both cases of the list.
    jia = person(world, "甲", id_number=STRANGER)
    yi, bing = person(world, "乙"), person(world, "丙")
    ding = person(world, "丁", id_number=id_number(1))
    wu, ji = person(world, "戊"), person(world, "己")
    for source, target in ((jia, yi), (yi, bing), (ding, wu), (wu, ji), (yi, wu)):
        contact(world, source, target, exposed_on=days_ago(4))
    household = every(Household).create(
        area=world.areas[GRID], building=world.buildings[GRID], number="导入之家"
    )
    resident = make_resident(household, "王甲", id_number=REGISTERED)
    rows = [
        ("甲", STRANGER, "confirmed", None),
        ("丁", id_number(1), "suspected", None),
        ("王甲", REGISTERED, "asymptomatic", resident),
        ("外来庚", id_number(2), "confirmed", None),
    ]
    expected = one_by_one(world, rows)
    before = every(AuditEvent).latest("pk").pk
    words = {"confirmed": "确诊", "suspected": "疑似", "asymptomatic": "无症状"}
    job = run(
        world,
        csv_file(*(line(name, number, words[kind]) for name, number, kind, _r in rows)),
    )
    assert job.status == CaseImport.Status.TAKEN and job.cases_recorded == 4
    categories = expected["categories"]
    assert dict(every(TracedPerson).values_list("name", "category")) == categories
    assert categories["乙"] == categories["戊"] == Category.CLOSE_CONTACT
    assert categories["丙"] == categories["己"] == Category.SECONDARY_CONTACT
    actions = Counter(
        every(AuditEvent)
        .filter(pk__gt=before)
        .exclude(action="tracing.case_import")
        .values_list("action", flat=True)
    )
    assert actions == expected["actions"]
    assert actions["tracing.case"] == 4 and actions["tracing.person_added"] == 2
    # Each change is logged with the nearest case of the list: 戊 with 丁 (one step), not 甲.
    log = {
        change.person.name: change
        for change in every(RankChange).filter(new=Category.CLOSE_CONTACT).select_related("person")
    }
    assert log["戊"].trigger_id == ding.pk and log["乙"].trigger_id == jia.pk
    assert "丁" in log["戊"].reason
    cases = every(Case).filter(list_reference="泉防控〔2026〕12号").select_related("person")
    assert {c.person.name: c.classification for c in cases} == {
        name: kind for name, _n, kind, _r in rows
    }
    assert every(TracedPerson).get(name="外来庚").area == world.areas[COMMUNITY]
    assert every(TracedPerson).get(name="王甲").resident == resident


def test_a_person_typed_in_earlier_is_matched_to_the_resident(world):
    earlier = person(world, "旧名", id_number=REGISTERED)
    resident = make_resident(world.households[GRID], "王甲", id_number=REGISTERED)
    job = run(world, csv_file(line("王甲", REGISTERED)))
    assert job.status == CaseImport.Status.TAKEN and job.rows_matched == 1
    matched = every(TracedPerson).get(pk=earlier.pk)
    assert matched.resident == resident and matched.name == "王甲"
    assert every(Case).get(person=matched, ruled_out_on=None).source == "reported"
    assert every(AuditEvent).filter(action="tracing.person_matched", target_id=earlier.pk).exists()


def statements(world, rows, residents=0):
    for n in range(residents):
        make_resident(world.households[GRID], f"居民{rows}-{n}", id_number=id_number(rows + n))
    lines = [line(f"居民{rows}-{n}", id_number(rows + n)) for n in range(residents)]
    lines += [line(f"外来{n}", id_number(500 + rows + n)) for n in range(rows)]
    with CaptureQueriesContext(connection) as queries:
        job = run(world, csv_file(*lines))
    assert job.status == CaseImport.Status.TAKEN, job.problems
    return len(queries)


def test_the_statements_do_not_grow_with_the_rows(world, django_assert_max_num_queries):
    small = statements(world, 2, residents=1)
    with django_assert_max_num_queries(small):
        run(
            world,
            csv_file(*(line(f"外来{n}", id_number(300 + n)) for n in range(150))),
        )
    assert statements(world, 100, residents=20) <= small


def test_a_person_who_became_a_case_since_the_check_refuses_the_list(world, monkeypatch):
    known = person(world, "甲", id_number=STRANGER)
    checked = import_services.place_rows

    def meanwhile(actor, area, reading):
        places = checked(actor, area, reading)
        case(world, known)  # another worker records the case while the file is checked
        return places

    monkeypatch.setattr(import_services, "place_rows", meanwhile)
    before = every(Case).count()
    job = run(world, csv_file(line("乙", id_number(7)), line("甲", STRANGER)), skip_faulty=True)
    assert job.status == CaseImport.Status.REFUSED and every(Case).count() == before + 1
    assert [(p["row"], p["column"]) for p in job.problems] == [(3, "姓名")]
    assert not every(TracedPerson).filter(name="乙").exists()
