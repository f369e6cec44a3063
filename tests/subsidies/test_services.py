"""Subsidies computed from the records: the days served in medium- and high-risk areas (the
level history and the roster, or the roles where no roster), the county's rule, the review."""

import datetime
import decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from fangkong.areas.models import Role
from fangkong.audit.models import AuditEvent
from fangkong.subsidies import computation, services
from fangkong.subsidies.models import Subsidy, SubsidyRule
from tests.subsidies.helpers import (
    COMMUNITY,
    COUNTY,
    GRID,
    OTHER_COMMUNITY,
    OTHER_GRID,
    TOWNSHIP,
    days_from,
    last_month,
    post_of,
    set_level,
    set_rule,
    shifts,
)
from tests.world import every

pytestmark = pytest.mark.django_db
D = decimal.Decimal
NEEDS_A_RATE = "A subsidy rule needs a rate per day: give the rate in yuan."


def compute(world, code=COUNTY, actor="county", day=None):
    return services.compute(
        actor=world.users[actor], area=world.areas[code], day=day or last_month()[0]
    )


def subsidy_of(worker):
    return every(Subsidy).get(worker=worker)


def test_a_rule_without_a_rate_is_refused_in_chinese_and_nothing_is_saved(world):
    with pytest.raises(ValidationError) as refused:
        services.set_rule(
            actor=world.users["county"],
            area=world.areas[COUNTY],
            effective_from=timezone.localdate(),
            period="month",
            rate_medium=None,
            rate_high=None,
        )
    assert refused.value.message_dict == {"rate_high": [_(NEEDS_A_RATE)]}
    with pytest.raises(ValidationError):
        set_rule(world, rate_medium="0", rate_high="0")
    with pytest.raises(ValidationError):
        set_rule(world, rate_medium="-5")
    assert not every(SubsidyRule).exists()


def test_rules_are_a_county_supervisors(world):
    with pytest.raises(PermissionDenied):
        services.set_rule(
            actor=world.users["community"],
            area=world.areas[COUNTY],
            effective_from=timezone.localdate(),
            period="month",
            rate_medium=D("10"),
            rate_high=D("20"),
        )
    with pytest.raises(ValidationError):
        services.set_rule(
            actor=world.users["township"],
            area=world.areas[TOWNSHIP],
            effective_from=timezone.localdate(),
            period="month",
            rate_medium=D("10"),
            rate_high=D("20"),
        )
    rule = set_rule(world)
    again = set_rule(world, rate_high="120")
    assert again.pk == rule.pk and again.rate_high == D("120.00")
    assert every(AuditEvent).filter(action="subsidies.rule").count() == 2


def test_ten_days_on_the_roster_in_a_high_risk_community(world):
    start, _last = last_month()
    set_rule(world)
    set_level(world, COMMUNITY, "high", start)
    worker = world.workers[GRID]
    shifts(worker, post_of(world.areas[COMMUNITY]), days_from(start, 10, step=2))
    computed = compute(world)
    assert (computed.created, computed.start) == (1, start)
    subsidy = subsidy_of(worker)
    assert (subsidy.days_high, subsidy.days_medium, subsidy.from_roster) == (10, 0, 10)
    assert subsidy.eligible and subsidy.amount == D("1000.00")
    assert subsidy.area_path == worker.area_path
    days = computation.served(world.areas[COUNTY], start, _last, worker=worker)[worker.pk]
    assert [d.day for d in days.ordered()] == days_from(start, 10, step=2)


def test_only_raised_days_count_at_the_level_of_that_day(world):
    start, _last = last_month()
    set_rule(world)
    set_level(world, COMMUNITY, "high", start + datetime.timedelta(days=2))
    set_level(world, COMMUNITY, "medium", start + datetime.timedelta(days=5))
    set_level(world, COMMUNITY, "low", start + datetime.timedelta(days=8))
    worker = world.workers[GRID]
    post = post_of(world.areas[COMMUNITY])
    shifts(worker, post, days_from(start, 12))  # days 0..11: 2..4 high, 5..7 medium
    shifts(
        worker,
        post_of(world.areas[COMMUNITY], "夜班", 20, 8),
        [start + datetime.timedelta(days=3)],
        hour=20,
    )
    compute(world)
    subsidy = subsidy_of(worker)
    assert (subsidy.days_high, subsidy.days_medium) == (3, 3)
    assert subsidy.amount == D("450.00")


def test_a_community_is_raised_with_its_township(world):
    start, _last = last_month()
    set_rule(world)
    set_level(world, TOWNSHIP, "medium", start)
    worker = world.workers[GRID]
    shifts(worker, post_of(world.areas[COMMUNITY]), days_from(start, 4))
    compute(world)
    assert subsidy_of(worker).days_medium == 4


def test_a_level_set_after_the_period_pays_nothing_for_it(world):
    start, last = last_month()
    set_rule(world)
    set_level(world, COMMUNITY, "high", last + datetime.timedelta(days=1))
    shifts(world.workers[GRID], post_of(world.areas[COMMUNITY]), days_from(start, 5))
    assert compute(world).created == 0


def test_where_no_roster_the_roles_of_the_area_count_from_their_grant(world):
    start, last = last_month()
    set_rule(world)
    set_level(world, OTHER_COMMUNITY, "high", start)
    worker = world.workers[OTHER_GRID]  # 聚宝社区 keeps no roster last month
    every(Role).filter(worker=worker).update(
        granted_at=timezone.make_aware(
            datetime.datetime.combine(start + datetime.timedelta(days=10), datetime.time(9))
        )
    )
    compute(world)
    subsidy = subsidy_of(worker)
    assert subsidy.days_high == (last - start).days + 1 - 10
    assert subsidy.from_roster == 0


def test_a_community_with_a_roster_pays_its_rostered_days_only(world):
    start, _last = last_month()
    set_rule(world)
    set_level(world, COMMUNITY, "high", start)
    every(Role).filter(worker=world.workers[GRID]).update(
        granted_at=timezone.make_aware(datetime.datetime.combine(start, datetime.time()))
    )
    shifts(world.workers[GRID], post_of(world.areas[COMMUNITY]), days_from(start, 3))
    compute(world)
    assert subsidy_of(world.workers[GRID]).days_high == 3
    # 乙格网格员 holds a role in the same community but stood no shift: no day.
    assert not every(Subsidy).filter(worker=world.workers["350502001001002"]).exists()


def test_fewest_days_and_cap(world):
    start, _last = last_month()
    set_rule(world, min_days=5, cap=D("300"))
    set_level(world, COUNTY, "high", start)
    post = post_of(world.areas[COMMUNITY])
    few, many = world.workers[GRID], world.workers["350502001001002"]
    shifts(few, post, days_from(start, 4))
    shifts(many, post, days_from(start, 6))
    compute(world)
    assert not subsidy_of(few).eligible and subsidy_of(few).amount == 0
    assert subsidy_of(many).eligible and subsidy_of(many).amount == D("300.00")


def test_a_quarter_rule_pays_by_quarter(world):
    start, _last = last_month()
    set_rule(world, period="quarter")
    computed = compute(world, day=start)
    assert computed.start.month in (1, 4, 7, 10) and computed.start <= start <= computed.end


def test_computing_again_keeps_the_approved_and_drops_the_gone(world):
    start, _last = last_month()
    set_rule(world)
    set_level(world, COMMUNITY, "high", start)
    post = post_of(world.areas[COMMUNITY])
    kept, dropped = world.workers[GRID], world.workers["350502001001002"]
    shifts(kept, post, days_from(start, 3))
    gone = shifts(dropped, post, days_from(start, 2))
    compute(world)
    services.approve(actor=world.users["township"], subsidy=subsidy_of(kept))
    shifts(kept, post, [start + datetime.timedelta(days=5)])
    every(type(gone[0])).filter(pk__in=[s.pk for s in gone]).delete()
    again = compute(world)
    assert (again.created, again.updated, again.removed, again.kept) == (0, 0, 1, 1)
    assert subsidy_of(kept).days_high == 3  # frozen once approved
    assert compute(world).kept == 1


def test_without_a_rule_the_computation_says_so(world):
    with pytest.raises(ValidationError) as refused:
        compute(world)
    assert "day" in refused.value.message_dict


def test_who_may_compute(world):
    set_rule(world)
    compute(world, COMMUNITY, actor="community")
    compute(world, TOWNSHIP, actor="township")
    for actor, code in [("community", TOWNSHIP), ("grid", COMMUNITY), ("township2", TOWNSHIP)]:
        with pytest.raises(PermissionDenied):
            compute(world, code, actor=actor)
    with pytest.raises(ValidationError):
        compute(world, GRID, actor="community")


def test_the_review_approves_or_adjusts_with_a_reason(world):
    start, _last = last_month()
    set_rule(world)
    set_level(world, COMMUNITY, "high", start)
    shifts(world.workers[GRID], post_of(world.areas[COMMUNITY]), days_from(start, 2))
    compute(world, COMMUNITY, actor="community")
    subsidy = subsidy_of(world.workers[GRID])
    with pytest.raises(PermissionDenied):
        services.approve(actor=world.users["community"], subsidy=subsidy)
    with pytest.raises(PermissionDenied):
        services.approve(actor=world.users["township2"], subsidy=subsidy)
    with pytest.raises(ValidationError):
        services.adjust(actor=world.users["township"], subsidy=subsidy, amount=D("150"), reason=" ")
    with pytest.raises(ValidationError):
        services.adjust(actor=world.users["township"], subsidy=subsidy, amount=D("-1"), reason="x")
    assert subsidy_of(world.workers[GRID]).status == Subsidy.Status.PENDING
    services.adjust(
        actor=world.users["township"], subsidy=subsidy, amount=D("150"), reason="一天为半天班"
    )
    subsidy = subsidy_of(world.workers[GRID])
    assert subsidy.status == Subsidy.Status.APPROVED and subsidy.final_amount == D("150.00")
    assert subsidy.amount == D("200.00")
    event = every(AuditEvent).get(action="subsidies.adjust")
    assert event.detail["before"] == "200.00" and event.detail["reason"] == "一天为半天班"


def test_approve_all_of_a_period(world):
    start, _last = last_month()
    set_rule(world)
    set_level(world, COUNTY, "high", start)
    post = post_of(world.areas[COMMUNITY])
    for code in (GRID, "350502001001002"):
        shifts(world.workers[code], post, days_from(start, 2))
    compute(world)
    count = services.approve_all(
        actor=world.users["township"],
        area=world.areas[TOWNSHIP],
        period="month",
        period_start=start,
    )
    assert count == 2
    assert not every(Subsidy).filter(status=Subsidy.Status.PENDING).exists()


def test_the_computation_is_set_based(world, django_assert_max_num_queries):
    start, _last = last_month()
    set_rule(world)
    set_level(world, COUNTY, "high", start)
    post = post_of(world.areas[COMMUNITY])
    for code in (GRID, "350502001001002"):
        shifts(world.workers[code], post, days_from(start, 5))
    with django_assert_max_num_queries(14):
        compute(world)
    for n in range(20):
        worker = every(type(world.workers[GRID])).create(
            area=world.areas[COMMUNITY], name=f"新人{n}", affiliation="community"
        )
        shifts(worker, post, days_from(start, 3))
    with django_assert_max_num_queries(14):
        computed = compute(world)
    assert computed.created == 20


def test_a_raised_grid_of_a_community_with_a_roster_pays_the_roster_only(world):
    start, _last = last_month()
    set_rule(world)
    set_level(world, GRID, "high", start)
    worker = world.workers[GRID]
    every(Role).filter(worker=worker).update(
        granted_at=timezone.make_aware(datetime.datetime.combine(start, datetime.time()))
    )
    # The community keeps its roster; the worker stood one shift there on the grid's high day.
    shifts(worker, post_of(world.areas[COMMUNITY]), [start])
    compute(world)
    # The shift lies in the community (not raised), the role in the raised grid: the roster
    # of the grid is its community's, so the role counts no day.
    assert not every(Subsidy).filter(worker=worker).exists()
