"""Implementation reports (落实情况报告, 6.8): sent once per receipt, children first.

The figures the system knows are computed from the records by the daily-report registry
(`fangkong.reports.registry`) for the receiving area's subtree when the report is shown and
frozen when it is sent: never asked again. Only the figures the directive asked that no
record holds (`Directive.asked`) are typed. A level that forwarded the directive reports
after every area it forwarded to (DHIS2's approval order): its typed figures are the sum
of theirs, reviewed, not retyped."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from fangkong.audit.services import record
from fangkong.directives.models import (
    DirectiveReceipt,
    ImplementationFigure,
    ImplementationReport,
)
from fangkong.directives.notify import tell_area
from fangkong.directives.permissions import ACT
from fangkong.directives.services import check_own, mark_acknowledged
from fangkong.reports.registry import sections
from fangkong.scope import system_scope

LARGEST = 10**9


def asked_key(index):
    return f"asked-{index}"


def known_figures(directive, area, now=None):
    """{figure key: value} of the figures the directive takes from the records, for the
    area's subtree today; only the sections holding one are computed."""
    if not directive.figures:
        return {}
    now = now or timezone.now()
    wanted = set(directive.figures)
    values = {}
    # Counts of one area the caller acts for (the registry's own contract, reports/registry.py).
    with system_scope():
        for section in sections():
            if wanted & {figure.key for figure in section.figures()}:
                values.update(section.compute(area, timezone.localdate(now), now))
    return {key: values.get(key, 0) for key in directive.figures}


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
                key__startswith="asked-",
            )
            .exclude(area_path=receipt.area_path)
            .values("key")
            .annotate(total=Sum("value"))
            .values_list("key", "total")
            .order_by()
        )
        return dict(rows)


def _clean_typed(directive, typed):
    values = {}
    for index, label in enumerate(directive.asked):
        raw = (typed or {}).get(asked_key(index))
        try:
            value = int(str(raw).strip())
        except (TypeError, ValueError):
            raise ValidationError(
                {asked_key(index): _("Give a whole number for %(label)s.") % {"label": label}}
            ) from None
        if not 0 <= value <= LARGEST:
            raise ValidationError(
                {asked_key(index): _("Give a number from 0 to %(n)d.") % {"n": LARGEST}}
            )
        values[asked_key(index)] = value
    return values


def _retried(receipt, client_uuid):
    with system_scope():
        made = ImplementationReport.objects.filter(receipt=receipt).first()
    if made is None:
        return None
    if client_uuid and made.client_uuid == client_uuid:
        made.created = False
        return made
    raise ValidationError(
        _("The report was already sent on %(when)s.")
        % {"when": timezone.localtime(made.sent_at).strftime("%Y-%m-%d %H:%M")}
    )


def send_report(*, actor, receipt, typed=None, summary="", client_uuid=None):
    """The receipt's area's report, sent once; a retry with the same `client_uuid` answers
    the report sent."""
    check_own(actor, receipt)
    directive = receipt.directive
    if directive.report_due_at is None:
        raise ValidationError(_("This directive asks for no report."))
    if made := _retried(receipt, client_uuid):
        return made
    summary = (summary or "").strip()
    if len(summary) > 5000:
        raise ValidationError({"summary": _("At most %(n)d characters.") % {"n": 5000}})
    rolled_up = receipt.forwarded_at is not None
    if rolled_up:
        if missing := missing_children(receipt):
            raise ValidationError(
                _("%(n)d areas below have not reported yet: %(names)s.")
                % {"n": len(missing), "names": "、".join(r.area.name for r in missing[:10])}
            )
        values = rolled_up_typed(receipt)
        typed = {asked_key(i): values.get(asked_key(i), 0) for i in range(len(directive.asked))}
    else:
        typed = _clean_typed(directive, typed)
    now = timezone.now()
    figures = known_figures(directive, receipt.area, now)
    try:
        with transaction.atomic():
            report = ImplementationReport.objects.create(
                receipt=receipt,
                directive=directive,
                area=receipt.area,
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
            mark_acknowledged(actor, receipt, now)
            receipt.reported_at = report.sent_at
            receipt.save(update_fields=["reported_at"])
            record(
                actor=actor,
                action="directives.report",
                target=report,
                area=receipt.area,
                late=now > receipt.report_due_at,
                rolled_up=rolled_up,
            )
            _tell_sender_when_all_reported(receipt)
    except IntegrityError:
        if made := _retried(receipt, client_uuid):
            return made
        raise
    report.created = True
    return report


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
