"""Work passes (工作出入证): a pass for a named resident who must go out while their area is
under closed management, issued one at a time with the reason, optionally with a quota of its
own (`passes_services.check_pass` counts a work pass's exits by the pass, a household pass's
by the household)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from fangkong.audit.models import AuditEvent
from fangkong.audit.services import record
from fangkong.checkpoints.passes import Pass
from fangkong.checkpoints.passes_services import clean_quota, clean_validity, refused
from fangkong.checkpoints.permissions import ISSUE_PASSES
from fangkong.scope import system_scope

MAX_REASON = 200


@transaction.atomic
def issue_work_pass(
    *,
    actor,
    resident,
    valid_from,
    valid_until,
    reason,
    exits=None,
    per_days=None,
    return_minutes=None,
):
    """A work pass for a resident who must go out, with the reason (kept in its audit row:
    `issue_reason`) and, if given, a quota of its own: so many exits in so many days, back
    within so many minutes (an exit not back in time is an overdue-return alert). Without a
    quota it allows any exit, and a return time alone still times each exit."""
    if not actor.has_perm(ISSUE_PASSES, resident):
        raise refused()
    clean_validity(valid_from, valid_until)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why this person must go out.")})
    if len(reason) > MAX_REASON:
        raise ValidationError(
            {"reason": _("Keep the reason within %(n)d characters.") % {"n": MAX_REASON}}
        )
    if exits is not None or per_days is not None:
        clean_quota(exits, per_days, return_minutes or 120)
    if return_minutes is not None:
        clean_quota(1, 1, return_minutes)
    pass_ = Pass(
        kind=Pass.Kind.WORK,
        resident=resident,
        area=resident.area,
        valid_from=valid_from,
        valid_until=valid_until,
        exits=exits,
        per_days=per_days,
        return_minutes=return_minutes,
        issued_by=actor,
    )
    pass_.save()
    record(
        actor=actor,
        action="checkpoints.pass_issue",
        target=pass_,
        area=pass_.area,
        reason=reason,
        valid_from=valid_from.isoformat(),
        valid_until=valid_until.isoformat(),
    )
    return pass_


def issue_reasons(passes):
    """{pass id: the reason it was issued for} of work passes the caller may read, from
    their audit rows (one query): the pass has no column of its own for it."""
    ids = [p.pk for p in passes if p.kind == Pass.Kind.WORK]
    if not ids:
        return {}
    with system_scope():  # the issue rows of passes the caller already reads
        rows = AuditEvent.objects.filter(
            action="checkpoints.pass_issue", target_type="pass", target_id__in=ids
        ).values_list("target_id", "detail")
        return {pk: detail.get("reason", "") for pk, detail in rows}
