"""The resident import (摸排表导入): reading, checking, the preview, the commit, the pages, the API."""

import datetime
import io
import random

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from python_calamine import CalamineWorkbook
from rest_framework.test import APIClient
from stdnum.cn import ric

from fangkong.areas.models import Building
from fangkong.audit.models import AuditEvent
from fangkong.people import import_jobs, import_plan, import_writes
from fangkong.people.imports import initials, read_file
from fangkong.people.models import Household, ImportJob, KeyGroup, Resident
from fangkong.people.services import apply_identity, apply_name, name_initials, register_resident
from fangkong.pii import bulk_encryptor, decrypt_text
from fangkong.spreadsheets import cell_date
from tests.world import ID_NUMBERS, every

GRID = "350502001001001"  # 新华第一网格 (甲格): building 甲格楼, household 甲格101
GRID2 = "350502001001002"  # 新华第二网格 (乙格)
COMMUNITY = "350502001001"
HEADER = ["小区/楼栋/自然村", "门牌号", "姓名", "身份证号", "联系电话", "与户主关系", "重点人群"]
State = ImportJob.State


def id_number(serial, born="19900101", place="350502"):
    """A valid ID number (GB 11643 check digit); an odd serial is a man."""
    body = f"{place}{born}{serial:03d}"
    return body + ric.calc_check_digit(body + "0")


def xlsx(rows, name="摸排表.xlsx"):
    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


def csv(rows, encoding="utf-8", name="摸排表.csv"):
    text = "\r\n".join(",".join(str(cell) for cell in row) for row in rows) + "\r\n"
    return SimpleUploadedFile(name, text.encode(encoding))


def submit(world, rows_or_upload, user="grid", area=GRID):
    upload = rows_or_upload if hasattr(rows_or_upload, "read") else xlsx(rows_or_upload)
    return import_jobs.submit(actor=world.users[user], area=world.areas[area], upload=upload)


def commit(world, job, user="grid"):
    return import_jobs.commit(actor=world.users[user], job=job)


def reasons(job):
    return [(p["row"], p["column"], p["reason"]) for p in job.problems]


def resident(number):
    return every(Resident).get(id_number_hash=lookup(number))


def lookup(number):
    from fangkong.pii import lookup_digest

    return lookup_digest(number)


# --- reading ---------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "cell",
    [
        datetime.date(2021, 2, 9),
        datetime.datetime(2021, 2, 9, 0, 0),
        44236,  # Excel's serial number of 2021-02-09
        44236.0,
        "44236",
        "2021/2/9",
        "2021-02-09",
        "2021.2.9",
        "2021年2月9日",
        "20210209",
        20210209,
        "２０２１年２月９日",
        " 2021-02-09 00:00:00 ",
    ],
)
def test_every_common_date_form_is_read(cell):
    assert cell_date(cell) == datetime.date(2021, 2, 9)


@pytest.mark.parametrize("cell", ["2021-02-30", "明天", "2021/13/1", True])
def test_a_cell_that_is_no_date_is_refused(cell):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        cell_date(cell)


def test_birth_dates_of_people_without_id_number_in_every_form(world):
    forms = [datetime.date(2021, 2, 9), 44236, "2021/2/9", "2021-02-09", "2021年2月9日", "20210209"]
    rows = [["楼栋", "门牌号", "姓名", "性别", "出生日期"]]
    rows += [["甲格楼", "甲格101", f"宝宝{i}", "女", form] for i, form in enumerate(forms)]
    job = submit(world, rows)
    assert job.state == State.READY and job.problems == []
    commit(world, job)
    born = every(Resident).filter(name__startswith="宝宝").values_list("birth_date", "sex")
    assert set(born) == {(datetime.date(2021, 2, 9), "female")}
    assert born.count() == len(forms)


def test_header_aliases_are_recognised(world):
    rows = [
        ["自然村", "户号", "名字", "公民身份号码", "手机号", "与户主关系"],
        ["新村", "1号", "林一", id_number(11), "13900000001", "户主"],
    ]
    job = submit(world, rows)
    assert job.counts["new"] == 1, job.problems
    rows[0] = ["楼栋", "房号", "姓名", "证件号码", "电话", "关系"]
    rows[1][2:4] = ["林二", id_number(13)]
    assert submit(world, rows).counts["new"] == 1
    rows[0] = ["小区", "门牌", "Name", "身份证", "手机", "relation to head"]
    rows[1][2:4] = ["林三", id_number(15)]
    assert submit(world, rows).counts["new"] == 1


@pytest.mark.parametrize("encoding", ["gbk", "utf-8", "utf-8-sig"])
def test_csv_files_in_gbk_and_utf8_are_read(world, encoding):
    rows = [HEADER, ["新村", "3号", "陈静", id_number(21), "13900000002", "配偶", "孕产妇"]]
    job = submit(world, csv(rows, encoding))
    assert (job.state, job.counts["new"], job.problems) == (State.READY, 1, [])
    commit(world, job)
    person = resident(id_number(21))
    assert (person.name, person.relation_to_head, person.household.number) == (
        "陈静",
        "spouse",
        "3号",
    )


def test_full_width_characters_and_white_space_are_normalised(world):
    number = id_number(31)
    full_width = number.translate({ord(c): ord(c) + 0xFEE0 for c in "0123456789"})
    rows = [
        HEADER,
        [
            " 甲格楼 ",
            "甲格１０１",
            " 张\u3000 三 ",
            f" {full_width} ",
            "１３９ ００００ ０００３",
            "",
            "",
        ],
    ]
    job = submit(world, rows)
    assert job.problems == [] and job.counts == {
        "new": 1,
        "updated": 0,
        "unchanged": 0,
        "invalid": 0,
        "households": 0,  # 甲格１０１ is the registered 甲格101
        "buildings": 0,
        "unplaced": 0,
        "key_groups": 0,
        "kinds": {},
    }
    commit(world, job)
    person = resident(number)
    assert (person.name, person.phone, person.id_number) == ("张 三", "13900000003", number)
    assert person.household == world.households[GRID]


def test_an_id_number_excel_turned_into_scientific_notation_is_refused(world):
    rows = [HEADER, ["甲格楼", "甲格101", "李四", 350502199001011234, "", "", ""]]
    job = submit(world, rows)  # openpyxl stores the number as Excel would: a float
    assert reasons(job) == [
        (2, "身份证号", "身份证号被Excel转成了科学计数法，后几位已丢失。"),
    ] or reasons(job) == [
        (
            2,
            "身份证号",
            "The ID number was turned into scientific notation by Excel; its last digits are lost.",
        )
    ]
    text = submit(world, csv([HEADER, ["甲格楼", "甲格101", "李四", "3.50502E+17", "", "", ""]]))
    assert [p["row"] for p in text.problems] == [2] and "Excel" in text.problems[0]["reason"]


def test_a_wrong_check_digit_and_other_faults_name_row_column_and_reason(world):
    good = id_number(41)
    wrong = good[:-1] + ("0" if good[-1] != "0" else "1")
    rows = [
        HEADER,
        ["甲格楼", "甲格101", "王五", wrong, "12345", "", ""],
        ["甲格楼", "", "赵六", id_number(43), "", "女婿的表哥", "飞行员"],
    ]
    job = submit(world, rows)
    assert [(row, column) for row, column, _reason in reasons(job)] == [
        (2, "身份证号"),
        (2, "联系电话"),
        (3, "门牌号"),
        (3, "与户主关系"),
        (3, "重点人群"),
    ]
    assert "check digit" in job.problems[0]["reason"] or "校验位" in job.problems[0]["reason"]
    assert "飞行员" in job.problems[4]["reason"]
    assert job.counts["invalid"] == 2 and job.counts["new"] == 0


def test_the_same_id_number_twice_in_the_file_refuses_both_rows(world):
    twice = id_number(51)
    rows = [
        HEADER,
        ["甲格楼", "甲格101", "周一", twice, "", "", ""],
        ["甲格楼", "甲格101", "吴二", id_number(53), "", "", ""],
        ["甲格楼", "甲格102", "周一", twice, "", "", ""],
    ]
    job = submit(world, rows)
    assert [(p["row"], p["column"]) for p in job.problems] == [(2, "身份证号"), (4, "身份证号")]
    assert "4" in job.problems[0]["reason"] and "2" in job.problems[1]["reason"]
    assert (job.counts["new"], job.counts["invalid"]) == (1, 2)


def test_a_registered_person_in_scope_is_updated_or_unchanged(world):
    registered = world.residents[GRID]  # 甲格居民, 13800138000, disabled
    same = [HEADER, ["甲格楼", "甲格101", "甲格居民", ID_NUMBERS[GRID], "13800138000", "", ""]]
    job = submit(world, same)
    assert (job.counts["unchanged"], job.counts["updated"], job.counts["new"]) == (1, 0, 0)

    changed = [HEADER, ["甲格楼", "甲格101", "甲格居民", ID_NUMBERS[GRID], "13911112222", "", ""]]
    job = submit(world, changed)
    assert (job.counts["unchanged"], job.counts["updated"]) == (0, 1)
    commit(world, job)
    registered.refresh_from_db()
    assert registered.phone == "13911112222"
    assert every(Resident).filter(id_number_hash=registered.id_number_hash).count() == 1


def test_a_person_registered_outside_the_scope_is_refused_without_saying_where(world):
    rows = [HEADER, ["甲格楼", "甲格101", "乙格居民", ID_NUMBERS[GRID2], "", "", ""]]
    job = submit(world, rows)  # the grid worker of 甲格 does not see 乙格
    assert job.counts["invalid"] == 1 and job.counts["updated"] == 0
    reason = job.problems[0]["reason"]
    assert job.problems[0]["column"] == "身份证号"
    for place in ("乙格", "新华第二网格", GRID2):
        assert place not in reason


def test_a_community_worker_moves_a_person_of_another_grid_and_their_key_groups_follow(world):
    person = world.residents[GRID2]
    rows = [
        ["网格", *HEADER],
        [GRID, "甲格楼", "甲格102", "乙格居民", ID_NUMBERS[GRID2], "", "", ""],
    ]
    job = submit(world, rows, user="community", area=COMMUNITY)
    assert (job.counts["updated"], job.counts["households"]) == (1, 1), job.problems
    commit(world, job, user="community")
    person.refresh_from_db()
    grid = world.areas[GRID]
    assert (person.household.number, person.area_path) == ("甲格102", grid.path)
    assert set(every(KeyGroup).filter(resident=person).values_list("area_path", flat=True)) <= {
        grid.path
    }


def test_a_community_import_needs_the_grid_of_each_row(world):
    rows = [
        ["网格", *HEADER],
        ["", "甲格楼", "甲格101", "冯一", id_number(61), "", "", ""],
        ["不存在的网格", "甲格楼", "甲格101", "冯二", id_number(63), "", "", ""],
        ["新华第一网格", "甲格楼", "甲格101", "冯三", id_number(65), "", "", ""],
    ]
    job = submit(world, rows, user="community", area=COMMUNITY)
    assert [(p["row"], p["column"]) for p in job.problems] == [(2, "网格"), (3, "网格")]
    assert job.counts["new"] == 1
    missing = submit(world, [HEADER, rows[1][1:]], user="community", area=COMMUNITY)
    assert missing.state == State.FAILED and missing.problems[0]["row"] == 1


def test_a_row_without_id_number_is_the_person_of_that_name_in_the_household(world):
    hand = register_resident(
        actor=world.users["grid"], household=world.households[GRID], name="老郑", phone=""
    )
    rows = [HEADER, ["甲格楼", "甲格101", "老郑", "", "13700000000", "父母", ""]]
    job = submit(world, rows)
    assert (job.counts["updated"], job.counts["new"]) == (1, 0)
    commit(world, job)
    hand.refresh_from_db()
    assert (hand.phone, hand.relation_to_head) == ("13700000000", "parent")
    # … and with their ID number now: the number is added to that person, not a new one.
    rows[1][3] = id_number(71, born="19500101")
    job = submit(world, rows)
    assert (job.counts["updated"], job.counts["new"]) == (1, 0), job.problems
    commit(world, job)
    hand.refresh_from_db()
    assert (hand.id_number, hand.sex, hand.birth_date) == (
        id_number(71, born="19500101"),
        "male",
        datetime.date(1950, 1, 1),
    )


def test_new_buildings_and_households_are_created_and_counted(world):
    rows = [
        HEADER,
        ["8号楼", "101", "何一", id_number(81), "", "户主", ""],
        ["8号楼", "101", "何二", id_number(82), "", "配偶", ""],
        ["8号楼", "102", "何三", id_number(83), "", "", ""],
        ["甲格楼", "甲格202", "何四", id_number(85), "", "", ""],
    ]
    job = submit(world, rows)
    assert (job.counts["buildings"], job.counts["households"], job.counts["new"]) == (1, 3, 4)
    commit(world, job)
    building = every(Building).get(name="8号楼")
    assert (building.area_id, building.kind) == (world.areas[GRID].pk, "building")
    assert sorted(every(Household).filter(building=building).values_list("number", flat=True)) == [
        "101",
        "102",
    ]
    assert every(Resident).get(name="何二").household.number == "101"
    assert every(Household).filter(number="甲格202", building=world.buildings[GRID]).exists()


def test_the_key_group_column_creates_tags(world):
    rows = [
        HEADER,
        [
            "甲格楼",
            "甲格101",
            "郭一",
            id_number(91, born="19400101"),
            "",
            "",
            "独居老人、低保；残疾人",
        ],
        ["甲格楼", "甲格101", "甲格居民", ID_NUMBERS[GRID], "", "", "残疾人 留守老人"],
    ]
    job = submit(world, rows)
    assert (job.counts["new"], job.counts["updated"]) == (1, 1), job.problems
    commit(world, job)
    new = every(Resident).get(name="郭一")
    tags = every(KeyGroup).filter(resident=new)
    assert set(tags.values_list("kind", flat=True)) == {
        "lone_elderly",
        "subsistence_allowance",
        "disabled",
    }
    assert {(t.found_on, t.recorded_by, t.area_path) for t in tags} == {
        (datetime.date.today(), world.users["grid"], world.areas[GRID].path)
    }
    current = every(KeyGroup).filter(resident=world.residents[GRID], ended_on__isnull=True)
    assert sorted(current.values_list("kind", flat=True)) == ["disabled", "left_behind_elderly"]


# --- the commit -------------------------------------------------------------------------------
def big_file(count):
    """`count` new people, three to a household of 新楼, each with a key group."""
    rows = [HEADER]
    for i in range(1, count + 1):
        born = datetime.date(1980, 1, 1) + datetime.timedelta(days=i // 1000)
        number = id_number(i % 1000, born=born.strftime("%Y%m%d"))
        rows.append(["新楼", f"{i // 3}号", f"居民{i}", number, "", "", "残疾人"])
    return rows


def snapshot():
    return [every(model).count() for model in (Building, Household, Resident, KeyGroup, AuditEvent)]


def test_a_failure_in_the_middle_of_the_commit_writes_nothing(world, monkeypatch):
    job = submit(world, big_file(30))
    assert job.counts["new"] == 30
    before = snapshot()
    written = []

    def fail_after_residents(changes, household_ids, **kwargs):
        written.append(every(Resident).count())
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(import_writes, "update", fail_after_residents)
    job = commit(world, job)
    assert written == [before[2] + 30]  # the residents were inserted when it failed …
    assert snapshot() == before  # … and are gone, with their buildings and households
    assert job.state == State.FAILED and job.message


def test_a_retried_commit_imports_once(world):
    job = submit(world, big_file(6))
    first = commit(world, job)
    second = commit(world, job)
    assert first.state == second.state == State.DONE
    assert every(Resident).filter(name__startswith="居民").count() == 6
    assert every(AuditEvent).filter(action="resident.import").count() == 1


def test_one_audit_record_with_the_counts(world):
    job = commit(world, submit(world, big_file(4)))
    event = every(AuditEvent).get(action="resident.import")
    assert (event.actor, event.target_id, event.area_id) == (
        world.users["grid"],
        job.pk,
        job.area_id,
    )
    assert event.detail["new"] == 4 and event.detail["households"] == 2
    assert event.detail["key_groups"] == 4


def test_importing_the_same_file_again_changes_nothing(world):
    rows = big_file(9)
    commit(world, submit(world, rows))
    before = snapshot()
    again = submit(world, rows)
    assert again.counts == {
        "new": 0,
        "updated": 0,
        "unchanged": 9,
        "invalid": 0,
        "households": 0,
        "buildings": 0,
        "unplaced": 0,
        "key_groups": 0,
        "kinds": {},
    }
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        commit(world, again)
    assert snapshot() == before


def test_the_registry_changing_before_the_commit_sends_the_preview_back(world):
    rows = [HEADER, ["甲格楼", "甲格101", "曹一", id_number(101), "", "", ""]]
    job = submit(world, rows)
    assert job.counts["new"] == 1
    # Meanwhile the person is registered by hand in the neighbouring grid, out of reach.
    register_resident(
        actor=world.users["grid2"],
        household=world.households[GRID2],
        name="曹一",
        id_number=id_number(101),
    )
    job = commit(world, job)
    assert job.state == State.READY and job.counts["invalid"] == 1 and job.message
    assert not every(Resident).filter(area_path=world.areas[GRID].path, name="曹一").exists()


def test_an_imported_resident_is_identical_to_one_entered_by_hand(world):
    number = id_number(111, born="19751231")
    commit(
        world,
        submit(
            world, [HEADER, ["甲格楼", "甲格101", "欧阳 娜娜", number, "+86 139-0000-1111", "", ""]]
        ),
    )
    imported = resident(number)
    by_hand = Resident(household=world.households[GRID], area=world.areas[GRID])
    apply_name(by_hand, "欧阳 娜娜")
    apply_identity(by_hand, id_number=number, phone="+86 139-0000-1111")
    fields = [
        "name",
        "name_initials",
        "sex",
        "birth_date",
        "id_number",
        "id_number_hash",
        "id_number_tail",
        "phone",
        "phone_hash",
        "phone_tail",
        "relation_to_head",
        "residence",
        "area_path",
    ]
    by_hand.area_path = by_hand.area.path
    assert [getattr(imported, f) for f in fields] == [getattr(by_hand, f) for f in fields]


def test_fast_initials_are_the_initials_of_the_form():
    rng = random.Random(7)
    names = [
        "欧阳娜娜",
        "单于",
        "曾国藩",
        "重庆",
        "长孙无忌",
        "张三",
        "Mary 王",
        "阿依古丽·买买提",
        "乐乐",
    ]
    names += [
        "".join(chr(rng.randint(0x4E00, 0x9FA5)) for _ in range(rng.randint(2, 4)))
        for _ in range(3000)
    ]
    assert [initials(name) for name in names] == [name_initials(name) for name in names]


def test_progress_is_reported_and_a_cancel_stops_the_check(world):
    rows = big_file(4500)
    data = "\n".join(",".join(map(str, row)) for row in rows).encode()
    seen = []
    reading = read_file(
        "x.csv",
        data,
        actor=world.users["sysadmin"],
        area=world.areas[GRID],
        progress=lambda *p: seen.append(p),
    )
    assert seen == [(0, 4501), (2000, 4501), (4000, 4501)] and len(reading.rows) == 4500

    class Stop(Exception):
        pass

    def stop(rows_done, rows_total):
        if rows_done:
            raise Stop

    with pytest.raises(Stop):
        read_file(
            "x.csv", data, actor=world.users["sysadmin"], area=world.areas[GRID], progress=stop
        )


def as_compared(reading):
    return (
        [(r.number, r.grid.pk, r.name, r.id_number_hash, r.kinds) for r in reading.rows],
        reading.problems,
    )


def test_a_long_file_is_cleaned_in_two_processes_as_in_one(world, monkeypatch, caplog):
    from fangkong.people import import_workers

    rows = big_file(400)
    rows[150][3] = "坏号"  # a problem in each half
    rows[350][2] = ""
    data = xlsx(rows).read()
    area = world.areas[GRID]
    monkeypatch.setattr(import_workers, "second_process_helps", lambda: False)
    alone = read_file("x.xlsx", data, actor=world.users["sysadmin"], area=area)
    monkeypatch.setattr(import_workers, "second_process_helps", lambda: True)
    monkeypatch.setattr(import_workers, "PARALLEL_FROM", 100)
    forked = []
    original = import_workers.clean_second_half
    monkeypatch.setattr(
        import_workers,
        "clean_second_half",
        lambda *args: (forked.append(1), original(*args)),
    )
    seen = []
    both = read_file(
        "x.xlsx", data, actor=world.users["sysadmin"], area=area, progress=lambda *p: seen.append(p)
    )
    assert forked == []  # appended in the other process only
    assert as_compared(both) == as_compared(alone) and len(both.rows) == 398
    assert [p["row"] for p in both.problems] == [151, 351]
    assert all(row.grid is area for row in both.rows)
    assert seen[0] == (0, 401) and seen[-1][0] <= 401
    assert "failed" not in caplog.text  # the other process did clean the second half


def test_a_second_process_is_used_only_where_a_core_is_idle(monkeypatch):
    from fangkong.people import import_workers

    monkeypatch.setattr(import_workers.os, "sched_getaffinity", lambda pid: {0, 1})
    for load, used in ((0.9, True), (1.2, True), (2.1, False), (9.0, False)):
        monkeypatch.setattr(import_workers.os, "getloadavg", lambda load=load: (load, 0, 0))
        assert import_workers.second_process_helps() is used
    monkeypatch.setattr(import_workers.os, "sched_getaffinity", lambda pid: {0})
    assert import_workers.second_process_helps() is False


def test_a_cancel_stops_the_second_process(world, monkeypatch):
    import multiprocessing

    from fangkong.people import import_workers

    data = xlsx(big_file(300)).read()
    monkeypatch.setattr(import_workers, "second_process_helps", lambda: True)
    monkeypatch.setattr(import_workers, "PARALLEL_FROM", 100)
    monkeypatch.setattr("fangkong.people.imports.PROGRESS_EVERY", 50)

    def stop(rows_done, rows_total):
        if rows_done:
            raise import_jobs.Cancelled

    with pytest.raises(import_jobs.Cancelled):
        read_file(
            "x.xlsx", data, actor=world.users["sysadmin"], area=world.areas[GRID], progress=stop
        )
    assert multiprocessing.active_children() == []


def in_the_copy(monkeypatch, happen):
    """`happen()` in the forked process, before it cleans its rows."""
    import os

    from fangkong.people import import_workers

    parent, clean_part = os.getpid(), import_workers.clean_part

    def cleaning(*args, **kwargs):
        if os.getpid() != parent:
            happen()
        return clean_part(*args, **kwargs)

    monkeypatch.setattr(import_workers, "clean_part", cleaning)


def test_a_cancel_ends_the_second_process_whatever_the_workers_signal_handlers(world, monkeypatch):
    import signal
    import time

    from fangkong.people import import_workers

    data = xlsx(big_file(300)).read()
    monkeypatch.setattr(import_workers, "second_process_helps", lambda: True)
    monkeypatch.setattr(import_workers, "PARALLEL_FROM", 100)
    monkeypatch.setattr("fangkong.people.imports.PROGRESS_EVERY", 50)
    # The second process would take a minute; db_worker stops gracefully on SIGTERM.
    in_the_copy(monkeypatch, lambda: time.sleep(60))
    previous = signal.signal(signal.SIGTERM, lambda *args: None)

    def stop(rows_done, rows_total):
        if rows_done:
            raise import_jobs.Cancelled

    started = time.monotonic()
    try:
        with pytest.raises(import_jobs.Cancelled):
            read_file(
                "x.xlsx", data, actor=world.users["sysadmin"], area=world.areas[GRID], progress=stop
            )
    finally:
        signal.signal(signal.SIGTERM, previous)
    assert time.monotonic() - started < 20


def test_when_the_second_process_fails_this_one_cleans_the_rest(world, monkeypatch):
    from fangkong.people import import_workers

    data = xlsx(big_file(300)).read()
    monkeypatch.setattr(import_workers, "second_process_helps", lambda: True)
    monkeypatch.setattr(import_workers, "PARALLEL_FROM", 100)
    in_the_copy(monkeypatch, lambda: 1 / 0)  # the copy fails at once
    reading = read_file("x.xlsx", data, actor=world.users["sysadmin"], area=world.areas[GRID])
    assert [row.number for row in reading.rows] == list(range(2, 302))


def test_a_job_cancelled_while_its_file_is_checked_stops_and_stays_cancelled(world, monkeypatch):
    job = every(ImportJob).create(
        area=world.areas[GRID],
        created_by=world.users["grid"],
        file_name="big.csv",
        data="\n".join(",".join(map(str, row)) for row in big_file(4500)).encode(),
    )
    checked = []
    monkeypatch.setattr(import_plan, "check", lambda **kwargs: checked.append(kwargs))
    original = import_jobs.read_file

    def cancel_midway(*args, progress, **kwargs):
        def cancelling(rows_done, rows_total):
            if rows_done == 2000:
                import_jobs.cancel(actor=world.users["grid"], job=job)
            progress(rows_done, rows_total)

        return original(*args, progress=cancelling, **kwargs)

    monkeypatch.setattr(import_jobs, "read_file", cancel_midway)
    import_jobs.validate(job.pk, "en")
    job.refresh_from_db()
    assert (job.state, job.counts, checked) == (State.CANCELLED, {}, [])
    assert job.rows_total == 4501 and job.rows_done == 0  # the last report lost to the cancel


def test_a_cancelled_import_cannot_be_confirmed(world):
    job = submit(world, big_file(3))
    import_jobs.cancel(actor=world.users["grid"], job=job)
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        commit(world, job)
    assert not every(Resident).filter(name__startswith="居民").exists()


def test_an_unreadable_or_empty_file_fails_with_a_reason(world):
    job = submit(world, SimpleUploadedFile("x.xlsx", b"not a workbook"))
    assert job.state == State.FAILED and job.problems
    job = submit(world, csv([["序号", "备注"], ["1", "无"]]))
    assert job.state == State.FAILED and job.problems[0]["row"] == 1


# --- pages ------------------------------------------------------------------------------------
def test_the_template_downloads_and_a_filled_copy_imports(world, as_user):
    client = as_user(world.users["community"])
    response = client.get(reverse("resident_import_template", args=[COMMUNITY]))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    sheet = workbook.worksheets[0]
    headers = [cell.value for cell in sheet[1]]
    assert headers[0] in ("网格", "Grid") and len(headers) == 11
    assert "新华第二网格" in str(list(workbook.worksheets[1].values))
    sheet.append(
        [
            "新华第二网格",
            "乙格楼",
            "乙格301",
            "方一",
            id_number(121),
            "13900001234",
            "",
            "户主",
            "",
            "",
            "低保",
        ]
    )
    buffer = io.BytesIO()
    workbook.save(buffer)
    upload = SimpleUploadedFile("filled.xlsx", buffer.getvalue())
    response = client.post(reverse("resident_import", args=[COMMUNITY]), {"file": upload})
    job = every(ImportJob).get(file_name="filled.xlsx")
    assert response.status_code == 302 and response.url == reverse(
        "resident_import_job", args=[job.pk]
    )
    assert job.counts["new"] == 1, job.problems


def test_the_job_page_shows_the_preview_and_polls_while_running(world, as_user):
    client = as_user(world.users["grid"])
    job = submit(
        world,
        [
            HEADER,
            ["甲格楼", "甲格101", "韩一", id_number(131), "", "", ""],
            ["甲格楼", "", "韩二", "123", "", "", ""],
        ],
    )
    page = client.get(reverse("resident_import_job", args=[job.pk])).content.decode()
    assert 'id="import-counts"' in page and 'data-count="invalid">1<' in page
    assert 'id="import-problems"' in page and 'id="import-confirm"' in page
    assert 'hx-trigger="every 1s"' not in page
    every(ImportJob).filter(pk=job.pk).update(state=State.VALIDATING, rows_done=50, rows_total=200)
    part = client.get(reverse("resident_import_job", args=[job.pk]), HTTP_HX_REQUEST="true")
    text = part.content.decode()
    assert 'hx-trigger="every 1s"' in text and 'data-width="25"' in text and "<html" not in text
    every(ImportJob).filter(pk=job.pk).update(state=State.READY)
    response = client.post(reverse("resident_import_commit", args=[job.pk]))
    assert response.status_code == 302
    assert every(ImportJob).get(pk=job.pk).state == State.DONE
    assert every(Resident).filter(name="韩一").exists()


def test_the_rejected_rows_download_as_a_workbook_with_reasons(world, as_user):
    rows = [
        ["序号", *HEADER, "备注"],
        [1, "甲格楼", "甲格101", "好人", id_number(141), "13900000000", "", "", ""],
        [2, "甲格楼", "甲格101", "坏号", "350502199001011235", "13900000000", "", "", "核对"],
        [3, "甲格楼", "", "无门牌", id_number(143), "12", "", "", ""],
    ]
    job = submit(world, rows)
    response = as_user(world.users["grid"]).get(reverse("resident_import_rejected", args=[job.pk]))
    assert response.status_code == 200
    sheet = CalamineWorkbook.from_filelike(io.BytesIO(response.content)).get_sheet_by_index(0)
    table = sheet.to_python()
    assert table[0][:-1] == ["序号", *HEADER, "备注"] and table[0][-1] in (
        "错误原因",
        "Reason for rejection",
    )
    assert [row[:5] for row in table[1:]] == [
        [2.0, "甲格楼", "甲格101", "坏号", "350502199001011235"],
        [3.0, "甲格楼", "", "无门牌", id_number(143)],
    ]
    assert table[1][8] == "核对" and "身份证号" in table[1][-1]
    assert "门牌号" in table[2][-1] and "联系电话" in table[2][-1]
    assert every(AuditEvent).filter(action="export", target_id=job.pk).exists()


def stored_file(job):
    return every(ImportJob).get(pk=job.pk).data


def test_a_finished_or_cancelled_job_no_longer_holds_its_file(world, monkeypatch):
    with monkeypatch.context() as patched:
        patched.setattr(import_writes, "update", lambda *args: 1 / 0)
        failed = commit(world, submit(world, big_file(2)))
    assert failed.state == State.FAILED and stored_file(failed) == b""
    done = submit(world, big_file(2))
    assert stored_file(done)  # kept until the job ends: the commit reads it
    assert commit(world, done).state == State.DONE and stored_file(done) == b""
    cancelled = submit(world, big_file(2))
    import_jobs.cancel(actor=world.users["grid"], job=cancelled)
    assert stored_file(cancelled) == b""
    unreadable = submit(world, SimpleUploadedFile("x.xlsx", b"not a workbook"))
    assert unreadable.state == State.FAILED and stored_file(unreadable) == b""
    # Stored encrypted, not as uploaded.
    waiting = submit(world, big_file(2))
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT data FROM people_importjob WHERE id = %s", [waiting.pk])
        raw = bytes(cursor.fetchone()[0])
    assert raw.startswith(b"fk1.") and stored_file(waiting).startswith(b"PK")  # encrypted


def test_the_rejected_rows_download_after_the_commit_without_the_file(world, as_user):
    rows = [
        HEADER,
        ["甲格楼", "甲格101", "好人", id_number(145), "", "", ""],
        ["甲格楼", "", "无门牌", id_number(147), "", "", ""],
    ]
    job = commit(world, submit(world, rows))
    assert job.state == State.DONE and stored_file(job) == b""
    response = as_user(world.users["grid"]).get(reverse("resident_import_rejected", args=[job.pk]))
    table = CalamineWorkbook.from_filelike(io.BytesIO(response.content))
    table = table.get_sheet_by_index(0).to_python()
    assert table[0][:-1] == HEADER and [row[:4] for row in table[1:]] == [
        ["甲格楼", "", "无门牌", id_number(147)]
    ]
    assert "门牌号" in table[1][-1]


def test_a_grid_worker_cannot_reach_another_grids_import(world, as_user):
    job = submit(world, big_file(2), user="grid2", area=GRID2)
    client = as_user(world.users["grid"])
    for name in ("resident_import_job", "resident_import_rejected"):
        assert client.get(reverse(name, args=[job.pk])).status_code == 404
    for name in ("resident_import_commit", "resident_import_cancel"):
        assert client.post(reverse(name, args=[job.pk])).status_code == 404
    assert client.get(reverse("resident_import", args=[GRID2])).status_code == 404
    api = APIClient()
    api.force_authenticate(world.users["grid"])
    assert api.get(f"/api/resident-imports/{job.pk}/").status_code == 404
    assert api.post(f"/api/resident-imports/{job.pk}/commit/").status_code == 404
    listed = [j["id"] for j in api.get("/api/resident-imports/").json()["results"]]
    assert listed == [world.import_jobs[GRID].pk]  # the one of their own grid
    assert every(ImportJob).get(pk=job.pk).state == State.READY


def test_roles_without_the_import_permission_are_refused(world, as_user):
    client = as_user(world.users["volunteer"])
    assert client.get(reverse("resident_import", args=[GRID])).status_code == 403
    job = submit(world, big_file(1))
    # A job the volunteer may not view: 404, as for one that does not exist.
    assert client.get(reverse("resident_import_job", args=[job.pk])).status_code == 404
    api = APIClient()
    api.force_authenticate(world.users["volunteer"])
    assert api.get("/api/resident-imports/").status_code == 403


# --- API --------------------------------------------------------------------------------------
def test_the_api_submits_reports_and_commits_an_import(world):
    api = APIClient()
    api.force_authenticate(world.users["grid"])
    rows = [
        HEADER,
        ["甲格楼", "甲格105", "邓一", id_number(151), "", "", "孕产妇"],
        ["甲格楼", "甲格105", "邓二", "坏号", "", "", ""],
    ]
    response = api.post(
        "/api/resident-imports/", {"area": GRID, "file": xlsx(rows)}, format="multipart"
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["state"], body["area"], body["rows_total"], body["rows_done"]) == (
        "ready",
        GRID,
        3,
        3,
    )
    assert body["counts"]["new"] == 1 and body["counts"]["invalid"] == 1
    assert body["problems"][0]["row"] == 3 and body["problems"][0]["column"] == "身份证号"
    status = api.get(f"/api/resident-imports/{body['id']}/").json()
    assert status["state"] == "ready" and len(status["problems"]) == 1
    listed = api.get("/api/resident-imports/").json()["results"]
    assert [j["id"] for j in listed] == [body["id"], world.import_jobs[GRID].pk]
    assert "problems" not in listed[0]
    response = api.post(f"/api/resident-imports/{body['id']}/commit/")
    assert response.status_code == 202 and response.json()["state"] == "done"
    assert every(KeyGroup).get(resident__name="邓一").kind == "pregnant"
    again = api.post(f"/api/resident-imports/{body['id']}/commit/")
    assert again.status_code == 202 and every(Resident).filter(name="邓一").count() == 1


def test_the_api_refuses_an_area_outside_the_scope_or_a_township(world):
    before = every(ImportJob).count()
    api = APIClient()
    api.force_authenticate(world.users["grid"])
    response = api.post(
        "/api/resident-imports/", {"area": GRID2, "file": xlsx(big_file(1))}, format="multipart"
    )
    assert response.status_code == 400
    api.force_authenticate(world.users["township"])
    response = api.post(
        "/api/resident-imports/",
        {"area": "350502001000", "file": xlsx(big_file(1))},
        format="multipart",
    )
    assert response.status_code in (400, 403)
    assert every(ImportJob).count() == before


def test_the_bulk_encryptor_makes_tokens_the_field_reads():
    encrypt = bulk_encryptor()
    for text in ["1", "13800138000", "35050219900101123X", "x" * 16, "张三" * 9, "y" * 47]:
        token = encrypt(text)
        assert decrypt_text(token) == text
        assert token != encrypt(text)  # a new nonce each time
    assert encrypt("") == ""


def test_a_commit_in_another_process_reads_the_file_again(world):
    job = submit(world, big_file(5))
    import_jobs._read_cache.clear()  # as in a worker that did not check this file
    job = commit(world, job)
    assert job.state == State.DONE and job.counts["new"] == 5
    assert every(Resident).filter(name__startswith="居民").count() == 5
