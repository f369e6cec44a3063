"""Matching the rows of a list: ID number, else phone, else name in the community; bad rows
refused one by one; one task per person, across rows and lists."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from fangkong.verification import services
from fangkong.verification.models import Result, VerificationEntry, VerificationTask
from tests.verification.helpers import (
    COMMUNITY,
    COUNTY,
    GRID,
    GRID2,
    NEWCOMER_ID,
    OTHER_GRID,
    STRANGER_ID,
    TOWNSHIP,
    csv_file,
    deadline,
    tasks_of,
    upload,
)
from tests.world import ID_NUMBERS, every

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def entry(vlist, row):
    return every(VerificationEntry).select_related("task").get(list=vlist, row=row)


def test_rows_are_matched_by_id_number_then_phone_then_name_in_the_community(world):
    vlist = upload(
        world,
        f"甲格居民,{ID_NUMBERS[GRID]},,自广州返乡,",  # row 2: ID number
        "乙格居民,,13800138000,自广州返乡,",  # 3: a phone three residents share: the name decides
        "甲格居民,,,同车人员,新华",  # 4: name in 新华社区 (its name's start)
        f"新来者,{NEWCOMER_ID},,自广州返乡,新华社区",  # 5: nobody: the community's queue
        "无名氏,,13900000000,自广州返乡,",  # 6: nobody, no community: the township's
        f"丙格居民,{ID_NUMBERS[OTHER_GRID]},,自广州返乡,",  # 7: registered outside the township
    )
    two, three, four, five, six, seven = (entry(vlist, n) for n in range(2, 8))
    assert two.matched_by == "id_number" and two.task.resident == world.residents[GRID]
    assert two.task.area == world.areas[GRID]
    assert two.task.worker == world.workers[GRID]  # the household's responsible worker
    assert three.matched_by == "phone" and three.task.resident == world.residents[GRID2]
    assert four.matched_by == "name" and four.task == two.task  # the same person: one task
    assert five.matched_by == "" and five.task.area == world.areas[COMMUNITY]
    assert five.task.resident is None
    assert six.task.area == world.areas[TOWNSHIP]
    # Registered in the other township: not matched, and not told where.
    assert seven.matched_by == "" and seven.task.area == world.areas[TOWNSHIP]
    assert (vlist.rows_total, vlist.rows_matched, vlist.rows_unmatched) == (6, 3, 3)
    # 甲格居民 (twice) and 乙格居民 had open tasks from the world's lists: sources added.
    assert vlist.rows_merged == 3 and vlist.rows_invalid == 0
    assert tasks_of(vlist).count() == 5


def test_a_phone_or_name_of_someone_with_another_id_number_is_not_a_match(world):
    vlist = upload(world, f"甲格居民,{STRANGER_ID},13800138000,自广州返乡,新华社区")
    row = entry(vlist, 2)
    assert row.matched_by == "" and row.task.resident is None
    assert row.task.area == world.areas[COMMUNITY]


def test_a_phone_shared_by_several_with_none_of_the_name_matches_nobody(world):
    vlist = upload(world, "别人,,13800138000,自广州返乡,")
    assert entry(vlist, 2).task.resident is None


def test_a_name_twice_in_the_community_is_not_a_match(world):
    from tests.world import make_resident

    make_resident(world.households[GRID2], "甲格居民")
    vlist = upload(world, "甲格居民,,,自广州返乡,新华社区")
    assert entry(vlist, 2).task.resident is None


def test_faulty_rows_are_refused_with_row_column_and_reason_and_the_rest_taken(world):
    vlist = upload(
        world,
        f"甲格居民,{ID_NUMBERS[GRID]},,自广州返乡,",
        "坏号码,350502198808084565,,自广州返乡,",
        f",{NEWCOMER_ID},,自广州返乡,",
        "坏电话,,12345,自广州返乡,",
        "科学计数,3.50502E+17,,自广州返乡,",
        ",,,,",  # an empty row is skipped, not refused
    )
    problems = {(p["row"], p["column"]): p["reason"] for p in vlist.problems}
    assert set(problems) == {(3, "身份证号"), (4, "姓名"), (5, "联系电话"), (6, "身份证号")}
    assert "check digit" in problems[(3, "身份证号")]
    assert "scientific notation" in problems[(6, "身份证号")]
    assert vlist.rows_invalid == 4 and vlist.rows_matched == 1
    assert every(VerificationEntry).filter(list=vlist).count() == 1


def test_a_file_with_no_good_row_or_no_header_saves_nothing(world):
    with pytest.raises(ValidationError, match="No row"):
        upload(world, "坏号码,350502198808084565,,自广州返乡,")
    with pytest.raises(ValidationError, match="header"):
        services.upload_list(
            actor=world.users["township"],
            area=world.areas[TOWNSHIP],
            name="x",
            deadline=deadline(),
            upload=csv_file("丁,戊,己", header="甲,乙,丙"),
        )
    from fangkong.verification.models import VerificationList

    assert every(VerificationList).count() == 3  # the world's


def test_a_list_without_number_columns_is_refused(world):
    with pytest.raises(ValidationError, match="ID number or a phone"):
        services.upload_list(
            actor=world.users["township"],
            area=world.areas[TOWNSHIP],
            name="x",
            deadline=deadline(),
            upload=csv_file("张三,自广州返乡", header="姓名,协查原因"),
        )


def test_the_same_person_on_several_lists_is_one_task_with_several_sources(world):
    first = upload(world, f"甲格居民,{ID_NUMBERS[GRID]},,市里推送,", days=5)
    second = upload(world, f"甲格居民,{ID_NUMBERS[GRID]},,县里推送,", user="county", area=COUNTY)
    third = upload(world, "甲格居民,,13800138000,街道推送,", days=9)
    task = entry(first, 2).task
    assert entry(second, 2).task == task and entry(third, 2).task == task
    task.refresh_from_db()
    assert task == world.verification_tasks[GRID]  # the open task of the world's list
    assert every(VerificationEntry).filter(task=task).count() == 4
    assert task.deadline == deadline(3)  # the earliest of its lists
    assert (first.rows_merged, second.rows_merged, third.rows_merged) == (1, 1, 1)
    assert every(VerificationTask).filter(resident=world.residents[GRID]).count() == 1


def test_an_unmatched_person_above_moves_down_when_a_later_list_says_where(world):
    first = upload(world, f"新来者,{NEWCOMER_ID},,市里推送,")
    assert entry(first, 2).task.area == world.areas[TOWNSHIP]
    second = upload(world, f"新来者,{NEWCOMER_ID},,街道推送,新华社区")
    task = entry(second, 2).task
    assert task == entry(first, 2).task and task.area == world.areas[COMMUNITY]
    assert task.area_path == world.areas[COMMUNITY].path


def test_a_person_verified_already_gets_a_new_task_for_a_new_list(world):
    first = upload(world, f"甲格居民,{ID_NUMBERS[GRID]},,市里推送,")
    services.record_result(
        actor=world.users["grid"], task=entry(first, 2).task, result=Result.LEFT, note="已去厦门"
    )
    second = upload(world, f"甲格居民,{ID_NUMBERS[GRID]},,县里推送,")
    assert entry(second, 2).task != entry(first, 2).task
    assert entry(second, 2).task.is_open


def test_a_retried_upload_returns_the_first_list(world):
    import uuid

    key = uuid.uuid4()
    first = upload(world, f"甲格居民,{ID_NUMBERS[GRID]},,市里推送,", uuid=key)
    again = upload(world, f"甲格居民,{ID_NUMBERS[GRID]},,市里推送,", uuid=key)
    assert again.pk == first.pk
    assert every(VerificationEntry).filter(list__uuid=key).count() == 1


def test_only_supervisors_upload_and_only_inside_their_area(world):
    for user, area in (("grid", GRID), ("community", COMMUNITY), ("township2", TOWNSHIP)):
        with pytest.raises(PermissionDenied):
            upload(world, f"甲格居民,{ID_NUMBERS[GRID]},,x,", user=user, area=area)


def test_a_deadline_in_the_past_is_refused(world):
    with pytest.raises(ValidationError):
        upload(world, f"甲格居民,{ID_NUMBERS[GRID]},,x,", days=-1)


def test_matching_takes_a_few_queries_whatever_the_number_of_rows(
    world, django_assert_max_num_queries
):
    rows = [f"甲格居民,{ID_NUMBERS[GRID]},,x,"] + [
        f"人{i},,139{i:08d},x,新华社区" for i in range(300)
    ]
    with django_assert_max_num_queries(30):
        vlist = upload(world, *rows)
    assert vlist.rows_unmatched == 300
