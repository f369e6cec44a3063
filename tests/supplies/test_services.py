import uuid

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from fangkong.audit.models import AuditEvent
from fangkong.notifications.models import Notification
from fangkong.supplies import selectors
from fangkong.supplies.models import Stock, StockMovement
from fangkong.supplies.reporting import compute
from tests.supplies.helpers import (
    COMMUNITY,
    COUNTY,
    GRID,
    OTHER_COMMUNITY,
    OTHER_TOWNSHIP,
    SIBLING,
    TOWNSHIP,
    days_ago,
    item,
    minimum,
    move,
    transfer,
)
from tests.world import every

pytestmark = pytest.mark.django_db


def stock(world, code=COMMUNITY, what="mask_surgical"):
    return every(Stock).get(area=world.areas[code], item=item(what))


def nothing_saved(world, before):
    assert every(StockMovement).count() == before


class TestMovements:
    def test_received_then_issued_keeps_the_balance_row_and_the_trail(self, world):
        received = move(world, "received", 500, party="县卫健局")
        issued = move(world, "issued", 120, party="卡点")
        assert (received.change, received.balance_after) == (500, 500)
        assert (issued.change, issued.balance_after) == (-120, 380)
        assert stock(world).quantity == 380
        assert issued.recorded_by == world.users["community"]
        actions = set(
            every(AuditEvent)
            .filter(target_type="stockmovement", target_id__in=[received.pk, issued.pk])
            .values_list("action", flat=True)
        )
        assert actions == {"supplies.received", "supplies.issued"}

    def test_issuing_more_than_there_is_is_refused_and_nothing_is_saved(self, world):
        move(world, "received", 50)
        before = every(StockMovement).count()
        with translation.override("zh-hans"), pytest.raises(ValidationError) as refused:
            move(world, "issued", 51)
        assert "quantity" in refused.value.message_dict
        assert "50" in refused.value.message_dict["quantity"][0]
        nothing_saved(world, before)
        assert stock(world).quantity == 50

    @pytest.mark.parametrize("kind", ["received", "issued", "counted", "transferred"])
    def test_a_negative_quantity_is_refused(self, world, kind):
        move(world, "received", 50)
        before = every(StockMovement).count()
        extra = (
            {"from_area": world.areas[TOWNSHIP], "user": "township"}
            if kind == "transferred"
            else {}
        )
        with pytest.raises(ValidationError) as refused:
            move(world, kind, -5, **extra)
        assert "quantity" in refused.value.message_dict
        nothing_saved(world, before)
        assert stock(world).quantity == 50

    def test_zero_is_refused_but_a_stocktake_may_find_none(self, world):
        move(world, "received", 10)
        with pytest.raises(ValidationError):
            move(world, "issued", 0)
        counted = move(world, "counted", 0)
        assert (counted.change, counted.balance_after) == (-10, 0)

    def test_a_stocktake_sets_the_level_and_records_the_difference(self, world):
        move(world, "received", 100)
        counted = move(world, "counted", 93, note="破损7只")
        assert (counted.quantity, counted.change, counted.balance_after) == (93, -7, 93)
        assert stock(world).quantity == 93

    def test_a_retried_request_never_duplicates(self, world):
        request = uuid.uuid4()
        first = move(world, "received", 100, client_uuid=request)
        again = move(world, "received", 100, client_uuid=request)
        assert (first.created, again.created, again.pk) == (True, False, first.pk)
        assert stock(world).quantity == 100
        with pytest.raises(ValidationError):
            move(world, "received", 100, code=GRID, client_uuid=request)

    def test_a_day_outside_the_window_is_refused(self, world):
        with pytest.raises(ValidationError) as refused:
            move(world, "received", 10, happened_on=days_ago(-1))
        assert "happened_on" in refused.value.message_dict
        with pytest.raises(ValidationError):
            move(world, "received", 10, happened_on=days_ago(400))
        assert move(world, "received", 10, happened_on=days_ago(3)).happened_on == days_ago(3)


class TestTransfers:
    def test_a_transfer_down_is_one_record_both_areas_see(self, world):
        move(world, "received", 1000, user="township", code=TOWNSHIP)
        moved = transfer(world, 300)
        assert every(StockMovement).filter(kind="transferred", item=item()).count() == 1
        assert (moved.area, moved.from_area) == (world.areas[COMMUNITY], world.areas[TOWNSHIP])
        assert (moved.balance_after, moved.from_balance_after) == (300, 700)
        assert stock(world, TOWNSHIP).quantity == 700
        assert stock(world).quantity == 300
        for user in ("township", "community", "county"):
            assert selectors.movements(world.users[user]).filter(pk=moved.pk).exists(), user
        assert not selectors.movements(world.users["township2"]).filter(pk=moved.pk).exists()
        # The township's total is unchanged by moving stock inside it.
        rolls = {
            r.item.code: r for r in selectors.rollup(world.users["township"], world.areas[TOWNSHIP])
        }
        assert rolls["mask_surgical"].quantity == 1000

    def test_a_transfer_goes_down_only(self, world):
        move(world, "received", 100, user="county", code=COUNTY)
        with pytest.raises(ValidationError):  # sideways, to another township's community
            transfer(world, 10, user="county", source=TOWNSHIP, code=OTHER_COMMUNITY)
        with pytest.raises(ValidationError):  # up
            transfer(world, 10, user="county", source=COMMUNITY, code=TOWNSHIP)
        with pytest.raises(ValidationError):  # to itself
            transfer(world, 10, user="county", source=COUNTY, code=COUNTY)
        assert transfer(world, 10, user="county", source=COUNTY, code=OTHER_TOWNSHIP).change == 10

    def test_a_transfer_beyond_the_giver_stock_is_refused(self, world):
        move(world, "received", 20, user="township", code=TOWNSHIP)
        before = every(StockMovement).count()
        with pytest.raises(ValidationError):
            transfer(world, 21)
        nothing_saved(world, before)
        assert stock(world, TOWNSHIP).quantity == 20

    def test_the_community_cannot_take_from_its_township(self, world):
        move(world, "received", 20, user="township", code=TOWNSHIP)
        with pytest.raises(PermissionDenied):
            transfer(world, 5, user="community")


class TestPermissions:
    def test_a_grid_worker_issues_from_the_grid_only(self, world):
        move(world, "received", 100)
        transfer(world, 30, user="community", source=COMMUNITY, code=GRID)
        assert move(world, "issued", 10, user="grid", code=GRID).balance_after == 20
        with pytest.raises(PermissionDenied):
            move(world, "received", 10, user="grid", code=GRID)
        with pytest.raises(PermissionDenied):
            move(world, "issued", 10, user="grid", code=COMMUNITY)
        with pytest.raises(PermissionDenied):
            move(world, "issued", 10, user="grid", code=SIBLING)
        with pytest.raises(PermissionDenied):
            minimum(world, 10, user="grid", code=GRID)

    def test_others_may_not_record(self, world):
        for user in ("volunteer", "medical", "checkpoint", "township2"):
            with pytest.raises(PermissionDenied):
                move(world, "received", 10, user=user)


class TestAlerts:
    def notes(self, world, user="community"):
        return every(Notification).filter(user=world.users[user], key__startswith="supplies-low:")

    def test_below_the_minimum_tells_the_community_worker_once_per_fall(self, world):
        move(world, "received", 150)
        minimum(world, 100)
        assert not self.notes(world).exists()
        move(world, "issued", 60)  # 90 < 100: told
        move(world, "issued", 10)  # still below: not told again
        assert self.notes(world).count() == 1
        note = self.notes(world).get()
        assert "医用外科口罩" in note.message and "90" in note.message
        assert note.link.endswith(f"/supplies/stocks/{stock(world).pk}/")
        assert stock(world).below_since is not None
        move(world, "received", 100)  # back above
        assert stock(world).below_since is None
        move(world, "issued", 150)  # below again: a new fall, told again
        assert self.notes(world).count() == 2
        # Nobody outside the community was told; the township refills but its supervisors
        # are told of their own stock only.
        assert not self.notes(world, "township").exists()
        assert not self.notes(world, "grid").exists()

    def test_a_minimum_raised_above_the_stock_is_a_fall(self, world):
        move(world, "received", 50)
        minimum(world, 80)
        assert self.notes(world).count() == 1
        minimum(world, 0)  # no minimum: not below
        assert stock(world).below_since is None

    def test_a_grid_below_its_minimum_tells_its_grid_worker_and_community(self, world):
        move(world, "received", 100)
        transfer(world, 20, user="community", source=COMMUNITY, code=GRID)
        minimum(world, 15, code=GRID)
        move(world, "issued", 10, user="grid", code=GRID)
        assert self.notes(world, "grid").count() == 1
        assert self.notes(world, "community").count() == 1
        assert not self.notes(world, "grid2").exists()

    def test_a_refused_issue_tells_nobody(self, world):
        move(world, "received", 150)
        minimum(world, 100)
        with pytest.raises(ValidationError):
            move(world, "issued", 151)
        assert not self.notes(world).exists()

    def test_a_negative_minimum_is_refused(self, world):
        with pytest.raises(ValidationError) as refused:
            minimum(world, -1)
        assert "minimum" in refused.value.message_dict


class TestRollUp:
    def test_an_area_sees_the_sum_of_its_subtree_and_how_long_it_lasts(self, world):
        township = world.users["township"]
        move(world, "received", 1000, user="township", code=TOWNSHIP, what="mask_n95")
        transfer(world, 400, what="mask_n95")
        transfer(world, 100, user="community", source=COMMUNITY, code=GRID, what="mask_n95")
        move(world, "issued", 70, user="grid", code=GRID, what="mask_n95")
        move(world, "issued", 70, code=COMMUNITY, what="mask_n95", happened_on=days_ago(2))
        minimum(world, 50, code=GRID, what="mask_n95")  # the grid has 30
        children = [world.areas[COMMUNITY]]
        rolls = {
            r.item.code: r for r in selectors.rollup(township, world.areas[TOWNSHIP], children)
        }
        masks = rolls["mask_n95"]
        assert (masks.quantity, masks.below, masks.used) == (860, 1, 140)
        assert masks.days_left == 860 * selectors.RATE_DAYS // 140
        child = masks.children[world.areas[COMMUNITY].path]
        assert (child.quantity, child.below, child.used) == (260, 1, 140)
        # Out of the other township's sight.
        other = selectors.rollup(world.users["township2"], world.areas[OTHER_TOWNSHIP])
        assert {r.item.code: r.quantity for r in other}["mask_n95"] == 0

    def test_a_stock_lasts_at_the_rate_of_what_left_it(self, world):
        move(world, "received", 1000, user="township", code=TOWNSHIP)
        transfer(world, 140)  # out of the township's own stock: its use
        move(world, "issued", 140, user="township", code=TOWNSHIP, happened_on=days_ago(30))
        own = selectors.with_days_left(world.users["township"], [stock(world, TOWNSHIP)])[0]
        assert (own.quantity, own.used) == (720, 140)
        assert own.days_left == 720 * selectors.RATE_DAYS // 140
        community = selectors.with_days_left(world.users["community"], [stock(world)])[0]
        assert (community.used, community.days_left) == (0, None)

    def test_the_daily_report_counts_the_stocks_below_the_minimum(self, world):
        base = compute(world.areas[COMMUNITY], days_ago(0), None)["supplies_below_minimum"]
        move(world, "received", 10)
        minimum(world, 20)
        minimum(world, 5, what="goggles")
        figures = compute(world.areas[COMMUNITY], days_ago(0), None)
        assert figures["supplies_below_minimum"] == base + 2
