"""Submitting, zero reports, amendments, deadlines, and the sums above the communities."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from fangkong.areas.models import Level
from fangkong.audit.models import AuditEvent
from fangkong.reports import registry, selectors, services
from fangkong.reports.deadlines import State, due_at
from fangkong.reports.models import DailyReport, ReportDeadline
from tests.monitoring.helpers import at, check, start
from tests.reports.helpers import (
    COMMUNITY,
    QUIET,
    SILENT,
    TOWNSHIP,
    add_communities,
    morning_after,
    submit,
    today,
)
from tests.world import every


@pytest.fixture
def world(world):
    return add_communities(world)


def test_a_submitted_report_is_a_frozen_snapshot(world):
    report = submit(world, COMMUNITY, note="两人发热，已转诊")
    assert report.figures["fever"] == 2 and not report.zero_report and not report.late
    assert report.versions.get().figures == report.figures
    check(world, start(world, code="returnee"), temperature="38.5")
    report.refresh_from_db()
    assert report.figures["fever"] == 2
    assert every(AuditEvent).filter(action="report.submit", target_id=report.pk).exists()


def test_the_same_submission_sent_again_makes_nothing_new(world):
    first = submit(world, COMMUNITY, note="无")
    again = submit(world, COMMUNITY, note="无")
    assert again.pk == first.pk and first.versions.count() == 1
    with pytest.raises(ValidationError, match="已上报"):
        submit(world, COMMUNITY, note="另一说明")
    assert every(DailyReport).filter(area=world.areas[COMMUNITY]).count() == 2  # + yesterday's


def test_a_zero_report_is_an_explicit_statement(world):
    with pytest.raises(ValidationError) as refused:
        submit(world, QUIET, user="quiet")
    assert "zero_report" in refused.value.message_dict
    report = submit(world, QUIET, user="quiet", zero_report=True)
    assert report.zero_report and not registry.something_happened(report.figures)


def test_a_community_with_something_to_report_cannot_send_a_zero_report(world):
    with pytest.raises(ValidationError) as refused:
        submit(world, COMMUNITY, zero_report=True)
    assert "zero_report" in refused.value.message_dict
    assert not every(DailyReport).filter(area=world.areas[COMMUNITY], day=today()).exists()


def test_figures_that_changed_after_review_are_not_sent(world):
    reviewed = selectors.fingerprint(
        services.current_figures(
            world.users["community"], world.areas[COMMUNITY], today(), morning_after(today())
        )[0]
    )
    check(world, start(world, code="returnee"), temperature="36.5")
    with pytest.raises(ValidationError, match="数据已变化"):
        submit(world, COMMUNITY, reviewed=reviewed)


def test_no_report_for_a_date_to_come(world):
    with pytest.raises(ValidationError):
        submit(world, COMMUNITY, day=today() + datetime.timedelta(days=1), now=at(today(), 8))


def test_an_amendment_is_a_new_version_with_a_reason(world):
    report = submit(world, COMMUNITY)
    check(world, start(world, code="returnee"), temperature="38.0")
    with pytest.raises(ValidationError) as refused:
        services.amend_report(
            actor=world.users["community"], area=report.area, day=report.day, reason=" "
        )
    assert "reason" in refused.value.message_dict
    amended = services.amend_report(
        actor=world.users["community"], area=report.area, day=report.day, reason="补录返乡人员体温"
    )
    assert amended.version == 2 and amended.figures["fever"] == 3 and amended.amended_at
    first, second = amended.versions.order_by("number")
    assert first.figures["fever"] == 2 and second.figures["fever"] == 3
    assert second.reason == "补录返乡人员体温"
    # Sent twice: still two versions. Nothing changed: refused.
    services.amend_report(
        actor=world.users["community"], area=report.area, day=report.day, reason="补录返乡人员体温"
    )
    assert amended.versions.count() == 2
    with pytest.raises(ValidationError, match="均未变化"):
        services.amend_report(
            actor=world.users["community"], area=report.area, day=report.day, reason="再改"
        )


def test_amending_a_report_not_sent_is_refused(world):
    with pytest.raises(ValidationError, match="尚未上报"):
        services.amend_report(
            actor=world.users["community"], area=world.areas[COMMUNITY], day=today(), reason="x"
        )


def test_a_report_after_its_deadline_is_late(world):
    report = submit(world, COMMUNITY, now=at(today() + datetime.timedelta(days=1), 9, 1))
    assert report.late
    overview = selectors.day_overview(
        world.areas[TOWNSHIP],
        today(),
        at(today() + datetime.timedelta(days=1), 12),
        user=world.users["township"],
    )
    assert overview.tally.on_time == 0 and overview.tally.late == 1


def test_deadlines_are_configured_per_level(world):
    assert due_at(Level.COMMUNITY, today()) == at(today() + datetime.timedelta(days=1), 9)
    assert due_at(Level.TOWNSHIP, today()) == at(today() + datetime.timedelta(days=1), 10)
    ReportDeadline.objects.filter(level=Level.COMMUNITY).update(
        days_after=0, due_time=datetime.time(21, 0)
    )
    assert due_at(Level.COMMUNITY, today()) == at(today(), 21)
    assert submit(world, COMMUNITY, now=at(today(), 22)).late


def test_who_sends_which_report(world):
    with pytest.raises(PermissionDenied):
        submit(world, COMMUNITY, user="grid")
    with pytest.raises(PermissionDenied):
        submit(world, TOWNSHIP, user="community")
    with pytest.raises(PermissionDenied):  # the other township's supervisor
        submit(world, COMMUNITY, user="township2")
    with pytest.raises(PermissionDenied):  # a supervisor sends the sum, not a community's report
        submit(world, COMMUNITY, user="township")


def test_the_township_sees_who_has_not_reported_and_the_sum(world):
    submit(world, COMMUNITY)
    submit(world, QUIET, user="quiet", zero_report=True)
    now = morning_after(today(), 9)
    overview = selectors.day_overview(
        world.areas[TOWNSHIP],
        today(),
        at(today() + datetime.timedelta(days=1), 9, 30),
        user=world.users["township"],
    )
    tally = overview.tally
    assert (tally.expected, tally.submitted, tally.on_time, tally.zero) == (3, 2, 2, 1)
    assert tally.figures["fever"] == 2
    assert [m["name"] for m in overview.missing] == ["沉默社区"]
    states = {row.area.code: row.state for row in overview.children}
    assert states == {COMMUNITY: State.ON_TIME, QUIET: State.ON_TIME, SILENT: State.MISSING}
    before = selectors.day_overview(
        world.areas[TOWNSHIP], today(), now.replace(hour=8), user=world.users["township"]
    )
    assert {row.state for row in before.children if row.area.code == SILENT} == {State.DUE}


def test_a_township_sends_the_sum_of_its_communities(world):
    submit(world, COMMUNITY)
    submit(world, QUIET, user="quiet", zero_report=True)
    report = submit(
        world,
        TOWNSHIP,
        user="township",
        now=at(today() + datetime.timedelta(days=1), 9, 40),
        send_despite_missing=True,  # 沉默社区 has not reported
    )
    assert report.figures["fever"] == 2 and report.figures["plans_open"] == 2
    assert (report.expected, report.submitted, report.on_time) == (3, 2, 2)
    assert report.level == Level.TOWNSHIP and not report.late
    # The county sees the township's report and, below it, the communities' sums.
    county = selectors.day_overview(
        world.areas["350502000000"],
        today(),
        at(today() + datetime.timedelta(days=1), 12),
        user=world.users["county"],
    )
    rows = {row.area.code: row for row in county.children}
    assert rows[TOWNSHIP].state == State.ON_TIME and rows["350502002000"].state == State.MISSING
    assert rows[TOWNSHIP].tally.figures["fever"] == 2
    assert (county.tally.expected, county.tally.submitted) == (4, 2)
    # A county supervisor may send for a township whose own cannot.
    late = submit(
        world,
        "350502002000",
        user="county",
        zero_report=True,
        send_despite_missing=True,
        now=at(today() + datetime.timedelta(days=1), 12),
    )
    assert late.late and late.expected == 1 and late.submitted == 0


def test_above_a_community_the_sender_confirms_knowing_who_has_not_reported(world):
    """Point 4 of issue 13: a township was offered a zero report while none of its
    communities had reported. Now the sum is sent only by a sender who says they know."""
    with pytest.raises(ValidationError) as refused:  # none reported: the sum is all zero
        submit(world, TOWNSHIP, user="township", zero_report=True)
    (message,) = refused.value.message_dict["send_despite_missing"]
    assert "尚有 3 个社区未上报" in message
    assert not every(DailyReport).filter(area=world.areas[TOWNSHIP]).exists()
    zero = submit(world, TOWNSHIP, user="township", zero_report=True, send_despite_missing=True)
    assert zero.zero_report and (zero.expected, zero.submitted) == (3, 0)


def test_a_late_community_is_named_and_a_complete_sum_needs_no_confirmation(world):
    submit(world, COMMUNITY, now=at(today() + datetime.timedelta(days=1), 9, 5))  # late
    submit(world, QUIET, user="quiet", zero_report=True)
    now = at(today() + datetime.timedelta(days=1), 9, 50)
    overview = selectors.day_overview(
        world.areas[TOWNSHIP], today(), now, user=world.users["township"]
    )
    assert [c["name"] for c in overview.late] == ["新华社区"]
    assert [c["name"] for c in overview.missing] == ["沉默社区"]
    assert overview.needs_confirmation
    submit(world, SILENT, user="silent", zero_report=True, now=now)
    complete = selectors.day_overview(
        world.areas[TOWNSHIP], today(), now, user=world.users["township"]
    )
    assert not complete.needs_confirmation
    assert [c["name"] for c in complete.late] == ["新华社区", "沉默社区"]
    report = submit(world, TOWNSHIP, user="township", now=now)
    assert (report.expected, report.submitted, report.on_time) == (3, 3, 1)


def test_an_amendment_above_a_community_confirms_the_missing_again(world):
    submit(world, COMMUNITY)
    township = submit(world, TOWNSHIP, user="township", send_despite_missing=True)
    submit(world, QUIET, user="quiet", zero_report=True)
    amend = {"actor": world.users["township"], "area": township.area, "day": township.day}
    with pytest.raises(ValidationError, match="尚有 1 个社区未上报"):
        services.amend_report(**amend, reason="宁静社区补报")
    amended = services.amend_report(**amend, reason="宁静社区补报", send_despite_missing=True)
    assert (amended.version, amended.submitted) == (2, 2)


def test_the_trend_counts_each_day(world):
    yesterday = today() - datetime.timedelta(days=1)
    submit(world, COMMUNITY)
    submit(world, QUIET, user="quiet", zero_report=True, day=yesterday)
    series = selectors.trend(world.areas[TOWNSHIP], today(), days=3, user=world.users["township"])
    assert series["days"][-1] == today().isoformat()
    # Yesterday: the world's own report of 新华社区 and 宁静's zero report, of 3.
    assert series["completeness"][-2:] == [66.7, 33.3]
    assert series["figures"]["fever"][-1] == 2


def test_the_kept_sums_are_what_the_reports_add_up_to(world):
    from fangkong.reports.models import ReportSum
    from fangkong.reports.sums import rebuild_sums

    submit(world, COMMUNITY)
    submit(
        world,
        QUIET,
        user="quiet",
        zero_report=True,
        now=at(today() + datetime.timedelta(days=1), 9, 5),
    )
    check(world, start(world, code="returnee"), temperature="38.0")
    services.amend_report(
        actor=world.users["community"], area=world.areas[COMMUNITY], day=today(), reason="补录"
    )

    def kept():
        return {
            (
                row.area_path,
                row.submitted,
                row.on_time,
                row.zero,
                tuple(sorted(row.figures.items())),
            )
            for row in every(ReportSum).filter(day=today())
        }

    before = kept()
    county = next(row for row in before if row[0] == world.areas["350502000000"].path)
    assert county[1:4] == (2, 1, 1) and dict(county[4])["fever"] == 3
    assert rebuild_sums(today()) == 6  # province, city, county, street, two communities
    assert kept() == before


def test_the_command_rebuilds_the_sums(world):
    import io

    from django.core.management import call_command

    from fangkong.reports.models import ReportSum

    submit(world, COMMUNITY)
    every(ReportSum).all().delete()
    out = io.StringIO()
    call_command("rebuild_report_sums", stdout=out)
    # Yesterday two communities in two streets (7 areas), today one (5).
    assert "12 sums rebuilt" in out.getvalue()
    assert every(ReportSum).get(area=world.areas[TOWNSHIP], day=today()).figures["fever"] == 2


def test_a_retried_submission_returns_the_report_even_when_records_changed_since(world):
    reviewed = selectors.fingerprint(
        services.current_figures(
            world.users["community"], world.areas[COMMUNITY], today(), morning_after(today())
        )[0]
    )
    first = submit(world, COMMUNITY, reviewed=reviewed, note="两人发热")
    check(world, start(world, code="returnee"), temperature="36.5")
    assert submit(world, COMMUNITY, reviewed=reviewed, note="两人发热").pk == first.pk
    assert first.versions.count() == 1
