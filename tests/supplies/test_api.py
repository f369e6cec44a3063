import uuid

import pytest
from rest_framework.test import APIClient

from fangkong.supplies.models import Stock, StockMovement
from tests.supplies.helpers import COMMUNITY, GRID, OTHER_GRID, TOWNSHIP, days_ago, item, move
from tests.world import every

pytestmark = pytest.mark.django_db


def api(world, username):
    client = APIClient()
    client.force_authenticate(world.users[username])
    return client


def test_a_movement_posted_twice_is_recorded_once(world):
    client = api(world, "community")
    body = {
        "kind": "received",
        "area": COMMUNITY,
        "item": item().pk,
        "quantity": 500,
        "party": "区卫健局",
        "client_uuid": str(uuid.uuid4()),
    }
    first = client.post("/api/stock-movements/", body, format="json")
    assert first.status_code == 201, first.content
    assert first.json()["balance_after"] == 500
    again = client.post("/api/stock-movements/", body, format="json")
    assert again.status_code == 200 and again.json()["id"] == first.json()["id"]
    assert every(StockMovement).filter(client_uuid=body["client_uuid"]).count() == 1


def test_a_negative_quantity_or_a_shortage_is_a_400_and_nothing_is_saved(world):
    move(world, "received", 20)
    client = api(world, "community")
    before = every(StockMovement).count()
    for quantity in (-1, 21):
        answer = client.post(
            "/api/stock-movements/",
            {"kind": "issued", "area": COMMUNITY, "item": item().pk, "quantity": quantity},
            format="json",
        )
        assert answer.status_code == 400
        assert "quantity" in answer.json()
    assert every(StockMovement).count() == before
    assert every(Stock).get(area=world.areas[COMMUNITY], item=item()).quantity == 20


def test_a_transfer_is_one_record_both_ends_read(world):
    move(world, "received", 100, user="township", code=TOWNSHIP)
    answer = api(world, "township").post(
        "/api/stock-movements/",
        {
            "kind": "transferred",
            "area": COMMUNITY,
            "from_area": TOWNSHIP,
            "item": item().pk,
            "quantity": 60,
        },
        format="json",
    )
    assert answer.status_code == 201, answer.content
    moved = answer.json()
    assert (moved["area"], moved["from_area"], moved["from_balance_after"]) == (
        COMMUNITY,
        TOWNSHIP,
        40,
    )
    for user in ("community", "township"):
        listed = api(world, user).get(f"/api/stock-movements/?kind=transferred&item={item().pk}")
        assert [m["id"] for m in listed.json()["results"]] == [moved["id"]]
    assert api(world, "township2").get(f"/api/stock-movements/{moved['id']}/").status_code == 404


def test_the_grid_worker_issues_but_may_not_receive_or_reach_outside(world):
    client = api(world, "grid")
    body = {"kind": "received", "area": GRID, "item": item("gloves").pk, "quantity": 5}
    assert client.post("/api/stock-movements/", body, format="json").status_code == 403
    issued = client.post("/api/stock-movements/", {**body, "kind": "issued"}, format="json")
    assert issued.status_code == 201 and issued.json()["balance_after"] == 25
    outside = client.post(
        "/api/stock-movements/", {**body, "kind": "issued", "area": OTHER_GRID}, format="json"
    )
    assert outside.status_code == 400  # an area outside the scope "does not exist"


def test_stocks_list_with_days_left_and_the_roll_up(world):
    client = api(world, "township")
    stocks = client.get("/api/stocks/?state=low").json()["results"]
    assert stocks and all(s["below_minimum"] for s in stocks)
    gloves = next(s for s in stocks if s["area"] == GRID)
    assert (gloves["quantity"], gloves["used"], gloves["days_left"]) == (30, 10, 42)
    rolled = {
        r["item_name"]: r for r in client.get(f"/api/stocks/rollup/?within={TOWNSHIP}").json()
    }
    assert rolled["一次性医用手套"]["quantity"] == 500 + 30 + 30
    assert rolled["一次性医用手套"]["below"] == 2
    assert client.get("/api/stocks/rollup/").status_code == 200
    assert api(world, "township2").get(f"/api/stocks/rollup/?within={TOWNSHIP}").status_code == 404


def test_the_minimum_is_set_through_the_api(world):
    answer = api(world, "community").post(
        "/api/stocks/minimum/",
        {"area": COMMUNITY, "item": item().pk, "minimum": 300},
        format="json",
    )
    assert answer.status_code == 200, answer.content
    assert answer.json()["below_minimum"] is True
    assert (
        api(world, "grid")
        .post(
            "/api/stocks/minimum/", {"area": GRID, "item": item().pk, "minimum": 3}, format="json"
        )
        .status_code
        == 403
    )


def test_the_catalogue_is_listed(world):
    items = api(world, "grid").get("/api/supply-items/").json()
    assert {"医用外科口罩", "N95口罩", "医用防护服"} <= {i["name"] for i in items}
    assert api(world, "volunteer").get("/api/supply-items/").status_code == 403


def test_the_movements_list_shows_the_last_month_unless_dates_are_given(world):
    old = move(world, "received", 5, happened_on=days_ago(31))
    client = api(world, "community")
    recent = [m["id"] for m in client.get("/api/stock-movements/").json()["results"]]
    assert old.pk not in recent and recent
    since = days_ago(40).isoformat()
    dated = client.get(f"/api/stock-movements/?date_from={since}").json()["results"]
    assert old.pk in [m["id"] for m in dated]
    stock = client.get(f"/api/stock-movements/?stock={old.stock_id}").json()["results"]
    assert [m["id"] for m in stock] == [old.pk]
