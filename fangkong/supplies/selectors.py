"""Reads of supplies: every list and sum through `visible_to(user, perm)`.

The roll-up of an area sums its subtree's `Stock` rows (one per area and item, kept by the
movements), so a county's figures read a few thousand rows whatever the number of
movements; the rate of use reads the issues of the last `RATE_DAYS` days from an index that
holds only issues."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Sum
from django.utils import timezone

from fangkong.areas.selectors import counts_by_sibling
from fangkong.supplies.models import BELOW_MINIMUM, Stock, StockMovement, SupplyItem
from fangkong.supplies.permissions import VIEW_MOVEMENT, VIEW_STOCK

RATE_DAYS = 14  # the days whose use sets the rate at which the stock will last
Kind = StockMovement.Kind


def items():
    return SupplyItem.objects.filter(is_active=True)


def stocks(user, perm=VIEW_STOCK):
    return Stock.objects.visible_to(user, perm).select_related("area", "item")


def movements(user):
    return StockMovement.objects.visible_to(user, VIEW_MOVEMENT).select_related(
        "area", "item", "from_area", "recorded_by__worker"
    )


def below_minimum(records):
    return records.filter(BELOW_MINIMUM)


def rate_start(today=None):
    return (today or timezone.localdate()) - datetime.timedelta(days=RATE_DAYS - 1)


def last_days(n, today=None):
    """The `n` days up to today, as a list: a subtree's movements of a few days are read
    with `happened_on IN (...)`, one seek per day into the (day, path) indexes. Written as a
    range, SQLite reads the subtree's whole range of the path index instead (a county's
    year of movements: 1.2 s)."""
    today = today or timezone.localdate()
    return [today - datetime.timedelta(days=i) for i in range(n)]


def days_left(quantity, used, days=RATE_DAYS):
    """How many days `quantity` lasts if as much goes as `used` went in the last `days`
    days; None when nothing went (it lasts, as far as anyone can tell)."""
    if not used:
        return None
    return quantity * days // used


def own_use(user, stock_ids, today=None):
    """{stock id: how much left it in the last RATE_DAYS days}: issued from it, and
    transferred down from it. Two grouped queries, whatever the number of stocks."""
    since = rate_start(today)
    recent = StockMovement.objects.visible_to(user, VIEW_STOCK).filter(happened_on__gte=since)
    used = dict(
        recent.filter(kind=Kind.ISSUED, stock_id__in=stock_ids)
        .values("stock_id")
        .annotate(n=Sum("quantity"))
        .values_list("stock_id", "n")
        .order_by()
    )
    for stock_id, n in (
        recent.filter(kind=Kind.TRANSFERRED, from_stock_id__in=stock_ids)
        .values("from_stock_id")
        .annotate(n=Sum("quantity"))
        .values_list("from_stock_id", "n")
        .order_by()
    ):
        used[stock_id] = used.get(stock_id, 0) + n
    return used


def with_days_left(user, stock_rows, today=None):
    """Mark each stock of a page with `used` (the last RATE_DAYS days) and `days_left`."""
    stock_rows = list(stock_rows)
    used = own_use(user, [s.pk for s in stock_rows], today)
    for stock in stock_rows:
        stock.used = used.get(stock.pk, 0)
        stock.days_left = days_left(stock.quantity, stock.used)
    return stock_rows


@dataclass
class ItemRoll:
    """One item of an area's roll-up: its subtree's stock, how many of its stocks are
    below their minimum, how much was issued in the last RATE_DAYS days and how long the
    stock lasts at that rate; the same per child area ({child path: ChildRoll})."""

    item: SupplyItem
    quantity: int = 0
    below: int = 0
    used: int = 0
    children: dict = field(default_factory=dict)

    @property
    def days_left(self):
        return days_left(self.quantity, self.used)


@dataclass
class ChildRoll:
    quantity: int = 0
    below: int = 0
    used: int = 0

    @property
    def days_left(self):
        return days_left(self.quantity, self.used)


def rollup(user, area, children=(), today=None):
    """[ItemRoll] of every item in use: the sums of `area`'s subtree and, per child area,
    of each child's. Within a subtree transfers move stock without using it: its use is
    what was issued in it.

    With children, the area's sums are its own rows plus its children's sums (the caller
    passes every child: who reads an area reads all below it), so the subtree is read once:
    two small queries for the area's own rows and three grouped by child (one GROUP BY over
    the subtree each, `counts_by_sibling`: building a UNION of a query per child cost 1 ms of
    Python a child). Without,
    two queries over the subtree."""
    scoped = Stock.objects.visible_to(user, VIEW_STOCK).order_by()
    issued = (
        StockMovement.objects.visible_to(user, VIEW_STOCK)
        .filter(kind=Kind.ISSUED, happened_on__in=last_days(RATE_DAYS, today))
        .order_by()
    )
    rolls = {item.pk: ItemRoll(item) for item in items()}
    # The area's own rows when the children hold the rest, else the whole subtree.
    own = {"area": area} if children else {"area_path__under": area.path}
    for item_id, quantity, below in (
        scoped.filter(**own)
        .values("item_id")
        .annotate(q=Sum("quantity"), b=Count("id", filter=BELOW_MINIMUM))
        .values_list("item_id", "q", "b")
    ):
        if item_id in rolls:
            rolls[item_id].quantity, rolls[item_id].below = quantity or 0, below
    for item_id, used in (
        issued.filter(**own)
        .values("item_id")
        .annotate(n=Sum("quantity"))
        .values_list("item_id", "n")
    ):
        if item_id in rolls:
            rolls[item_id].used = used or 0
    figures = (
        (scoped, Sum("quantity"), "quantity"),
        (below_minimum(scoped), None, "below"),
        (issued, Sum("quantity"), "used"),
    )
    for records, count, name in figures if children else ():
        for (path, item_id), n in counts_by_sibling(
            records, children, count=count, by="item_id"
        ).items():
            if item_id in rolls:
                roll = rolls[item_id]
                setattr(roll.children.setdefault(path, ChildRoll()), name, n or 0)
                setattr(roll, name, getattr(roll, name) + (n or 0))
    return list(rolls.values())
