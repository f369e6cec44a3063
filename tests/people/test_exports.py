"""Excel exports: print-ready, masked unless asked and allowed, every one audited."""

import io

import openpyxl
from django.urls import reverse

from fangkong.audit.models import AuditEvent
from tests.world import every

GRID = "350502001001001"


def workbook(response):
    return openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))


def test_a_resident_export_is_masked_formatted_and_audited(world, as_user):
    client = as_user(world.users["grid"])
    response = client.get(reverse("resident_export"), {"within": GRID, "key_group": "disabled"})
    assert response.status_code == 200
    sheet = workbook(response).active
    rows = list(sheet.values)
    assert rows[0][3] == "姓名" and rows[0][6] == "身份证号"
    assert rows[1][3] == "甲格居民"
    assert rows[1][6] == "350502********123X" and rows[1][7] == "138****8000"
    assert rows[1][-1] == "残疾人"
    assert len(rows) == 2
    assert sheet.freeze_panes == "A2"
    assert sheet.column_dimensions["G"].width > 15
    event = every(AuditEvent).get(action="export")
    assert event.actor == world.users["grid"]
    assert event.detail["rows"] == 1
    assert event.detail["filters"] == {"within": GRID, "key_group": "disabled"}
    assert event.detail["list"] == "resident"


def test_whole_numbers_need_the_reveal_permission(world, as_user):
    township = as_user(world.users["township"])
    assert township.get(reverse("resident_export"), {"reveal": "1"}).status_code == 403
    assert not every(AuditEvent).filter(action="export").exists()
    grid = as_user(world.users["grid"])
    rows = list(workbook(grid.get(reverse("resident_export"), {"reveal": "1"})).active.values)
    assert rows[1][6] == "35050219900101123X"
    assert every(AuditEvent).get(action="export").detail["filters"] == {"reveal": "1"}


def test_an_export_holds_only_the_scope(world, as_user):
    rows = list(
        workbook(as_user(world.users["township"]).get(reverse("resident_export"))).active.values
    )
    names = {row[3] for row in rows[1:]}
    assert names == {"甲格居民", "乙格居民"}


def test_roles_without_the_export_permission_are_refused(world, as_user):
    client = as_user(world.users["building_head"])
    assert client.get(reverse("resident_export")).status_code == 403


def test_household_and_key_group_exports(world, as_user):
    client = as_user(world.users["community"])
    households = list(workbook(client.get(reverse("household_export"))).active.values)
    assert households[0][:3] == ("网格", "楼栋", "门牌号")
    assert {row[2] for row in households[1:]} == {"甲格101", "乙格101"}
    assert "甲格网格员" in {row[-1] for row in households[1:]}
    tags = list(workbook(client.get(reverse("key_group_export"))).active.values)
    assert {row[3] for row in tags[1:]} == {"甲格居民", "乙格居民"}
    assert every(AuditEvent).filter(action="export").count() == 2
