"""Implementation reports (落实情况报告, 6.8): sent children first, reviewed by the level above.

The figures the system knows are computed from the records by the daily-report registry
(`fangkong.reports.registry`) for the receiving area's subtree when the report is shown and
frozen when it is sent: never asked again. Only the figures asked that no record holds
(the issuer's `asked` and those the levels above added, asks.py) are typed.

DHIS2's approval order: a level that forwarded the directive reports after every area it
forwarded to, its typed figures the sum of theirs, reviewed, not retyped; the level above a
report (the one that forwarded it, or the issuer) approves it — then the area cannot change
it — or sends it back with a reason, and the area sends an amended version. Every version
is kept. A level sending its own report approves the reports below it still waiting for
review (it has just reviewed their sum); once its own report is sent it can no longer send
theirs back, until its own is sent back to it: a level locks what it approved."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from fangkong.audit.services import record
from fangkong.directives import deadlines, selectors
from fangkong.directives.asks import TYPED_PREFIX
from fangkong.directives.models import (
    DirectiveReceipt,
    ImplementationFigure,
    ImplementationReport,
    ReportState,
)
from fangkong.directives.notify import tell_area
from fangkong.directives.permissions import ACT, ISSUE
from fangkong.directives.services import acts_at, check_own, clean_text, mark_acknowledged
from fangkong.reports.registry import sections
from fangkong.scope import system_scope

LARGEST = 10**9
STANDING = [ReportState.SENT, ReportState.APPROVED]


def known_figures(keys, area, now=None):
    """{figure key: value} of the figures `keys` taken from the records, for the area's
    subtree today; only the sections holding one are computed."""
    if not keys:
        return {}
    now = now or timezone.now()
    wanted = set(keys)
    values = {}
    # Counts of one area the caller acts for (the registry's own contract, reports/registry.py).
    with system_scope():
        for section in sections():
            if wanted & {figure.key for figure in section.figures()}:
                values.update(section.compute(area, timezone.localdate(now), now))
    return {key: values.get(key, 0) for key in keys}


def missing_children(receipt):
    """The areas the receipt was forwarded to that have not reported yet."""
    with system_scope():  # the receipt's own children, which its area sees
        return list(
            DirectiveReceipt.objects.filter(parent=receipt, reported_at=None)
            .select_related("area")
            .order_by("area_path")
        )


def rolled_up_typed(receipt):
    """The sum of the typed figures reported below the receipt, by key."""
    with system_scope():
        rows = (
            ImplementationFigure.objects.filter(
                directive=receipt.directive_id,
                area_path__under=receipt.area_path,
                key__startswith=TYPED_PREFIX,
            )
            .exclude(area_path=receipt.area_path)
            .values("key")
            .annotate(total=Sum("value"))
            .values_list("key", "total")
            .order_by()
        )
        return dict(rows)


def _clean_typed(typed_asks, typed):
    values = {}
    for ask in typed_asks:
        raw = (typed or {}).get(ask.key)
        try:
            value = int(str(raw).strip())
        except (TypeError, ValueError):
            raise ValidationError(
                {ask.key: _("Give a whole number for %(label)s.") % {"label": ask.label}}
            ) from None
        if not 0 <= value <= LARGEST:
            raise ValidationError({ask.key: _("Give a number from 0 to %(n)d.") % {"n": LARGEST}})
        values[ask.key] = value
    return values


def standing(receipt):
    """The receipt's version not sent back (at most one), or None."""
    with system_scope():  # the receipt's own reports, which its viewer sees
        return ImplementationReport.objects.filter(receipt=receipt, state__in=STANDING).first()


def _retried(receipt, client_uuid):
    """The report a request with this `client_uuid` already made; else refuse a report
    while one stands (sent and not sent back)."""
    if client_uuid:
        with system_scope():
            made = ImplementationReport.objects.filter(client_uuid=client_uuid).first()
        if made is not None:
            if made.receipt_id != receipt.pk:
                raise ValidationError(
                    {"client_uuid": _("This request id was already used for another record.")}
                )
            made.created = False
            return made
    made = standing(receipt)
    if made is None:
        return None
    if made.state == ReportState.APPROVED:
        raise ValidationError(
            _("The report was approved on %(when)s: it can no longer be changed.")
            % {"when": deadlines.shown(made.reviewed_at)}
        )
    raise ValidationError(
        _(
            "The report was already sent on %(when)s: it can be changed when the level above "
            "sends it back."
        )
        % {"when": deadlines.shown(made.sent_at)}
    )


def send_report(*, actor, receipt, typed=None, summary="", client_uuid=None):
    """A version of the receipt's area's report: the first, or an amended one after the
    last was sent back; a retry with the same `client_uuid` answers the version sent."""
    check_own(actor, receipt)
    directive = receipt.directive
    if directive.report_due_at is None:
        raise ValidationError(_("This directive asks for no report."))
    if made := _retried(receipt, client_uuid):
        return made
    summary = (summary or "").strip()
    if len(summary) > 5000:
        raise ValidationError({"summary": _("At most %(n)d characters.") % {"n": 5000}})
    asked = selectors.asks_for(receipt)
    typed_asks = [ask for ask in asked if ask.typed]
    rolled_up = receipt.forwarded_at is not None
    if rolled_up:
        if missing := missing_children(receipt):
            raise ValidationError(
                _("%(n)d areas below have not reported yet: %(names)s.")
                % {"n": len(missing), "names": "、".join(r.area.name for r in missing[:10])}
            )
        values = rolled_up_typed(receipt)
        typed = {ask.key: values.get(ask.key, 0) for ask in typed_asks}
    else:
        typed = _clean_typed(typed_asks, typed)
    now = timezone.now()
    figures = known_figures([ask.key for ask in asked if not ask.typed], receipt.area, now)
    try:
        with transaction.atomic():
            with system_scope():  # the receipt's own versions, locked against a double send
                locked = DirectiveReceipt.objects.select_for_update().get(pk=receipt.pk)
                if made := _retried(locked, client_uuid):
                    return made
                last = ImplementationReport.objects.filter(receipt=receipt).aggregate(
                    n=Max("version")
                )["n"]
            report = ImplementationReport.objects.create(
                receipt=receipt,
                directive=directive,
                area=receipt.area,
                version=(last or 0) + 1,
                figures=figures,
                typed=typed,
                rolled_up=rolled_up,
                summary=summary,
                sent_by=actor,
                client_uuid=client_uuid,
            )
            if not rolled_up:
                ImplementationFigure.objects.bulk_create(
                    ImplementationFigure(
                        report=report,
                        directive=directive,
                        area_id=receipt.area_id,
                        area_path=receipt.area_path,
                        key=key,
                        value=value,
                    )
                    for key, value in {**figures, **typed}.items()
                )
            approved = _approve_below(actor, receipt, now) if rolled_up else 0
            mark_acknowledged(actor, receipt, now)
            receipt.reported_at, receipt.approved_at, receipt.returned_at = (
                report.sent_at,
                None,
                None,
            )
            receipt.save(update_fields=["reported_at", "approved_at", "returned_at"])
            record(
                actor=actor,
                action="directives.report",
                target=report,
                area=receipt.area,
                late=now > receipt.report_due_at,
                rolled_up=rolled_up,
                version=report.version,
                approved_below=approved,
            )
            _tell_sender_when_all_reported(receipt)
            if report.version > 1:
                _tell_reviewer_of_amendment(receipt, report)
    except IntegrityError:
        if made := _retried(receipt, client_uuid):
            return made
        raise
    report.created = True
    return report


def _approve_below(actor, receipt, now):
    """Approve the reports of the areas the receipt forwarded to still waiting for review:
    the level has reviewed their sum and sends it up."""
    with system_scope():
        waiting = ImplementationReport.objects.filter(
            receipt__parent=receipt, state=ReportState.SENT
        )
        ids = list(waiting.values_list("receipt_id", flat=True))
        waiting.update(state=ReportState.APPROVED, reviewed_at=now, reviewed_by=actor)
        DirectiveReceipt.objects.filter(pk__in=ids).update(approved_at=now)
    return len(ids)


def reviewer(receipt):
    """(area, permission) of who reviews the receipt's reports: the level that forwarded it
    to the area, else the issuer."""
    if receipt.parent_id:
        return receipt.parent.area, ACT
    return receipt.directive.area, ISSUE


def reviews(user, receipt):
    """Whether the user reviews the receipt's reports (a role on the reviewing area itself)."""
    area, perm = reviewer(receipt)
    return acts_at(user, perm, area)


def _locked(report):
    with system_scope():  # the report in the reviewer's subtree, locked against a double click
        return (
            ImplementationReport.objects.select_for_update(of=("self",))
            .select_related("receipt__parent__area", "receipt__area", "directive__area")
            .get(pk=report.pk)
        )


def _check_reviewer(actor, report):
    if not reviews(actor, report.receipt):
        raise PermissionDenied(_("Only the level above the report reviews it."))


@transaction.atomic
def approve_report(*, actor, report):
    """The level above approves a version waiting for review: the area can no longer change
    it. Approving again changes nothing."""
    report = _locked(report)
    _check_reviewer(actor, report)
    if report.state == ReportState.APPROVED:
        return report
    if report.state == ReportState.RETURNED:
        raise ValidationError(_("This version was sent back: review the one sent after it."))
    now = timezone.now()
    report.state, report.reviewed_at, report.reviewed_by = ReportState.APPROVED, now, actor
    report.save(update_fields=["state", "reviewed_at", "reviewed_by"])
    receipt = report.receipt
    receipt.approved_at = now
    receipt.save(update_fields=["approved_at"])
    record(actor=actor, action="directives.approve", target=report, area=receipt.area)
    return report


@transaction.atomic
def send_back(*, actor, report, reason):
    """The level above sends a version back with its reason: the area amends it and sends a
    new version; its figures leave the live sums until then. A level whose own report
    (which includes this one) stands cannot reopen it: what it sent up is locked."""
    reason = clean_text(reason, "reason", _("Say why the report is sent back."), 2000)
    report = _locked(report)
    _check_reviewer(actor, report)
    receipt = report.receipt
    if report.state == ReportState.RETURNED:
        if report.review_note == reason:  # the same request again
            return report
        raise ValidationError(_("This version was already sent back."))
    parent = receipt.parent
    if parent is not None and parent.reported_at is not None:
        raise ValidationError(
            _(
                "Your own report, which includes this one, was sent on %(when)s: it can be "
                "reopened only when the level above sends yours back."
            )
            % {"when": deadlines.shown(parent.reported_at)}
        )
    now = timezone.now()
    report.state, report.reviewed_at, report.reviewed_by = ReportState.RETURNED, now, actor
    report.review_note = reason
    report.save(update_fields=["state", "reviewed_at", "reviewed_by", "review_note"])
    with system_scope():  # the version's own figure rows, reached through it
        ImplementationFigure.objects.filter(report=report).delete()
    receipt.reported_at, receipt.approved_at, receipt.returned_at = None, None, now
    receipt.save(update_fields=["reported_at", "approved_at", "returned_at"])
    record(
        actor=actor,
        action="directives.send_back",
        target=report,
        area=receipt.area,
        reason=reason[:200],
    )
    directive = report.directive
    transaction.on_commit(
        lambda: tell_area(
            [receipt.area_path],
            ACT,
            key=f"directive-report-returned:{report.pk}",
            message=_("Your implementation report on %(title)s was sent back: %(reason)s")
            % {"title": directive.title, "reason": reason[:200]},
            link_of=lambda path: receipt.get_absolute_url(),
        )
    )
    return report


def _tell_reviewer_of_amendment(receipt, report):
    """The level that sent a report back is told when the amended version arrives."""
    if receipt.parent_id:
        path, perm = receipt.parent.area_path, ACT
    else:
        path, perm = receipt.directive.area_path, ISSUE
    transaction.on_commit(
        lambda: tell_area(
            [path],
            perm,
            key=f"directive-report-amended:{report.pk}",
            message=_("%(area)s sent an amended report (version %(n)s) on %(title)s.")
            % {"area": receipt.area.name, "n": report.version, "title": receipt.directive.title},
            link_of=lambda _path: receipt.get_absolute_url(),
        )
    )


def _tell_sender_when_all_reported(receipt):
    """The level that forwarded the directive is told once when all it forwarded to have
    reported: its own report is next."""
    parent = receipt.parent
    if parent is None:
        return
    with system_scope():
        waiting = DirectiveReceipt.objects.filter(parent=parent, reported_at=None).exists()
    if not waiting:
        tell_area(
            [parent.area_path],
            ACT,
            key=f"directive-children-reported:{parent.pk}",
            message=_("Every area below has reported on %(title)s: review and send your report.")
            % {"title": receipt.directive.title},
            link_of=lambda path: parent.get_absolute_url(),
        )
