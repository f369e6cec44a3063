"""Demo supplies (docs/supplies.md): the stock of every item in the county, its townships and
its communities, with the movements of the last `days` days as they would have happened —
the county receives allocations, transfers down to its townships, each township down to its
communities when they run low, communities issue most days and count their stock once a
month — and the stock rows that those movements leave, a few below their minimum.

`write_movements` writes straight to the tables (the benchmark writes a year of them for a
county of 500 communities); `build` then records, through the services, a transfer to the
demo grid and issues that take the demo community's masks below their minimum, so that the
community worker's alert is there to see."""

import datetime
import importlib
import math

from django.apps import apps
from django.contrib.auth import get_user_model
from django.utils import timezone

from fangkong.areas.models import Area, Level, Role
from fangkong.demo.writer import Writer
from fangkong.scope import system_scope
from fangkong.supplies import services
from fangkong.supplies.models import Stock, StockMovement, SupplyItem

# What a community issues on a day it issues (low, high), per item code; a community issues
# an item on about ISSUE_CHANCE of days.
DAILY_USE = {
    "mask_surgical": (40, 120),
    "mask_n95": (5, 20),
    "thermometer_ir": (0, 1),
    "thermometer": (1, 4),
    "disinfectant_84": (2, 8),
    "alcohol_75": (2, 6),
    "hand_sanitizer": (1, 5),
    "protective_suit": (1, 4),
    "isolation_gown": (1, 3),
    "gloves": (10, 40),
    "goggles": (0, 2),
    "face_shield": (0, 2),
}
ISSUE_CHANCE = 0.35
PARTIES = ["卡点值守", "入户走访", "集中隔离点", "核酸采样点", "居家隔离户", "社区卫生服务站"]


class Ledger:
    """Balances and movements of the simulation, keyed by (area, item) until the stock rows
    have their ids."""

    def __init__(self, today, now):
        self.today, self.now = today, now
        self.balance, self.minimum, self.moves = {}, {}, []

    def move(self, kind, area, item, quantity, day, *, giver=None, party="", change=None):
        key = (area.pk, item.pk)
        if change is None:
            change = -quantity if kind == StockMovement.Kind.ISSUED else quantity
        self.balance[key] = self.balance.get(key, 0) + change
        row = {
            "area": area,
            "key": key,
            "kind": kind,
            "item_id": item.pk,
            "quantity": quantity,
            "change": change,
            "balance_after": self.balance[key],
            "from_area": giver,
            "from_key": None,
            "from_balance_after": None,
            "happened_on": day,
            "party": party,
        }
        if giver is not None:
            from_key = (giver.pk, item.pk)
            self.balance[from_key] -= quantity
            row["from_key"], row["from_balance_after"] = from_key, self.balance[from_key]
        self.moves.append(row)


def write_movements(writer, rng, *, days, today=None):
    """Simulate `days` days up to today over the county's townships and communities, and
    write the stock rows and movements; returns (stocks, movements) written."""
    today = today or timezone.localdate()
    now = timezone.now()
    county = Area.objects.filter(level=Level.COUNTY).order_by("code").first()
    if county is None:
        return 0, 0
    townships = list(Area.objects.filter(parent=county).order_by("code"))
    communities = {
        t.pk: list(Area.objects.filter(parent=t, level=Level.COMMUNITY).order_by("code"))
        for t in townships
    }
    items = list(SupplyItem.objects.filter(is_active=True))
    ledger = Ledger(today, now)
    Kind = StockMovement.Kind
    first = today - datetime.timedelta(days=days - 1)
    for item in items:
        low, high = DAILY_USE.get(item.code, (1, 5))
        week = max(1, math.ceil(7 * ISSUE_CHANCE * (low + high) / 2))
        all_communities = [c for cs in communities.values() for c in cs]
        for community in all_communities:
            ledger.minimum[(community.pk, item.pk)] = week
        batch = week * 6 * max(1, len(all_communities))
        ledger.move(Kind.RECEIVED, county, item, batch, first, party="市防控指挥部调拨")
        for township in townships:
            ledger.balance.setdefault((township.pk, item.pk), 0)
        for community in all_communities:
            ledger.balance.setdefault((community.pk, item.pk), 0)
    for offset in range(days):
        day = first + datetime.timedelta(days=offset)
        for item in items:
            low, high = DAILY_USE.get(item.code, (1, 5))
            for township in townships:
                for community in communities[township.pk]:
                    key = (community.pk, item.pk)
                    week = ledger.minimum[key]
                    # Some communities wait for their delivery over the last days.
                    waiting = offset >= days - 3 and community.pk % 4 == 0
                    if ledger.balance[key] < 2 * week and not waiting:
                        refill(ledger, rng, county, township, community, item, 4 * week, day)
                    if rng.random() < ISSUE_CHANCE:
                        asked = min(rng.randint(low, high), ledger.balance[key])
                        if asked > 0:
                            party = rng.choice(PARTIES)
                            ledger.move(Kind.ISSUED, community, item, asked, day, party=party)
                    if (offset + community.pk) % 30 == 0 and ledger.balance[key] > 0:
                        found = ledger.balance[key] - rng.randint(0, ledger.balance[key] // 100)
                        change = found - ledger.balance[key]
                        ledger.move(Kind.COUNTED, community, item, found, day, change=change)
    return save(writer, ledger, items)


def refill(ledger, rng, county, township, community, item, quantity, day):
    """The township transfers `quantity` down, after asking the county for ten times as
    much when it has too little, and the county receives an allocation when it has not."""
    Kind = StockMovement.Kind
    township_key, county_key = (township.pk, item.pk), (county.pk, item.pk)
    if ledger.balance[township_key] < quantity:
        need = quantity * 10
        if ledger.balance[county_key] < need:
            ledger.move(Kind.RECEIVED, county, item, need * 5, day, party="市防控指挥部调拨")
        ledger.move(Kind.TRANSFERRED, township, item, need, day, giver=county)
    ledger.move(Kind.TRANSFERRED, community, item, quantity, day, giver=township)


def save(writer, ledger, items):
    areas = {row["key"]: row["area"] for row in ledger.moves}
    for row in ledger.moves:
        if row["from_key"]:
            areas.setdefault(row["from_key"], row["from_area"])
    stocks = []
    for key, area in sorted(areas.items(), key=lambda pair: pair[1].path):
        quantity, minimum = ledger.balance[key], ledger.minimum.get(key, 0)
        below = minimum > 0 and quantity < minimum
        stocks.append(
            {
                "area_id": area.pk,
                "area_path": area.path,
                "item_id": key[1],
                "quantity": quantity,
                "minimum": minimum,
                "below_since": ledger.now if below else None,
                "crossings": 1 if below else 0,
                "minimum_set_by_id": None,
                "updated_at": ledger.now,
                "key": key,
            }
        )
    ids = {s["key"]: s["id"] for s in writer.insert_rows(Stock, stocks)}
    rows = [
        {
            "area_id": row["area"].pk,
            "area_path": row["area"].path,
            "kind": row["kind"],
            "item_id": row["item_id"],
            "stock_id": ids[row["key"]],
            "quantity": row["quantity"],
            "change": row["change"],
            "balance_after": row["balance_after"],
            "from_area_id": row["from_area"].pk if row["from_area"] else None,
            "from_stock_id": ids[row["from_key"]] if row["from_key"] else None,
            "from_balance_after": row["from_balance_after"],
            "happened_on": row["happened_on"],
            "party": row["party"],
            "note": "",
            "reverses_id": None,
            "client_uuid": None,
            "recorded_by_id": None,
            "recorded_at": ledger.now,
        }
        for row in ledger.moves
    ]
    chunk = 50_000
    for start in range(0, len(rows), chunk):
        writer.insert_rows(StockMovement, rows[start : start + chunk])
    return len(stocks), len(rows)


def area_of(user):
    role = Role.objects.filter(worker__user=user).select_related("area").first()
    return role.area if role else None


def demo_alert():
    """The demo community's masks taken below their minimum through the services: its
    community worker is told (and the demo grid gets a transfer to issue from)."""
    users = {
        u.username: u for u in get_user_model().objects.filter(username__in=["community", "grid"])
    }
    actor = users.get("community")
    community = area_of(actor) if actor else None
    if community is None:
        return
    grid = area_of(users["grid"]) if "grid" in users else None
    masks = SupplyItem.objects.get(code="mask_surgical")

    def record(kind, quantity, **more):
        more.setdefault("area", community)
        return services.record_movement(
            actor=actor, kind=kind, item=masks, quantity=quantity, **more
        )

    stock, _made = Stock.objects.get_or_create(area=community, item=masks)
    if stock.quantity < 400:
        record("received", 400 - stock.quantity, party="街道调拨")
    if grid is not None and grid.parent_id == community.pk:
        record("transferred", 100, area=grid, from_area=community, note="网格入户发放")
    services.set_minimum(actor=actor, area=community, item=masks, minimum=200)
    stock.refresh_from_db()
    if stock.quantity >= 200:
        record("issued", stock.quantity - 150, party="卡点值守")


def ensure_catalogue():
    """The catalogue as its migration seeds it, where a flushed test database has lost it."""
    if not SupplyItem.objects.exists():
        seeding = importlib.import_module("fangkong.supplies.migrations.0002_catalogue")
        seeding.add(apps, None)


def build(rng, stdout=None, days=60):
    with system_scope():  # the demo writes the whole county
        ensure_catalogue()
        writer = Writer()
        stocks, moves = write_movements(writer, rng, days=days)
        writer.finish()
        demo_alert()
    if stdout:
        stdout.write(f"supplies: {stocks} stocks, {moves} movements\n")
