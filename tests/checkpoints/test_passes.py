"""Passes of closed management: issued in bulk once per household, a signed code refused when
forged, expired, revoked or foreign, the household's quota of exits, the return, and the
overdue return alerted once."""

import datetime
import uuid

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from fangkong.audit.models import AuditEvent
from fangkong.checkpoints.models import GateAlert, Pass, Passage, PassExit
from fangkong.checkpoints.passes_services import (
    code_of,
    issue_household_passes,
    raise_overdue,
    read_code,
    revoke_pass,
)
from fangkong.checkpoints.work_passes import issue_work_pass
from fangkong.people.models import Household
from tests.checkpoints.helpers import (
    COMMUNITY,
    GRID,
    OTHER_COMMUNITY,
    OUTSIDE,
    fresh,
    gate,
    passage,
)
from tests.world import every

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def no_passes(world):
    """Only the passes a test issues (the world's own are for the route walker)."""
    every(Pass).all().delete()


def issue(world, by="community", code=COMMUNITY, **kwargs):
    today = timezone.localdate()
    data = {
        # From yesterday: passages a few hours ago stay in the validity just after midnight.
        "valid_from": today - datetime.timedelta(days=1),
        "valid_until": today + datetime.timedelta(days=13),
        "exits": 1,
        "per_days": 2,
        "return_minutes": 120,
        **kwargs,
    }
    return issue_household_passes(actor=world.users[by], area=world.areas[code], **data)


def household_pass(world, code=GRID):
    return every(Pass).get(household=world.households[code], revoked_at__isnull=True)


def with_pass(world, checkpoint, pass_, **kwargs):
    return passage(world, checkpoint, pass_code=code_of(pass_), **kwargs)


def test_bulk_issue_makes_one_pass_per_household_and_a_retry_adds_none(world):
    fresh(world)
    households = every(Household).filter(area_path__startswith=world.areas[COMMUNITY].path)
    assert issue(world) == households.count() > 0
    assert issue(world) == 0
    assert every(Pass).filter(kind=Pass.Kind.HOUSEHOLD).count() == households.count()
    assert set(every(Pass).values_list("household", flat=True)) == set(
        households.values_list("pk", flat=True)
    )
    event = every(AuditEvent).get(
        action="checkpoints.passes_issue", detail__count=households.count()
    )
    assert event.area == world.areas[COMMUNITY]


def test_only_the_community_worker_of_the_area_issues_passes(world):
    with pytest.raises(PermissionDenied):
        issue(world, by="community", code=OTHER_COMMUNITY)
    with pytest.raises(PermissionDenied):
        issue(world, by="grid", code=COMMUNITY)
    assert not every(Pass).exists()


@pytest.mark.parametrize(
    "bad",
    [
        {"exits": 0},
        {"per_days": 0},
        {"return_minutes": 5},
        {"valid_until": timezone.localdate() - datetime.timedelta(days=1)},  # already over
    ],
)
def test_a_bad_quota_or_period_is_refused_in_chinese_and_issues_nothing(world, bad):
    with pytest.raises(ValidationError):
        issue(world, **bad)
    assert not every(Pass).exists()


def test_the_signature_verifies_and_a_tampered_code_is_refused(world):
    issue(world)
    pass_ = household_pass(world)
    code = code_of(pass_)
    assert read_code(code)["pk"] == pass_.pk
    later = (pass_.valid_until + datetime.timedelta(days=30)).strftime("%Y%m%d")
    parts = code.split(".")
    for tampered in [
        ".".join([*parts[:4], later, *parts[5:]]),
        ".".join([*parts[:5], "9-2-120", parts[6]]),
        code[:-2] + ("AA" if code[-2:] != "AA" else "BB"),
        "not a pass",
    ]:
        with pytest.raises(ValidationError) as refused:
            read_code(tampered)
        assert "伪造" in refused.value.messages[0]


def test_an_expired_pass_is_refused_and_nothing_is_recorded(world):
    checkpoint = gate(fresh(world))
    issue(world)
    pass_ = household_pass(world)
    with pytest.raises(ValidationError) as refused:
        read_code(code_of(pass_), today=pass_.valid_until + datetime.timedelta(days=1))
    assert "过期" in refused.value.messages[0]
    every(Pass).filter(pk=pass_.pk).update(
        valid_from=pass_.valid_from - datetime.timedelta(days=20),
        valid_until=pass_.valid_from - datetime.timedelta(days=1),
    )
    pass_.refresh_from_db()
    with pytest.raises(ValidationError):
        with_pass(world, checkpoint, pass_, direction="out")
    assert not every(Passage).exists()


def test_an_exit_beyond_the_quota_is_refused_with_the_time_of_the_last_one(world):
    checkpoint = gate(fresh(world))
    issue(world)
    pass_ = household_pass(world)
    first = with_pass(world, checkpoint, pass_, direction="out")
    assert every(PassExit).get().exit_passage == first
    with_pass(world, checkpoint, pass_, direction="in")
    with pytest.raises(ValidationError) as refused:
        with_pass(world, checkpoint, pass_, direction="out")
    message = refused.value.message_dict["code"][0]
    assert "2天内限出1次" in message and "已于" in message
    assert every(Passage).count() == 2


def test_the_quota_counts_again_after_its_days(world):
    checkpoint = gate(fresh(world))
    now = timezone.now()
    issue(world, valid_from=timezone.localdate() - datetime.timedelta(days=4))
    pass_ = household_pass(world)
    with_pass(
        world, checkpoint, pass_, direction="out", recorded_at=now - datetime.timedelta(days=3)
    )
    with_pass(world, checkpoint, pass_, direction="out", recorded_at=now)
    assert every(PassExit).count() == 2


def test_a_return_closes_the_exit_and_a_retried_exit_counts_once(world):
    checkpoint = gate(fresh(world))
    issue(world)
    pass_ = household_pass(world)
    key = uuid.uuid4()
    out = with_pass(world, checkpoint, pass_, direction="out", client_uuid=key)
    assert not with_pass(world, checkpoint, pass_, direction="out", client_uuid=key).created
    back = with_pass(world, checkpoint, pass_, direction="in")
    exit_ = every(PassExit).get()
    assert exit_.exit_passage == out and exit_.return_passage == back and exit_.returned_at


def test_an_exit_not_back_in_time_raises_one_overdue_alert(world):
    checkpoint = gate(fresh(world))
    issue(world, return_minutes=60)
    pass_ = household_pass(world)
    out = with_pass(
        world,
        checkpoint,
        pass_,
        direction="out",
        recorded_at=timezone.now() - datetime.timedelta(hours=2),
    )
    assert raise_overdue() == 1
    assert raise_overdue() == 0
    # The resident is under monitoring: the exit's alert already said so, and now says more.
    alert = every(GateAlert).get(passage=out)
    assert alert.reasons[-1] == GateAlert.Reason.OVERDUE_RETURN and not alert.closed_at
    assert alert.reasons.count(GateAlert.Reason.OVERDUE_RETURN) == 1


def test_an_exit_back_in_time_raises_no_alert(world):
    checkpoint = gate(fresh(world))
    issue(world, return_minutes=60)
    pass_ = household_pass(world)
    now = timezone.now()
    with_pass(
        world, checkpoint, pass_, direction="out", recorded_at=now - datetime.timedelta(hours=2)
    )
    with_pass(
        world,
        checkpoint,
        pass_,
        direction="in",
        recorded_at=now - datetime.timedelta(hours=1, minutes=30),
    )
    assert raise_overdue() == 0
    assert all(GateAlert.Reason.OVERDUE_RETURN not in alert.reasons for alert in every(GateAlert))


def test_a_revoked_pass_is_refused_at_once_and_the_revocation_audited(world):
    checkpoint = gate(fresh(world))
    issue(world)
    pass_ = household_pass(world)
    revoke_pass(actor=world.users["community"], pass_=pass_)
    with pytest.raises(ValidationError) as refused:
        with_pass(world, checkpoint, pass_, direction="out")
    assert "吊销" in refused.value.message_dict["code"][0]
    assert every(AuditEvent).filter(action="checkpoints.pass_revoke", target_id=pass_.pk).exists()
    assert issue(world) == 1  # the household may be given a new pass of the same period


def test_revoking_outside_ones_scope_is_refused(world):
    issue(world)
    with pytest.raises(PermissionDenied):
        revoke_pass(actor=world.users["township2"], pass_=household_pass(world))
    with pytest.raises(PermissionDenied):
        revoke_pass(actor=world.users["checkpoint"], pass_=household_pass(world))


def test_a_pass_of_another_household_or_community_is_refused(world):
    fresh(world)
    here = gate(world)
    issue(world)
    issue(world, by="township2", code=OTHER_COMMUNITY)
    with pytest.raises(ValidationError) as refused:
        with_pass(world, here, household_pass(world, OUTSIDE), direction="out")
    assert "卡点" in refused.value.message_dict["code"][0]
    sibling = next(code for code in world.households if code != GRID and code.startswith(COMMUNITY))
    with pytest.raises(ValidationError) as refused:
        with_pass(world, here, household_pass(world, sibling), direction="out")
    assert "本人" in refused.value.message_dict["code"][0]


def test_a_work_pass_has_no_quota(world):
    checkpoint = gate(fresh(world))
    today = timezone.localdate()
    pass_ = issue_work_pass(
        actor=world.users["community"],
        resident=world.residents[GRID],
        valid_from=today,
        valid_until=today + datetime.timedelta(days=6),
        reason="医院值班",
    )
    for _ in range(3):
        with_pass(world, checkpoint, pass_, direction="out")
    assert every(PassExit).filter(due_back__isnull=True).count() == 3
    assert raise_overdue() == 0


def test_a_return_found_by_name_without_the_pass_closes_the_exit(world):
    checkpoint = gate(fresh(world))
    issue(world, return_minutes=60)
    pass_ = household_pass(world)
    now = timezone.now()
    with_pass(
        world, checkpoint, pass_, direction="out", recorded_at=now - datetime.timedelta(hours=2)
    )
    back = passage(
        world, checkpoint, direction="in", recorded_at=now - datetime.timedelta(hours=1, minutes=30)
    )
    assert every(PassExit).get().return_passage == back
    assert raise_overdue() == 0


def test_a_work_pass_with_a_quota_of_its_own_refuses_the_exit_beyond_it(world):
    checkpoint = gate(fresh(world))
    today = timezone.localdate()
    pass_ = issue_work_pass(
        actor=world.users["community"],
        resident=world.residents[GRID],
        valid_from=today,
        valid_until=today + datetime.timedelta(days=6),
        reason="超市配送",
        exits=1,
        per_days=1,
        return_minutes=60,
    )
    with_pass(world, checkpoint, pass_, direction="out")
    with pytest.raises(ValidationError) as refused:
        with_pass(world, checkpoint, pass_, direction="out")
    assert "工作出入证" in refused.value.message_dict["code"][0]
    assert every(PassExit).get(pass_record=pass_).due_back is not None


@pytest.mark.parametrize(
    "change, field",
    [
        ({"reason": "  "}, "reason"),
        ({"exits": 1}, "__all__"),
        ({"return_minutes": 5}, "return_minutes"),
    ],
)
def test_a_work_pass_needs_a_reason_and_a_whole_quota(world, change, field):
    today = timezone.localdate()
    data = {"valid_from": today, "valid_until": today, "reason": "值班", **change}
    before = every(Pass).filter(kind="work").count()
    with pytest.raises(ValidationError) as refused:
        issue_work_pass(actor=world.users["community"], resident=world.residents[GRID], **data)
    assert field in getattr(refused.value, "error_dict", {"__all__": None})
    assert every(Pass).filter(kind="work").count() == before
