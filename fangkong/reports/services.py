"""Writes of daily reports, one transaction each: submit (or zero report) and amend."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from fangkong import dates
from fangkong.areas.models import Level, RoleKind
from fangkong.audit.services import record
from fangkong.reports import registry
from fangkong.reports.deadlines import due_at
from fangkong.reports.models import REPORTING_LEVELS, DailyReport, ReportVersion
from fangkong.reports.selectors import fingerprint, subtree_sum
from fangkong.reports.sums import add_to, count_in_sums
from fangkong.scope import roles_of

SUBMIT = "reports.add_dailyreport"
AMEND = "reports.change_dailyreport"


def submitter_kinds(level):
    """Who sends a level's report: the community's workers, the supervisors above."""
    kind = RoleKind.COMMUNITY_WORKER if level == Level.COMMUNITY else RoleKind.SUPERVISOR
    return {kind, RoleKind.SYSTEM_ADMIN}


def may_submit(user, area):
    """A role of a submitting kind on the area or above it (a county supervisor may send a
    township's report when its own supervisor cannot)."""
    kinds = submitter_kinds(area.level)
    return area.level in REPORTING_LEVELS and any(
        area.path.startswith(path) and kind in kinds for path, kind in roles_of(user)
    )


def require_submitter(actor, area):
    if not may_submit(actor, area):
        raise PermissionDenied(_("You may not send this area's report."))


def current_figures(actor, area, day, now, perm=SUBMIT):
    """What the area would submit now: a community's live figures, else its subtree's sum
    (with how many communities it covers), read as the sender may (`perm`)."""
    if area.level == Level.COMMUNITY:
        return registry.compute(area, day, now), {}
    tally = subtree_sum(area, day, user=actor, perm=perm)
    return tally.figures, {
        "expected": tally.expected,
        "submitted": tally.submitted,
        "on_time": tally.on_time,
    }


def check_day(day, now):
    """A report is sent for a day of the reporting period (fangkong/dates.py), never one
    still to come."""
    if day > timezone.localdate(now):
        raise ValidationError({"day": _("A report cannot be sent for a date still to come.")})
    dates.REPORT_DAY.check(day, field="day", today=timezone.localdate(now))


def check_submission(area, day, figures, *, zero_report, reviewed, now):
    check_day(day, now)
    if reviewed and reviewed != fingerprint(figures):
        raise ValidationError(
            _("The figures changed while you were reviewing them. Check them again and send.")
        )
    quiet = not registry.something_happened(figures)
    if zero_report and not quiet:
        raise ValidationError(
            {
                "zero_report": _(
                    "A zero report says nothing happened, but these figures are not all zero."
                )
            }
        )
    if quiet and not zero_report:
        raise ValidationError(
            {
                "zero_report": _(
                    "Every figure is zero: confirm that there is no new situation to send a zero report."
                )
            }
        )


def check_coverage(coverage, despite):
    """Above a community, a report whose sum leaves out communities that have not reported
    is sent only by a sender who says they know (`send_despite_missing`): a sum, or a zero
    report, is never taken for the whole area by mistake."""
    missing = coverage.get("expected", 0) - coverage.get("submitted", 0)
    if missing and not despite:
        raise ValidationError(
            {
                "send_despite_missing": ngettext(
                    "%(n)d community has not reported: its figures are not in the sum. "
                    "Confirm that you know and send anyway.",
                    "%(n)d communities have not reported: their figures are not in the sum. "
                    "Confirm that you know and send anyway.",
                    missing,
                )
                % {"n": missing}
            }
        )


@transaction.atomic
def submit_report(
    *,
    actor,
    area,
    day,
    note="",
    zero_report=False,
    reviewed="",
    send_despite_missing=False,
    now=None,
):
    """Freeze the area's figures for `day` as its report; a repeat of the same submission
    returns the report it made. The report's `created` says which: True for the one call
    that made it, False for every repeat (also one sent at the same moment). Above a
    community with communities not reported, `send_despite_missing` must say the sender knows."""
    now = now or timezone.now()
    require_submitter(actor, area)
    check_day(day, now)  # before its figures are computed for it
    figures, coverage = current_figures(actor, area, day, now)
    note = note.strip()
    fields = {"figures": figures, "zero_report": zero_report, "note": note, **coverage}
    reports = DailyReport.objects.visible_to(actor, SUBMIT)
    existing = reports.filter(area=area, day=day).first()
    if existing:
        return repeated(existing, fields, reviewed)
    check_coverage(coverage, send_despite_missing)  # the first thing the form asks
    check_submission(area, day, figures, zero_report=zero_report, reviewed=reviewed, now=now)
    try:
        with transaction.atomic():
            report = DailyReport.objects.create(
                area=area,
                level=area.level,
                day=day,
                late=now > due_at(area.level, day),
                submitted_at=now,
                submitted_by=actor,
                **fields,
            )
    except IntegrityError:  # the same report sent twice at once: the first one stands
        return repeated(reports.get(area=area, day=day), fields, reviewed)
    ReportVersion.objects.create(
        report=report, number=1, submitted_at=now, submitted_by=actor, **fields
    )
    if area.level == Level.COMMUNITY:
        count_in_sums(area, day, figures, submitted=1, on_time=not report.late, zero=zero_report)
    record(
        actor=actor,
        action="report.submit",
        target=report,
        area=area,
        day=day.isoformat(),
        zero_report=zero_report,
    )
    report.created = True
    return report


def holds(report, fields):
    return all(getattr(report, name) == value for name, value in fields.items())


def repeated(report, fields, reviewed):
    """The report a submission made before, when this one is a repeat of it: the same
    figures and note, or the same figures reviewed (records may have changed since)."""
    same_review = reviewed and reviewed == fingerprint(report.figures)
    if holds(report, fields) or (
        same_review and holds(report, {**fields, "figures": report.figures})
    ):
        report.created = False
        return report
    raise ValidationError(
        _("This report was already sent. To correct it, amend it and give the reason.")
    )


@transaction.atomic
def amend_report(
    *,
    actor,
    area,
    day,
    reason,
    note="",
    zero_report=False,
    reviewed="",
    send_despite_missing=False,
    now=None,
):
    """A new version of a sent report, from the records as they are now, with a reason;
    the versions before stay as they were sent (and the communities still missing are
    confirmed again, as on sending)."""
    now = now or timezone.now()
    require_submitter(actor, area)
    check_day(day, now)
    report = (
        DailyReport.objects.visible_to(actor, AMEND)
        .select_for_update()
        .filter(area=area, day=day)
        .first()
    )
    if report is None:
        raise ValidationError(_("This report has not been sent yet: send it first."))
    reason, note = reason.strip(), note.strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the report is amended.")})
    figures, coverage = current_figures(actor, area, day, now, AMEND)
    fields = {"figures": figures, "zero_report": zero_report, "note": note, **coverage}
    if holds(report, fields):
        if report.versions.order_by("-number").first().reason == reason:
            return report  # the same amendment sent again
        raise ValidationError(
            _("The amendment changes nothing: the figures and note are the same.")
        )
    check_coverage(coverage, send_despite_missing)  # the first thing the form asks
    check_submission(area, day, figures, zero_report=zero_report, reviewed=reviewed, now=now)
    if area.level == Level.COMMUNITY:
        change = add_to(dict(figures), report.figures, sign=-1)
        count_in_sums(area, day, change, zero=zero_report - report.zero_report)
    for name, value in fields.items():
        setattr(report, name, value)
    report.version += 1
    report.amended_at = now
    report.save()
    ReportVersion.objects.create(
        report=report,
        number=report.version,
        reason=reason,
        submitted_at=now,
        submitted_by=actor,
        **fields,
    )
    record(
        actor=actor,
        action="report.amend",
        target=report,
        area=area,
        day=day.isoformat(),
        version=report.version,
        reason=reason,
    )
    return report
