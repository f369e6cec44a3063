"""The report pages: review and send, zero report, amend, the township's view, exports."""

import datetime
import io

import pytest
from django.urls import reverse
from python_calamine import CalamineWorkbook

from fangkong.reports.models import DailyReport
from fangkong.reports.selectors import fingerprint
from fangkong.reports.services import current_figures
from tests.monitoring.helpers import check, start
from tests.reports.helpers import (
    COMMUNITY,
    QUIET,
    TOWNSHIP,
    add_communities,
    morning_after,
    submit,
    today,
)
from tests.world import every


@pytest.fixture
def world(world):
    return add_communities(world)


def page(code, day=None, name="report_area"):
    return f"{reverse(name, args=[code])}?day={(day or today()).isoformat()}"


def reviewed(world, code):
    figures, _coverage = current_figures(world.users["sysadmin"], world.areas[code], today(), None)
    return fingerprint(figures)


def post_submit(client, world, code, **data):
    body = {"day": today().isoformat(), "reviewed": reviewed(world, code), **data}
    return client.post(reverse("report_submit", args=[code]), body)


def test_the_community_reviews_its_figures_and_sends_them(as_user, world):
    client = as_user(world.users["community"])
    text = client.get(page(COMMUNITY)).content.decode()
    assert "发热" in text and "尚未上报" in text
    assert "核对无误，上报日报告" in text and "零报告" not in text.split("submit-report")[1][:400]
    response = post_submit(client, world, COMMUNITY, note="两人发热，均已转诊")
    assert response.status_code == 302
    report = every(DailyReport).get(area=world.areas[COMMUNITY], day=today())
    assert report.note == "两人发热，均已转诊" and report.figures["fever"] == 2
    text = client.get(response.url).content.decode()
    assert "按时上报" in text and "两人发热，均已转诊" in text and "修正日报告" in text


def test_a_quiet_community_sends_a_zero_report_on_the_same_screen(as_user, world):
    client = as_user(world.users["quiet"])
    text = client.get(page(QUIET)).content.decode()
    assert "上报零报告" in text and "无新增情况" in text
    refused = post_submit(client, world, QUIET)
    assert refused.status_code == 200 and "确认" in refused.content.decode()
    assert not every(DailyReport).filter(area=world.areas[QUIET]).exists()
    post_submit(client, world, QUIET, zero_report="on")
    assert every(DailyReport).get(area=world.areas[QUIET]).zero_report
    assert "零报告：无新增情况" in client.get(page(QUIET)).content.decode()


def test_figures_changed_while_reviewing_are_shown_again(as_user, world):
    client = as_user(world.users["community"])
    seen = reviewed(world, COMMUNITY)
    check(world, start(world, code="returnee"), temperature="36.5")
    response = client.post(
        reverse("report_submit", args=[COMMUNITY]), {"day": today().isoformat(), "reviewed": seen}
    )
    assert response.status_code == 200 and "数据已变化" in response.content.decode()


def test_an_amendment_shows_both_versions(as_user, world):
    client = as_user(world.users["community"])
    submit(world, COMMUNITY)
    check(world, start(world, code="returnee"), temperature="38.1")
    text = client.get(page(COMMUNITY)).content.decode()
    assert "上报后记录有变化" in text
    response = client.post(
        reverse("report_amend", args=[COMMUNITY]),
        {
            "day": today().isoformat(),
            "reason": "补录返乡人员发热",
            "reviewed": reviewed(world, COMMUNITY),
        },
    )
    assert response.status_code == 302
    text = client.get(page(COMMUNITY)).content.decode()
    assert "第 1 版" in text and "第 2 版" in text and "补录返乡人员发热" in text
    assert "2 → <strong>3</strong>" in text
    missing_reason = client.post(
        reverse("report_amend", args=[COMMUNITY]), {"day": today().isoformat()}
    )
    assert missing_reason.status_code == 200 and "必填" in missing_reason.content.decode()


def test_the_township_page_names_who_has_not_reported(as_user, world):
    submit(world, COMMUNITY)
    submit(world, QUIET, user="quiet", zero_report=True)
    client = as_user(world.users["township"])
    text = client.get(page(TOWNSHIP)).content.decode()
    assert 'id="completeness">2/3' in text
    missing = text.split('id="missing-communities"')[1]
    assert "沉默社区" in missing and "宁静社区" not in missing
    assert 'data-key="fever">2<' in text
    # The township reviews and sends its own report: the sum of the communities', after
    # saying it knows who is missing (point 4 of issue 13).
    warning = text.split('id="children-warning"')[1].split("</div>")[0]
    assert "1 个社区尚未上报" in warning and "沉默社区" in warning
    assert "我已知晓以上下级未报/迟报，仍然上报" in text
    refused = post_submit(client, world, TOWNSHIP)
    assert refused.status_code == 200 and "请确认已知晓" in refused.content.decode()
    assert not every(DailyReport).filter(area=world.areas[TOWNSHIP]).exists()
    response = post_submit(client, world, TOWNSHIP, send_despite_missing="on")
    assert response.status_code == 302
    assert every(DailyReport).get(area=world.areas[TOWNSHIP]).figures["fever"] == 2


def test_a_township_with_no_community_reported_is_warned_before_a_zero_report(as_user, world):
    client = as_user(world.users["township"])
    text = client.get(page(TOWNSHIP)).content.decode()
    form = text.split('id="submit-report"')[1].split("</form>")[0]
    warning = form.index('id="children-warning"')
    assert warning < form.index("上报零报告")  # the warning comes before the button
    assert "3 个社区尚未上报" in form
    for name in ("新华社区", "宁静社区", "沉默社区"):
        assert name in form
    assert 'name="send_despite_missing"' in form
    refused = post_submit(client, world, TOWNSHIP, zero_report="on")
    assert refused.status_code == 200 and "尚有 3 个社区未上报" in refused.content.decode()
    sent = post_submit(client, world, TOWNSHIP, zero_report="on", send_despite_missing="on")
    assert sent.status_code == 302
    assert every(DailyReport).get(area=world.areas[TOWNSHIP]).zero_report


def test_late_communities_are_named_and_a_community_confirms_nothing(as_user, world):
    late = morning_after(today(), 10)
    submit(world, COMMUNITY, now=late)
    text = as_user(world.users["township"]).get(page(TOWNSHIP)).content.decode()
    late_list = text.split('id="warning-late"')[1].split("</ul>")[0]
    assert "1 个社区迟报" in text and "新华社区" in late_list
    quiet = as_user(world.users["quiet"]).get(page(QUIET)).content.decode()
    assert "children-warning" not in quiet and "send_despite_missing" not in quiet


def test_the_community_worker_cannot_open_the_township_and_grid_workers_see_no_reports(
    as_user, world
):
    assert as_user(world.users["community"]).get(page(TOWNSHIP)).status_code == 404
    grid = as_user(world.users["grid"])
    assert grid.get(page(COMMUNITY)).status_code == 404  # above the grid: outside its scope
    assert grid.get(reverse("report_home")).status_code == 403
    # A grid is no reporting area.
    assert as_user(world.users["community"]).get(page("350502001001001")).status_code == 404


def test_bad_dates_change_nothing(as_user, world):
    # A refused date shows the page of the default day with the reason (tests/test_dates.py).
    client = as_user(world.users["community"])
    page_of = f"{reverse('report_area', args=[COMMUNITY])}?day="
    assert 'id="day-error"' in client.get(f"{page_of}2026-13-01").content.decode()
    tomorrow = (today() + datetime.timedelta(days=1)).isoformat()
    assert 'id="day-error"' in client.get(f"{page_of}{tomorrow}").content.decode()
    response = client.post(reverse("report_submit", args=[COMMUNITY]), {"day": tomorrow})
    assert response.status_code == 200
    assert not every(DailyReport).filter(area=world.areas[COMMUNITY], day__gt=today()).exists()


def test_home_leads_to_the_users_area(as_user, world):
    response = as_user(world.users["township"]).get(reverse("report_home"))
    assert response.url == reverse("report_area", args=[TOWNSHIP])


def read_workbook(response):
    book = CalamineWorkbook.from_filelike(io.BytesIO(response.content))
    return book.get_sheet_by_index(0).to_python()


def test_the_official_table_prints_and_downloads(as_user, world):
    submit(world, COMMUNITY)
    client = as_user(world.users["township"])
    text = client.get(page(TOWNSHIP, name="report_print")).content.decode()
    assert "海滨街道疫情防控日报表" in text and "填报人" in text and "沉默社区" in text
    rows = read_workbook(client.get(page(TOWNSHIP, name="report_workbook")))
    assert rows[0][0] == "海滨街道疫情防控日报表"
    assert "2026" in rows[1][0] or today().isoformat() in rows[1][0]
    names = [row[0] for row in rows]
    assert {"新华社区", "宁静社区", "沉默社区", "合计"} <= set(names)
    header = rows[4]
    fever = header.index("发热")
    assert rows[names.index("新华社区")][fever] == 2 and rows[names.index("合计")][fever] == 2
    assert any("审核人" in str(row[0]) for row in rows)


def test_a_date_range_exports_a_row_per_day(as_user, world):
    submit(world, COMMUNITY)
    client = as_user(world.users["township"])
    first = today() - datetime.timedelta(days=2)
    url = reverse("report_export", args=[TOWNSHIP])
    rows = read_workbook(client.get(f"{url}?first={first}&last={today()}"))
    days = [row[0] for row in rows[4:]]
    assert days == [(first + datetime.timedelta(days=n)).isoformat() for n in range(3)]
    assert rows[-1][3] == 1  # communities reported today
    bad = client.get(f"{url}?first={today()}&last={first}")
    assert bad.status_code == 302


def test_the_trend_is_json_for_the_chart(as_user, world):
    submit(world, COMMUNITY)
    data = as_user(world.users["township"]).get(page(TOWNSHIP, name="report_trend")).json()
    assert len(data["days"]) == 30 and data["completeness"][-1] == 33.3
    assert {f["key"] for f in data["figures"]} >= {"fever", "plans_open"}
