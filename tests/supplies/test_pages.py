import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.translation import gettext as _
from python_calamine import CalamineWorkbook

from fangkong.supplies.models import Stock, StockMovement
from tests.supplies.helpers import (
    COMMUNITY,
    COUNTY,
    GRID,
    TOWNSHIP,
    item,
    minimum,
    move,
    transfer,
)
from tests.world import every

pytestmark = pytest.mark.django_db


def form_of(client, url):
    page = client.get(url)
    assert page.status_code == 200
    return page.context["form"]


def test_an_issue_sent_twice_from_the_form_is_recorded_once(as_user, world):
    move(world, "received", 100)
    client = as_user(world.users["community"])
    url = f"{reverse('movement_new')}?area={COMMUNITY}"
    form = form_of(client, url)
    data = {
        "area": COMMUNITY,
        "client_uuid": form["client_uuid"].value(),
        "kind": "issued",
        "item": item().pk,
        "quantity": "30",
        "happened_on": form["happened_on"].value().isoformat(),
        "party": "幸福小区卡点",
    }
    first = client.post(reverse("movement_new"), data)
    assert first.status_code == 302, first.context["form"].errors
    client.post(reverse("movement_new"), data)
    assert every(StockMovement).filter(client_uuid=data["client_uuid"]).count() == 1
    page = client.get(first["Location"]).content.decode()
    assert 'id="stock-quantity">70' in page and "幸福小区卡点" in page


@pytest.mark.parametrize("quantity", ["-5", "101"])
def test_a_negative_or_too_large_issue_is_refused_in_words_and_changes_nothing(
    as_user, world, quantity
):
    move(world, "received", 100)
    client = as_user(world.users["community"])
    before = every(StockMovement).count()
    answer = client.post(
        reverse("movement_new"),
        {"area": COMMUNITY, "kind": "issued", "item": item().pk, "quantity": quantity},
    )
    assert answer.status_code == 200
    errors = answer.context["form"].errors
    assert "quantity" in errors
    # Said in words: the rule broken, or what is in stock.
    said = {"-5": _("The quantity cannot be negative."), "101": "100"}
    assert said[quantity] in errors["quantity"][0]
    assert every(StockMovement).count() == before


def test_the_township_transfers_down_to_a_community_from_its_form(as_user, world):
    move(world, "received", 200, user="township", code=TOWNSHIP)
    client = as_user(world.users["township"])
    form = form_of(client, f"{reverse('movement_new')}?area={TOWNSHIP}&kind=transferred")
    assert [code for code, _name in form.fields["to_area"].choices][1:] == [COMMUNITY]
    answer = client.post(
        reverse("movement_new"),
        {
            "area": TOWNSHIP,
            "kind": "transferred",
            "to_area": COMMUNITY,
            "item": item().pk,
            "quantity": "80",
            "happened_on": form["happened_on"].value().isoformat(),
        },
    )
    assert answer.status_code == 302
    moved = every(StockMovement).get(kind="transferred", item=item())
    assert (moved.area.code, moved.from_area.code) == (COMMUNITY, TOWNSHIP)
    community = as_user(world.users["community"]).get(
        reverse("stock_detail", args=[moved.stock_id])
    )
    assert "海滨街道 → 新华社区" in community.content.decode()


def test_a_grid_worker_may_only_issue(as_user, world):
    client = as_user(world.users["grid"])
    form = form_of(client, reverse("movement_new"))
    assert [k for k, _label in form.fields["kind"].choices] == ["issued"]
    assert client.get(reverse("stock_minimum")).status_code == 403
    assert as_user(world.users["volunteer"]).get(reverse("movement_new")).status_code == 403


def test_the_minimum_is_set_from_its_page(as_user, world):
    move(world, "received", 10)
    client = as_user(world.users["community"])
    answer = client.post(
        reverse("stock_minimum"), {"area": COMMUNITY, "item": item().pk, "minimum": "20"}
    )
    assert answer.status_code == 302
    stock = every(Stock).get(area=world.areas[COMMUNITY], item=item())
    assert stock.minimum == 20 and stock.below_since is not None
    page = client.get(answer["Location"]).content.decode()
    assert 'id="stock-alert"' in page
    bad = client.post(
        reverse("stock_minimum"), {"area": COMMUNITY, "item": item().pk, "minimum": "-3"}
    )
    assert "minimum" in bad.context["form"].errors


def test_the_stock_list_shows_stocks_below_the_minimum(as_user, world):
    move(world, "received", 10)
    minimum(world, 20)
    client = as_user(world.users["community"])
    page = client.get(f"{reverse('stock_list')}?state=low").content.decode()
    assert page.count("stock-low") == page.count('class="list-group-item') >= 3
    assert "医用外科口罩" in page
    grid = as_user(world.users["grid"]).get(reverse("stock_list"))
    assert {s.area.code for s in grid.context["page"].object_list} == {GRID}


def test_the_stock_list_takes_a_fixed_number_of_queries(as_user, world):
    client = as_user(world.users["county"])
    client.get(reverse("stock_list"))
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("stock_list"))
    for code in (GRID, COMMUNITY, TOWNSHIP):
        move(world, "received", 10, user="county", code=code, what="goggles")
    with CaptureQueriesContext(connection) as more:
        client.get(reverse("stock_list"))
    assert len(more) == len(few)


def test_the_roll_up_page_sums_the_subtree_per_child(as_user, world):
    move(world, "received", 1000, user="county", code=COUNTY, what="mask_n95")
    transfer(world, 300, user="county", source=COUNTY, code=TOWNSHIP, what="mask_n95")
    transfer(world, 100, user="county", source=TOWNSHIP, code=COMMUNITY, what="mask_n95")
    client = as_user(world.users["county"])
    answer = client.get(reverse("supplies_summary", args=[COUNTY]))
    rolls = {r.item.code: r for r in answer.context["rolls"]}
    assert rolls["mask_n95"].quantity == 1000
    cells = dict(answer.context["rows"])
    township = cells[world.areas[TOWNSHIP]]
    assert township[list(rolls).index("mask_n95")].quantity == 300
    assert "海滨街道" in answer.content.decode()
    assert (
        as_user(world.users["township2"])
        .get(reverse("supplies_summary", args=[TOWNSHIP]))
        .status_code
        == 404
    )


def test_the_stock_table_exports_to_excel(as_user, world):
    move(world, "received", 77, what="alcohol_75")
    client = as_user(world.users["community"])
    answer = client.get(f"{reverse('stock_export')}?item={item('alcohol_75').pk}")
    assert answer.status_code == 200
    rows = CalamineWorkbook.from_filelike(io.BytesIO(answer.content)).get_sheet_by_index(0)
    rows = rows.to_python()
    assert rows[1][:5] == [COMMUNITY, "新华社区", "75%酒精", "瓶", 77]


def test_the_home_page_counts_the_stocks_below_the_minimum(as_user, world):
    client = as_user(world.users["community"])
    page = client.get(reverse("home")).content.decode()
    assert 'id="today-supplies-low"' in page
