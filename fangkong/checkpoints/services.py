"""Writes of checkpoints, passages and gate alerts, one transaction each.

`record_passage` is the one way a passage is recorded: the gate page, the API and the batch
of the offline queue call it. Passages are not written to the audit trail one by one: each
names who recorded it and when it was received, and at hundreds a second the trail would
double the writes; a visitor's registration is (it enters personal data), as are checkpoints,
their mode and the alerts' dispositions."""

import datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from fangkong.areas.models import Building, Level, Role, RoleKind, Worker
from fangkong.audit.services import record
from fangkong.checkpoints import entry_checks, recording, selectors
from fangkong.checkpoints.health_codes import verifier
from fangkong.checkpoints.models import Checkpoint, GateAlert, HealthCode, Passage
from fangkong.checkpoints.passes_services import check_pass, use_pass
from fangkong.checkpoints.permissions import ADD, CHANGE, DISPOSE, RECORD, VIEW_ALERTS
from fangkong.dispositions import close
from fangkong.notifications.services import notify
from fangkong.people.models import HouseholdAssignment
from fangkong.pii import clean_id_number, clean_phone, lookup_digest
from fangkong.scope import for_uniqueness, system_scope

MIN_TEMPERATURE, MAX_TEMPERATURE = Decimal("34.0"), Decimal("43.0")
# A device's clock may run a little ahead; the offline queue may hold passages for days.
CLOCK_SKEW = datetime.timedelta(minutes=5)
OLDEST = datetime.timedelta(days=7)


def refused():
    return PermissionDenied(_("You may not do this here."))


# ------------------------------------------------------------------------------ checkpoints


@transaction.atomic
def add_checkpoint(
    *, actor, area, name, kind, building=None, place="", hours="", staff=(), mode="open"
):
    """A checkpoint of a community, or of a compound or natural village of it (`building`)."""
    if building is not None:
        if building.kind == Building.Kind.BUILDING:
            raise ValidationError(
                {"building": _("Choose a compound or a natural village, not a single building.")}
            )
        if not building.area_path.startswith(area.path):
            raise ValidationError({"building": _("Choose a compound of this community.")})
        area = building.area
    elif area.level != Level.COMMUNITY:
        raise ValidationError(_("A checkpoint belongs to a community or to a compound of it."))
    if not actor.has_perm(ADD, area):
        raise refused()
    checkpoint = Checkpoint(area=area, building=building, mode=mode, mode_since=timezone.now())
    describe(checkpoint, name=name, kind=kind, place=place, hours=hours, staff=staff)
    record(actor=actor, action="checkpoints.add", target=checkpoint, area=area)
    return checkpoint


def describe(checkpoint, *, name, kind, place, hours, staff, is_active=True):
    """Save what a checkpoint is (name, kind, place, hours, its assigned staff, in use)."""
    checkpoint.name, checkpoint.kind = (name or "").strip(), kind
    checkpoint.place, checkpoint.hours = (place or "").strip(), (hours or "").strip()
    checkpoint.is_active = is_active
    checkpoint.full_clean()
    checkpoint.save()
    staff = list(staff)
    community = selectors.community_of(checkpoint)
    if any(not w.is_active or not w.area_path.startswith(community.path) for w in staff):
        raise ValidationError({"staff": _("Choose active workers of this community.")})
    with system_scope():  # the workers were checked above: of this community, active
        checkpoint.staff.set(staff)


@transaction.atomic
def change_checkpoint(
    *, actor, checkpoint, name, kind, place="", hours="", staff=(), is_active=True
):
    """Change what a checkpoint is, or take it out of use; its mode is `set_mode`'s."""
    with system_scope():
        checkpoint = Checkpoint.objects.select_for_update().get(pk=checkpoint.pk)
    if not actor.has_perm(CHANGE, checkpoint):
        raise refused()
    describe(
        checkpoint,
        name=name,
        kind=kind,
        place=place,
        hours=hours,
        staff=staff,
        is_active=is_active,
    )
    record(actor=actor, action="checkpoints.change", target=checkpoint, area=checkpoint.area)
    return checkpoint


def assigned_staff(checkpoint):
    """The workers assigned to the checkpoint by name (not through their role)."""
    with system_scope():  # the checkpoint's own staff, whoever looks
        return list(checkpoint.staff.all())


def staff_of(checkpoint):
    """The workers on duty at a checkpoint: those assigned to it, and those holding the
    checkpoint staff role on its area or above it (to the community)."""
    community = selectors.community_of(checkpoint)
    with system_scope():  # the checkpoint's own staff, whoever looks
        by_role = Role.objects.filter(
            kind=RoleKind.CHECKPOINT_STAFF,
            area_path__in={community.path, checkpoint.area_path},
            worker__is_active=True,
        ).values("worker")
        assigned = checkpoint.staff.through.objects.filter(checkpoint=checkpoint).values("worker")
        return list(
            Worker.objects.filter(Q(pk__in=by_role) | Q(pk__in=assigned), is_active=True).order_by(
                "name"
            )
        )


@transaction.atomic
def set_mode(*, actor, checkpoint, mode, response=None):
    """Open the checkpoint or put it under closed management (封闭管理), audited: by a
    worker, or because an emergency `response` started or ended (`closed_management`), on
    the authority of the level change that moved it."""
    if mode not in Checkpoint.Mode.values:
        raise ValidationError({"mode": _("Choose open or closed management.")})
    with system_scope():
        checkpoint = Checkpoint.objects.select_for_update().get(pk=checkpoint.pk)
    if response is None and not actor.has_perm(CHANGE, checkpoint):
        raise refused()
    if checkpoint.mode == mode:
        return checkpoint
    previous, checkpoint.mode, checkpoint.mode_since = checkpoint.mode, mode, timezone.now()
    checkpoint.save(update_fields=["mode", "mode_since"])
    extra = {} if response is None else {"response": response.pk}
    closed = mode == Checkpoint.Mode.CLOSED
    record(
        actor=actor,
        action=(
            "checkpoints.mode"
            if response is None
            else "checkpoints.closed_by_response"
            if closed
            else "checkpoints.open_by_response"
        ),
        target=checkpoint,
        area=checkpoint.area,
        previous=previous,
        mode=mode,
        **extra,
    )
    return checkpoint


# ------------------------------------------------------------------------------- passages


def clean_temperature(value):
    try:
        temperature = Decimal(str(value)).quantize(Decimal("0.1"))
    except (InvalidOperation, ValueError):
        temperature = None
    if temperature is None or not MIN_TEMPERATURE <= temperature <= MAX_TEMPERATURE:
        raise ValidationError(
            {"temperature": _("Enter a temperature between 34 and 43 ℃ (measure again).")}
        )
    return temperature


def clean_recorded_at(value, now):
    if value is None:
        return now
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    if value > now + CLOCK_SKEW:
        raise ValidationError(
            {"recorded_at": _("The time of the passage is in the future: check the clock.")}
        )
    if value < now - OLDEST:
        raise ValidationError(
            {"recorded_at": _("A passage older than 7 days can no longer be recorded.")}
        )
    return value


def on_field(field, clean, value):
    """`clean(value)`, its refusal said of `field`."""
    try:
        return clean(value or "")
    except ValidationError as error:
        raise ValidationError({field: error.messages}) from None


def clean_visitor(checkpoint, visitor):
    name = " ".join(str(visitor.get("name") or "").split())
    if not name:
        raise ValidationError({"name": _("Enter the visitor's name.")})
    id_number = on_field("id_number", clean_id_number, visitor.get("id_number"))
    phone = on_field("phone", clean_phone, visitor.get("phone"))
    if not id_number:
        raise ValidationError({"id_number": _("Enter the visitor's ID number.")})
    household = visitor.get("household")
    if household is not None:
        household = (
            selectors.households_here(checkpoint)
            .filter(pk=getattr(household, "pk", household))
            .first()
        )
        if household is None:
            raise ValidationError({"household": _("Choose a household served by this checkpoint.")})
    return {
        "visitor_name": name,
        "visitor_id_number": id_number,
        "visitor_id_hash": lookup_digest(id_number),
        "visitor_phone": phone,
        "reason": " ".join(str(visitor.get("reason") or "").split()),
        "visited_household": household,
    }


def _earlier(client_uuid, checkpoint):
    """The passage a retried request recorded, or None; a uuid taken by another checkpoint's
    passage (or one the actor cannot see) is refused alike, telling nothing about it."""
    found = recording.earlier(client_uuid)
    if found is None:
        return None
    if found[1] != checkpoint.pk:
        raise ValidationError({"client_uuid": _("This identifier belongs to another passage.")})
    passage = for_uniqueness(Passage).get(pk=found[0])
    passage.created = False
    return passage


def record_passage(
    *,
    actor,
    checkpoint,
    direction,
    temperature,
    client_uuid,
    health_code=HealthCode.GREEN,
    resident=None,
    visitor=None,
    plate="",
    recorded_at=None,
    pass_code="",
):
    """Record one entry or exit of a resident of the checkpoint's community (`resident`, a
    record or its id) or of a visitor (`visitor`: name, id_number, phone, reason, household,
    a record or its id). Raises the gate
    alert its findings call for.

    Idempotent by `client_uuid`: a passage already recorded with it at this checkpoint is
    returned unchanged (`created` False). With `pass_code` (a resident going out or back in
    with a pass of closed management) the pass is checked and the exit counted against its
    quota, or the return closes the exit."""
    if not actor.has_perm(RECORD, checkpoint):
        raise refused()
    if (earlier := _earlier(client_uuid, checkpoint)) is not None:
        return earlier
    if (resident is None) == (visitor is None):
        raise ValidationError(_("Choose a resident or register a visitor."))
    if direction not in Passage.Direction.values:
        raise ValidationError({"direction": _("Choose in or out.")})
    if health_code not in HealthCode.values:
        raise ValidationError({"health_code": _("Choose green, yellow or red.")})
    if not checkpoint.is_active:
        raise ValidationError(_("This checkpoint is no longer in use."))
    fields = {"temperature": clean_temperature(temperature)}
    fields["recorded_at"] = clean_recorded_at(recorded_at, timezone.now())
    if direction == Passage.Direction.IN:
        # The door of a place that may be full (a facility): checked there only.
        entry_checks.check_entry(checkpoint, fields["recorded_at"])
    plate = "".join(str(plate or "").split()).upper()
    if plate and not checkpoint.takes_vehicles:
        raise ValidationError({"plate": _("This checkpoint is for pedestrians only.")})
    if len(plate) > 10:
        raise ValidationError({"plate": _("A plate number has at most 10 characters.")})
    if resident is not None:
        resident = recording.resident(getattr(resident, "pk", resident))
        if resident is None or not resident.area_path.startswith(
            selectors.community_of(checkpoint).path
        ):
            raise ValidationError({"resident": _("This person does not live in this community.")})
        person = {"name": resident.name, "id_number": resident.id_number}
    else:
        fields.update(clean_visitor(checkpoint, visitor))
        person = {"name": fields["visitor_name"], "id_number": fields["visitor_id_number"]}
    pass_ = pass_code and check_pass(
        checkpoint, pass_code, resident=resident, direction=direction, at=fields["recorded_at"]
    )
    fields["health_code"], fields["code_source"] = verifier()(person, health_code)
    passage = Passage(
        client_uuid=client_uuid,
        checkpoint=checkpoint,
        area=checkpoint.area,
        direction=direction,
        resident=resident,
        plate=plate,
        recorded_by=actor,
        **fields,
    )
    reasons = findings(passage, checkpoint)
    closes_exit = bool(pass_) or (
        direction == Passage.Direction.IN
        and resident is not None
        and recording.may_close_exit(resident.pk, fields["recorded_at"])
    )
    try:
        if not (reasons or closes_exit or visitor is not None or connection.in_atomic_block):
            # Nothing to write but the passage: one INSERT, committed on its own.
            recording.insert(passage)
            passage._state.fields_cache["alert"] = None
        else:
            with transaction.atomic():
                recording.insert(passage)
                if visitor is not None:
                    record(
                        actor=actor,
                        action="checkpoints.visitor",
                        target=passage,
                        area=checkpoint.area,
                    )
                raise_alert(passage, checkpoint, reasons)
                if closes_exit:
                    use_pass(pass_ or None, passage)
    except IntegrityError:
        # The same uuid sent twice at the same moment: the other request recorded it.
        if (earlier := _earlier(client_uuid, checkpoint)) is not None:
            return earlier
        raise
    passage.created = True
    return passage


def findings(passage, checkpoint):
    """The reasons (GateAlert.Reason) a passage needs a worker's look."""
    reasons = []
    if passage.fever:
        reasons.append(GateAlert.Reason.FEVER)
    if passage.health_code != HealthCode.GREEN:
        reasons.append(GateAlert.Reason.CODE)
    # A rule across areas (the plan may lie in the person's grid): `open_on`, in SQL.
    if (
        passage.resident_id
        and passage.direction == Passage.Direction.OUT
        and recording.monitored(passage.resident_id, timezone.localdate(passage.recorded_at))
    ):
        reasons.append(GateAlert.Reason.MONITORED_OUT)
    if not passage.resident_id and checkpoint.mode == Checkpoint.Mode.CLOSED:
        reasons.append(GateAlert.Reason.VISITOR_CLOSED)
    return reasons


def raise_alert(passage, checkpoint, reasons=None):
    """A gate alert where the person belongs (for `reasons`, by default the passage's
    findings), told to their responsible worker and the community's workers once the
    passage is committed."""
    reasons = findings(passage, checkpoint) if reasons is None else reasons
    if not reasons:
        # Known to have none: whoever reads `passage.alert` next is answered without a query.
        passage._state.fields_cache["alert"] = None
        return None
    household = passage.resident.household if passage.resident_id else passage.visited_household
    with system_scope():  # who is responsible for the person, whoever records
        assignment = (
            HouseholdAssignment.objects.filter(household=household).select_related("worker").first()
            if household
            else None
        )
    alert = GateAlert.objects.create(
        passage=passage,
        area_id=household.area_id if household else checkpoint.area_id,
        reasons=[str(reason) for reason in reasons],
        worker=assignment.worker if assignment else None,
    )
    transaction.on_commit(lambda: tell_workers(alert, checkpoint))
    return alert


def tell_workers(alert, checkpoint):
    """Notify the responsible worker (without a login: the grid workers of the alert's grid)
    and the community workers, each only if they may see the alert."""
    community = selectors.community_of(checkpoint)
    responsible = alert.worker if alert.worker and alert.worker.is_active else None
    with system_scope():
        roles = Role.objects.filter(worker__is_active=True, worker__user__isnull=False)
        wanted = roles.filter(kind=RoleKind.COMMUNITY_WORKER, area=community)
        if responsible is None or responsible.user_id is None:
            wanted = wanted | roles.filter(kind=RoleKind.GRID_WORKER, area=alert.area_id)
        users = {role.worker.user for role in wanted.select_related("worker__user")}
    if responsible is not None and responsible.user_id:
        users.add(responsible.user)
    passage = alert.passage
    message = _("Gate alert at %(checkpoint)s: %(name)s, %(reasons)s.") % {
        "checkpoint": checkpoint.name,
        "name": passage.person_name,
        "reasons": "、".join(alert.reason_labels),
    }
    link = reverse("gate_alert", args=[alert.pk])
    return notify(
        [user for user in users if user.has_perm(VIEW_ALERTS, alert)],
        key=f"gate-alert:{alert.pk}",
        message=message,
        link=link,
    )


@transaction.atomic
def dispose_gate_alert(*, actor, alert, disposition, note=""):
    """Record what was done about a gate alert and close it."""
    found = GateAlert.objects.visible_to(actor, DISPOSE).select_for_update().filter(pk=alert.pk)
    alert = found.first()
    if alert is None:
        raise refused()
    close(alert, actor=actor, disposition=disposition, note=note)
    record(
        actor=actor,
        action="checkpoints.dispose",
        target=alert,
        area=alert.area,
        disposition=disposition,
    )
    return alert
