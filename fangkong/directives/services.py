"""Issuing, acknowledging and forwarding directives, one transaction each.

Sending is bulk: a province's directive to 20,000 communities is one read of the areas and
`bulk_create` of the receipts (bench/directives.py); nobody is told at send time — the
reminders loop tells each receiving area (reminders.py). A request sent again with the same
`client_uuid` answers the directive it made; a receipt is acknowledged and forwarded once,
and an area receives a directive once (a unique constraint)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fangkong.areas.models import LEVEL_ORDER, Area, Level
from fangkong.audit.services import record
from fangkong.directives import asks, deadlines
from fangkong.directives.models import Directive, DirectiveAttachment, DirectiveReceipt
from fangkong.directives.permissions import ACT, ISSUE
from fangkong.directives.selectors import chain
from fangkong.permissions import kinds_granting
from fangkong.reports.registry import all_figures
from fangkong.response.uploads import check_upload
from fangkong.scope import roles_of, system_scope

MOST_ASKED = 10
MOST_ATTACHMENTS = 10
BATCH = 2000


def refused():
    return PermissionDenied(_("You may not do this here."))


def acts_at(user, perm, area):
    """Whether one of the user's roles on the area itself (not above it) grants `perm`: a
    level issues, acknowledges, forwards and reports as itself, never for another."""
    kinds = kinds_granting(perm)
    return any(path == area.path and kind in kinds for path, kind in roles_of(user))


def clean_text(value, field, message, longest):
    value = (value or "").strip()
    if not value:
        raise ValidationError({field: message})
    if len(value) > longest:
        raise ValidationError({field: _("At most %(n)d characters.") % {"n": longest}})
    return value


def _clean_figures(figures, asked, wants_report):
    figures, asked = list(figures or ()), [str(a).strip() for a in asked or () if str(a).strip()]
    known = {figure.key for figure in all_figures()}
    if unknown := [key for key in figures if key not in known]:
        raise ValidationError({"figures": _("Unknown figure: %(key)s.") % {"key": unknown[0]}})
    if len(asked) > MOST_ASKED or any(len(label) > 60 for label in asked):
        raise ValidationError(
            {
                "asked": _("At most %(n)d figures to type, each up to 60 characters.")
                % {"n": MOST_ASKED}
            }
        )
    if (figures or asked) and not wants_report:
        raise ValidationError(
            {"report_due_at": _("Figures are asked in a report: give the report's deadline.")}
        )
    return list(dict.fromkeys(figures)), asked


def _check_attachments(attachments):
    if len(attachments) > MOST_ATTACHMENTS:
        raise ValidationError({"attachments": _("At most %(n)d files.") % {"n": MOST_ATTACHMENTS}})
    for upload in attachments:
        check_upload(upload, "attachments")


def _save_attachments(directive, receipt, attachments):
    for upload in attachments:
        attachment = DirectiveAttachment(
            directive=directive, receipt=receipt, name=upload.name[:200], size=upload.size
        )
        attachment.file.save(upload.name, upload, save=False)
        attachment.save()


def receivers(area, level, within=()):
    """(id, path) of the areas of `level` below `area`, under the child areas coded in
    `within` (all when empty); a code that is not an area below `area` is refused."""
    if level not in LEVEL_ORDER or LEVEL_ORDER.index(level) <= LEVEL_ORDER.index(area.level):
        raise ValidationError({"level": _("Choose a level below %(area)s.") % {"area": area.name}})
    with system_scope():  # the areas below the sender's own, which it sends to
        below = Area.objects.filter(path__under=area.path, level=level)
        if within:
            chosen = list(Area.objects.filter(code__in=within, path__under=area.path))
            if len(chosen) != len(set(within)) or any(a.path == area.path for a in chosen):
                raise ValidationError(
                    {
                        "within": _("Some of the areas chosen are not below %(area)s.")
                        % {"area": area.name}
                    }
                )
            paths = [a.path for a in chosen]
            below = [
                (pk, path)
                for pk, path in below.order_by("path").values_list("id", "path")
                if any(path.startswith(p) for p in paths)
            ]
        else:
            below = list(below.order_by("path").values_list("id", "path"))
    if not below:
        raise ValidationError({"level": _("There is no area of that level to send to.")})
    return below


def _bulk_receipts(directive, targets, *, parent, ack_due_at, report_due_at):
    receipts = [
        DirectiveReceipt(
            directive=directive,
            parent=parent,
            area_id=pk,
            area_path=path,
            ack_due_at=ack_due_at,
            report_due_at=report_due_at,
        )
        for pk, path in targets
    ]
    DirectiveReceipt.objects.bulk_create(receipts, batch_size=BATCH)
    return len(receipts)


def issue_directive(
    *,
    actor,
    area,
    title,
    body,
    ack_due_at,
    level,
    doc_number="",
    report_due_at=None,
    figures=(),
    asked=(),
    within=(),
    attachments=(),
    client_uuid=None,
):
    """An area's directive to the areas of `level` below it (under `within`, or all)."""
    if client_uuid:
        with system_scope():
            made = Directive.objects.filter(client_uuid=client_uuid).first()
        if made is not None:
            if made.area_id != area.pk:
                raise ValidationError(
                    {"client_uuid": _("This request id was already used for another record.")}
                )
            made.created = False
            return made
    if not acts_at(actor, ISSUE, area):
        raise refused()
    title = clean_text(title, "title", _("Give the directive a title."), 200)
    body = clean_text(body, "body", _("Write what the directive asks."), 20000)
    doc_number = (doc_number or "").strip()[:60]
    now = timezone.now()
    deadlines.check_pair(ack_due_at, report_due_at, now=now)
    figures, asked = _clean_figures(figures, asked, report_due_at is not None)
    attachments = list(attachments or ())
    _check_attachments(attachments)
    targets = receivers(area, level, within)
    try:
        with transaction.atomic():
            directive = Directive.objects.create(
                area=area,
                title=title,
                doc_number=doc_number,
                body=body,
                ack_due_at=ack_due_at,
                report_due_at=report_due_at,
                figures=figures,
                asked=asked,
                issued_by=actor,
                client_uuid=client_uuid,
            )
            sent = _bulk_receipts(
                directive, targets, parent=None, ack_due_at=ack_due_at, report_due_at=report_due_at
            )
            _save_attachments(directive, None, attachments)
            record(
                actor=actor,
                action="directives.issue",
                target=directive,
                area=area,
                title=title,
                doc_number=doc_number,
                receivers=sent,
            )
    except IntegrityError:
        if client_uuid:  # the same request twice at once: the other one made it
            return issue_directive(
                actor=actor,
                area=area,
                title=title,
                body=body,
                ack_due_at=ack_due_at,
                level=level,
                client_uuid=client_uuid,
            )
        raise
    directive.created = True
    return directive


def check_own(actor, receipt):
    if not acts_at(actor, ACT, receipt.area):
        raise PermissionDenied(_("Only the area that received the directive can do this."))


def mark_acknowledged(actor, receipt, now):
    if receipt.acknowledged_at is None:
        receipt.acknowledged_at, receipt.acknowledged_by = now, actor
        receipt.save(update_fields=["acknowledged_at", "acknowledged_by"])
        record(
            actor=actor,
            action="directives.acknowledge",
            target=receipt,
            area=receipt.area,
            late=now > receipt.ack_due_at,
        )


@transaction.atomic
def acknowledge(*, actor, receipt):
    """签收: once; acknowledging again changes nothing."""
    check_own(actor, receipt)
    with system_scope():  # the receipt the actor's area holds, locked against a double click
        receipt = (
            DirectiveReceipt.objects.select_for_update().select_related("area").get(pk=receipt.pk)
        )
    mark_acknowledged(actor, receipt, timezone.now())
    return receipt


def forward(
    *,
    actor,
    receipt,
    level,
    ack_due_at,
    report_due_at=None,
    addition="",
    figures=(),
    asked=(),
    within=(),
    attachments=(),
):
    """转发: the receipt's area passes the directive to areas below it, with what it adds:
    its text and figures of its own to ask of them (never one already asked of it).
    A receipt is forwarded once; the same forward sent again answers the receipt."""
    check_own(actor, receipt)
    if receipt.forwarded_at is not None:
        if (addition or "").strip() == receipt.addition:
            return receipt
        raise ValidationError(
            _("This directive was already forwarded on %(when)s.")
            % {"when": deadlines.shown(receipt.forwarded_at)}
        )
    if receipt.area.level == Level.GRID:
        raise ValidationError(_("A grid has no areas below it to forward to."))
    addition = (addition or "").strip()
    if len(addition) > 20000:
        raise ValidationError({"addition": _("At most %(n)d characters.") % {"n": 20000}})
    now = timezone.now()
    deadlines.check_forwarded(ack_due_at, receipt.ack_due_at, field="ack_due_at", now=now)
    if receipt.report_due_at is None:
        report_due_at = None
    else:
        deadlines.check_forwarded(
            report_due_at, receipt.report_due_at, field="report_due_at", now=now
        )
        if report_due_at < ack_due_at:
            raise ValidationError(
                {"report_due_at": _("The report cannot be due before the acknowledgement.")}
            )
    if (figures or asked) and receipt.report_due_at is None:
        raise ValidationError({"asked": _("The directive asks for no report: add no figures.")})
    figures, asked = _clean_figures(figures, asked, receipt.report_due_at is not None)
    # The levels above this one, whose figures it was asked (what came down is its to read).
    from_above = chain(receipt)
    asks.check_added(receipt.directive, from_above, figures, asked)
    attachments = list(attachments or ())
    _check_attachments(attachments)
    targets = receivers(receipt.area, level, within)
    with transaction.atomic():
        with system_scope():  # the directive's receipts, to find who has it already
            receipt = (
                DirectiveReceipt.objects.select_for_update()
                .select_related("area", "directive")
                .get(pk=receipt.pk)
            )
            if receipt.forwarded_at is not None:
                return receipt
            taken = DirectiveReceipt.objects.filter(
                directive=receipt.directive_id, area_id__in=[pk for pk, _path in targets]
            ).count()
        if taken:
            raise ValidationError(
                {
                    "within": _("%(n)d of these areas already received this directive.")
                    % {"n": taken}
                }
            )
        sent = _bulk_receipts(
            receipt.directive,
            targets,
            parent=receipt,
            ack_due_at=ack_due_at,
            report_due_at=report_due_at,
        )
        mark_acknowledged(actor, receipt, now)
        receipt.forwarded_at, receipt.forwarded_by, receipt.addition = now, actor, addition
        receipt.figures, receipt.asked = figures, asked
        receipt.save(update_fields=["forwarded_at", "forwarded_by", "addition", "figures", "asked"])
        _save_attachments(receipt.directive, receipt, attachments)
        record(
            actor=actor,
            action="directives.forward",
            target=receipt,
            area=receipt.area,
            receivers=sent,
            addition=addition[:200],
            figures=len(figures) + len(asked),
        )
    return receipt
