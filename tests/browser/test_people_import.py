"""The resident import in a real browser: download the template, fill it with good and bad
rows, upload it, read the preview, download the rejected rows, confirm, see the residents."""

import io
import re

import openpyxl
import pytest
from playwright.sync_api import expect
from python_calamine import CalamineWorkbook
from stdnum.cn import ric

from fangkong.people.models import KeyGroup, Resident
from tests.world import every

pytestmark = pytest.mark.browser

GRID = "350502001001001"
COMMUNITY = "350502001001"
# Either language, so the test holds with or without the compiled catalogue.
CHECK_DIGIT = re.compile(r"校验位|check digit")
EMPTY = re.compile(r"为空|空白|empty", re.IGNORECASE)
SAVED = re.compile(r"已于.*导入|Imported on")


def id_number(serial, born="19880808"):
    body = f"350502{born}{serial:03d}"
    return body + ric.calc_check_digit(body + "0")


def wrong_check_digit(number):
    return number[:-1] + ("1" if number[-1] != "1" else "2")


def test_import_a_template_with_good_and_bad_rows(world, page, phone, log_in, screenshot, tmp_path):
    log_in(page, "grid")
    page.goto(f"/areas/{GRID}/")
    page.click("#resident-import")
    expect(page).to_have_url(re.compile(rf"/areas/{GRID}/residents/import/$"))
    screenshot(page, "upload")

    with page.expect_download() as download:
        page.click("#import-template")
    assert download.value.suggested_filename.endswith(".xlsx")
    workbook = openpyxl.load_workbook(io.BytesIO(download.value.path().read_bytes()))
    sheet = workbook.worksheets[0]
    headers = [cell.value for cell in sheet[1]]
    assert headers[:3] in (
        ["小区/楼栋/自然村", "门牌号", "姓名"],
        ["Compound/building/natural village", "House number", "Full name"],
    )
    rows = [
        ["浏览器楼", "101", "林小花", id_number(12), "13900001111", "", "", "户主", "", "低保对象"],
        ["浏览器楼", "101", "林大树", id_number(13), "", "", "", "配偶", "", ""],
        ["浏览器楼", "102", "错号码", wrong_check_digit(id_number(15)), "", "", "", "", "", ""],
        ["浏览器楼", "", "无门牌", id_number(17), "", "", "", "", "", ""],
    ]
    assert "示例" in sheet.cell(row=2, column=3).value  # the example row, which is skipped
    for number, row in enumerate(rows, start=3):  # typed under it, into cells formatted as text
        for column, value in enumerate(row, start=1):
            sheet.cell(row=number, column=column, value=value or None)
    filled = tmp_path / "摸排表.xlsx"
    workbook.save(filled)

    page.set_input_files("#id_file", str(filled))
    page.click("#import-upload")
    expect(page).to_have_url(re.compile(r"/imports/\d+/$"))
    counts = page.locator("#import-counts")
    expect(counts.locator('[data-count="new"]')).to_have_text("2")
    expect(counts.locator('[data-count="invalid"]')).to_have_text("2")
    expect(counts.locator('[data-count="households"]')).to_have_text("1")
    expect(counts.locator('[data-count="buildings"]')).to_have_text("1")
    problems = page.locator("#import-problems tbody tr")
    expect(problems).to_have_count(2)
    expect(problems.nth(0).locator("td").first).to_have_text("5")
    expect(problems.nth(0)).to_contain_text(CHECK_DIGIT)
    expect(problems.nth(1).locator("td").first).to_have_text("6")
    expect(problems.nth(1)).to_contain_text(EMPTY)
    screenshot(page, "preview")

    with page.expect_download() as download:
        page.click("#import-rejected")
    rejected = CalamineWorkbook.from_filelike(io.BytesIO(download.value.path().read_bytes()))
    table = rejected.get_sheet_by_index(0).to_python()
    assert [row[2] for row in table[1:]] == ["错号码", "无门牌"]
    assert table[1][3] == wrong_check_digit(id_number(15))
    assert CHECK_DIGIT.search(table[1][-1]) and EMPTY.search(table[2][-1])
    assert not every(Resident).filter(name__in=["林小花", "林大树"]).exists()

    # The same preview on a phone: the wide table scrolls inside its box.
    log_in(phone, "grid")
    phone.goto(page.url)
    expect(phone.locator("#import-counts")).to_be_visible()
    overflow = phone.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0
    screenshot(phone, "preview-phone")

    page.click("#import-confirm")
    expect(page.locator("#import-status")).to_contain_text(SAVED)
    assert page.locator("#import-status").get_attribute("data-state") == "done"
    screenshot(page, "done")
    page.goto(f"/residents/?within={GRID}")
    expect(page.locator("main")).to_contain_text("林小花")
    expect(page.locator("main")).to_contain_text("林大树")
    assert "错号码" not in page.locator("main").inner_text()
    person = every(Resident).get(name="林小花")
    assert person.household.number == "101" and person.household.building.name == "浏览器楼"
    tags = every(KeyGroup).filter(resident=person)
    assert [tag.kind for tag in tags] == ["subsistence_allowance"]


def survey_sheet(path):
    """A key-group survey as a community office keeps it: a title, no grid, building or house
    number, a category under a header the import does not know, remarks, a footer."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["新华社区重点人群摸排表"])
    sheet.merge_cells("A1:G1")
    sheet.append(["序号", "姓名", "身份证号", "联系电话", "特殊身份", "备注", "走访人"])
    sheet.append([1, "周桂兰", id_number(31, "19420105"), "13900003001", "独居老人", "", "李四"])
    sheet.append([2, "吴小燕", id_number(32, "19960310"), "13900003002", "", "孕妇", "李四"])
    sheet.append(
        [3, "郑建国", id_number(33, "19700101"), "13900003003", "残疾人", "低保户", "李四"]
    )
    sheet.append(["合计：3人"])
    sheet.append(["填表人：李四", None, "审核人：王五", None, "填表日期：2026年12月1日"])
    book.save(path)


def test_a_community_worker_imports_a_survey_without_addresses_on_a_phone(
    world, phone, log_in, screenshot, tmp_path
):
    grid = world.areas[GRID]
    survey_sheet(tmp_path / "重点人群摸排表.xlsx")
    log_in(phone, "community")
    phone.goto(f"/areas/{COMMUNITY}/")
    phone.click("#resident-import")
    phone.select_option("#id_grid", str(grid.pk))
    phone.set_input_files("#id_file", str(tmp_path / "重点人群摸排表.xlsx"))
    screenshot(phone, "upload")
    phone.click("#import-upload")
    expect(phone).to_have_url(re.compile(r"/imports/\d+/$"))

    # The column the import does not know is named; nothing is refused, nobody is a footer.
    columns = phone.locator("#import-columns")
    expect(columns).to_contain_text("特殊身份")
    expect(phone.locator('#import-counts [data-count="new"]')).to_have_text("3")
    expect(phone.locator('#import-counts [data-count="unplaced"]')).to_have_text("3")
    expect(phone.locator('#import-counts [data-count="invalid"]')).to_have_text("0")
    expect(phone.locator("#import-problems")).to_have_count(0)
    screenshot(phone, "unknown-column")

    columns.get_by_label("特殊身份").select_option("category")
    columns.get_by_label("走访人").select_option("")
    phone.click("#import-columns-save")
    expect(phone.locator("#import-status")).to_have_attribute("data-state", "ready")
    expect(phone.locator('#import-counts [data-count="key_groups"]')).to_have_text("4")
    expect(phone.locator("#import-kinds")).to_contain_text(re.compile("独居老人|Lone elderly"))
    overflow = phone.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0
    screenshot(phone, "mapped")
    phone.click("#import-confirm")
    expect(phone.locator("#import-status")).to_have_attribute("data-state", "done")

    # The grid page says who waits for a household; the list shows them, with their groups.
    phone.goto(f"/areas/{GRID}/")
    phone.click("#unplaced a")
    expect(phone).to_have_url(re.compile(r"unplaced=true"))
    for name in ("周桂兰", "吴小燕", "郑建国"):
        expect(phone.locator("#rows")).to_contain_text(name)
    expect(phone.locator("#rows")).not_to_contain_text("甲格居民")  # placed in a household
    screenshot(phone, "unplaced")
    phone.goto(f"/key-groups/?within={GRID}")
    for name in ("周桂兰", "吴小燕", "郑建国"):
        expect(phone.locator("main")).to_contain_text(name)
    screenshot(phone, "key-groups")
    assert set(every(KeyGroup).filter(resident__name="郑建国").values_list("kind", flat=True)) == {
        "disabled",
        "subsistence_allowance",
    }
    assert every(Resident).get(name="周桂兰").household is None
