"""Writes and reads of the division of duties (职责分工, docs/responsibilities.md): one
transaction each, audited. A position is held by an active worker of the area (one serving
in its subtree); a row says what a named worker or every worker of a role kind does there."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from fangkong.areas.models import Level, RoleKind, Worker
from fangkong.audit.services import record
from fangkong.scope import system_scope
from fangkong.workforce.models import Responsibility
from fangkong.workforce.permissions import SET_RESPONSIBILITY, VIEW_RESPONSIBILITY

DUTIES_LENGTH = 1000


def of_area(user, area):
    """The area's own rows, in their order, as the user may read them."""
    return (
        Responsibility.objects.visible_to(user, VIEW_RESPONSIBILITY)
        .filter(area=area)
        .select_related("worker")
        .order_by("order", "id")
    )


def workers_of(user, area):
    """The active workers serving in the area's subtree whom the user may see: the choices."""
    return Worker.objects.visible_to(user, "areas.view_worker").filter(
        area_path__under=area.path, is_active=True
    )


def _check(actor, area, position, worker, role_kind, duties):
    if area.level == Level.GRID:
        raise ValidationError(_("Duties are divided in a community or an area above it."))
    if not actor.has_perm(SET_RESPONSIBILITY, area):
        raise PermissionDenied(_("You may not do this here."))
    if position not in Responsibility.Position.values:
        raise ValidationError({"position": _("Choose the position.")})
    if role_kind and role_kind not in RoleKind.values:
        raise ValidationError({"role_kind": _("Choose the role kind.")})
    if worker is None and not role_kind:
        raise ValidationError(_("Name the worker, or the role kind whose duties these are."))
    if worker is not None and (not worker.is_active or not worker.area_path.startswith(area.path)):
        raise ValidationError({"worker": _("Choose an active worker of this area.")})
    duties = (duties or "").strip()
    if not duties:
        raise ValidationError({"duties": _("Say what the duties are.")})
    if len(duties) > DUTIES_LENGTH:
        raise ValidationError(
            {"duties": _("Duties have at most %(n)d characters.") % {"n": DUTIES_LENGTH}}
        )
    return duties


def _detail(row):
    return {
        "position": row.position,
        "worker": row.worker.name if row.worker else "",
        "role_kind": row.role_kind,
        "duties": row.duties[:200],
    }


def add_responsibility(
    *, actor, area, position, duties, worker=None, role_kind="", order=0, client_uuid=None
):
    """A new row of the area's division of duties; the same request again adds nothing."""
    if client_uuid and (made := _retried(client_uuid, area)):
        return made
    try:
        with transaction.atomic():
            clean = _check(actor, area, position, worker, role_kind, duties)
            row = Responsibility(
                area=area,
                position=position,
                worker=worker,
                role_kind=role_kind or "",
                duties=clean,
                order=order or 0,
                client_uuid=client_uuid,
                updated_by=actor,
            )
            row.save()
            record(actor=actor, action="responsibility.add", target=row, area=area, **_detail(row))
    except IntegrityError:
        if client_uuid and (made := _retried(client_uuid, area)):
            return made
        raise
    row.created = True
    return row


def _retried(client_uuid, area):
    with system_scope():  # the row the same request made, whoever looks for it
        made = Responsibility.objects.filter(client_uuid=client_uuid).first()
    if made is None:
        return None
    if made.area_id != area.pk:
        raise ValidationError(
            {"client_uuid": _("This request id was already used for another record.")}
        )
    made.created = False
    return made


@transaction.atomic
def change_responsibility(
    *, actor, responsibility, position, duties, worker=None, role_kind="", order=0
):
    row = responsibility
    clean = _check(actor, row.area, position, worker, role_kind, duties)
    before = _detail(row)
    row.position, row.worker, row.role_kind = position, worker, role_kind or ""
    row.duties, row.order, row.updated_by = clean, order or 0, actor
    row.save()
    record(
        actor=actor,
        action="responsibility.change",
        target=row,
        area=row.area,
        before=before,
        **_detail(row),
    )
    return row


@transaction.atomic
def remove_responsibility(*, actor, responsibility):
    row = responsibility
    if not actor.has_perm(SET_RESPONSIBILITY, row.area):
        raise PermissionDenied(_("You may not do this here."))
    record(actor=actor, action="responsibility.remove", target=row, area=row.area, **_detail(row))
    with system_scope():  # the actor may set this area's duties (checked above)
        Responsibility.objects.filter(pk=row.pk).delete()
    return row
