"""What supplies add to each grid of the test world (tests/world.py): the grid's stock of
gloves, below its minimum, with the transfer that brought it down from the community (one
record both see) and an issue from it. Primary keys 24000 + …"""

from django.utils import timezone

from fangkong.supplies.models import Stock, StockMovement, SupplyItem
from tests.world import every


def make(world, code, tag, i):
    grid = world.areas[code]
    # The catalogue is seeded by a migration, which a test that empties the database undoes.
    gloves, _new = SupplyItem.objects.get_or_create(
        code="gloves",
        defaults={"name": "一次性医用手套", "category": "gloves", "unit": "副", "position": 10},
    )
    today = timezone.localdate()
    community = every(Stock).filter(area=grid.parent, item=gloves).first() or every(Stock).create(
        pk=24000 + i, area=grid.parent, item=gloves, quantity=500, minimum=100
    )
    stock = every(Stock).create(
        pk=24010 + i,
        area=grid,
        item=gloves,
        quantity=30,
        minimum=50,
        below_since=timezone.now(),
        crossings=1,
    )
    transfer = every(StockMovement).create(
        pk=24020 + i,
        kind=StockMovement.Kind.TRANSFERRED,
        area=grid,
        item=gloves,
        stock=stock,
        quantity=40,
        change=40,
        balance_after=40,
        from_area=grid.parent,
        from_stock=community,
        from_balance_after=500,
        happened_on=today,
        note=f"{tag}下拨",
    )
    issue = every(StockMovement).create(
        pk=24030 + i,
        kind=StockMovement.Kind.ISSUED,
        area=grid,
        item=gloves,
        stock=stock,
        quantity=10,
        change=-10,
        balance_after=30,
        happened_on=today,
        party=f"{tag}卡点",
    )
    return {"stock": stock, "stock_transfer": transfer, "stock_issue": issue}
