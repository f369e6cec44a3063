"""The progress page of a directive as a workbook (spreadsheets.Book): the counts per child
area and the live sums, then every receiving area the user sees with its figures."""

import io

import pytest
from django.test import Client
from django.urls import reverse
from python_calamine import CalamineWorkbook

from fangkong.directives import services
from fangkong.directives.asks import added_key
from fangkong.spreadsheets import XLSX_TYPE
from tests.directives.helpers import (
    COMMUNITY,
    TOWNSHIP,
    TOWNSHIP2,
    hours,
    issue,
    receipt_of,
    report,
)

pytestmark = pytest.mark.django_db


def sheets(response):
    assert response.status_code == 200 and response["Content-Type"] == XLSX_TYPE
    book = CalamineWorkbook.from_filelike(io.BytesIO(response.content))
    return {name: book.get_sheet_by_name(name).to_python() for name in book.sheet_names}


def logged_in(world, username):
    client = Client()
    client.force_login(world.users[username])
    return client


def test_the_county_exports_its_progress_with_every_receiver_and_figure(world):
    directive = issue(world, asked=["=HYPERLINK(1)"])  # a user's text stays text
    township = receipt_of(directive, TOWNSHIP)
    services.forward(
        actor=world.users["township"],
        receipt=township,
        level="community",
        ack_due_at=hours(20),
        report_due_at=hours(60),
        addition="+另报",
        asked=["返乡人员数"],
    )
    report(world, directive, COMMUNITY, "community", **{"asked-0": 4, added_key(township.pk, 0): 9})
    client = logged_in(world, "county")
    page = client.get(reverse("directive_detail", args=[directive.pk])).content.decode()
    url = reverse("directive_progress_xlsx", args=[directive.pk])
    assert f'href="{url}"' in page
    summary, receivers = sheets(client.get(url)).values()
    assert summary[0][0] == directive.title
    totals = summary[5]
    assert totals[1] == "350502000000" and totals[2:6] == [2, 1, 0, 1]
    names = [row[0] for row in summary[6:8]]
    assert names == [world.areas[TOWNSHIP].name, world.areas[TOWNSHIP2].name]
    sums = {row[0]: row[1] for row in summary if row and isinstance(row[1], float | int)}
    assert sums["=HYPERLINK(1)"] == 4
    assert any("返乡人员数" in str(label) and value == 9 for label, value in sums.items())
    header, *rows = receivers
    assert header[-2:] == ["=HYPERLINK(1)", header[-1]] and "返乡人员数" in header[-1]
    by_code = {row[0]: row for row in rows}
    assert set(by_code) == {TOWNSHIP, TOWNSHIP2, COMMUNITY}
    assert by_code[COMMUNITY][-2:] == [4, 9] and by_code[TOWNSHIP][7] == "+另报"


def test_a_forwarding_level_exports_its_subtree_only_and_others_get_a_404(world):
    directive = issue(world)
    township = receipt_of(directive, TOWNSHIP)
    services.forward(
        actor=world.users["township"],
        receipt=township,
        level="community",
        ack_due_at=hours(20),
        report_due_at=hours(60),
    )
    client = logged_in(world, "township")
    _summary, receivers = sheets(
        client.get(reverse("receipt_progress_xlsx", args=[township.pk]))
    ).values()
    assert [row[0] for row in receivers[1:]] == [COMMUNITY]
    other = logged_in(world, "township2")
    assert other.get(reverse("receipt_progress_xlsx", args=[township.pk])).status_code == 404
    assert other.get(reverse("directive_progress_xlsx", args=[directive.pk])).status_code == 404
    # Below a child area (the page's `within`): that township's receivers only.
    county = logged_in(world, "county")
    url = reverse("directive_progress_xlsx", args=[directive.pk])
    _summary, receivers = sheets(county.get(f"{url}?within={TOWNSHIP}")).values()
    assert [row[0] for row in receivers[1:]] == [COMMUNITY]
