"""Writes of facilities, door counts and disinfection logs, one transaction each
(docs/facilities.md).

Every write taking a `client_uuid` answers a retry with what the first request made and adds
nothing (`gatherings.services.once`)."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Case, F, Q, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _

from fangkong.areas.models import Level
from fangkong.audit.services import record
from fangkong.facilities import rules
from fangkong.facilities.door import mark_doors
from fangkong.facilities.models import DisinfectionLog, DoorTap, Facility, FacilityStatusChange
from fangkong.facilities.permissions import (
    COUNT_VISITS,
    LOG_DISINFECTION,
    MANAGE_FACILITY,
    SUSPEND_FACILITY,
)
from fangkong.scope import system_scope
from fangkong.writes import once, refused

PLACE_LEVELS = (Level.COMMUNITY, Level.GRID)
CLOCK_SKEW = datetime.timedelta(minutes=5)
# A disinfection is logged on the day or caught up within a month, never ahead.
LOGGED_WITHIN = datetime.timedelta(days=31)


EDITABLE = ("name", "kind", "place", "capacity", "low_risk_percent", "checkpoint", "is_active")


def _text(value):
    return (value or "").strip()


def _check_checkpoint(area, checkpoint):
    """A facility's door is a checkpoint of its own community."""
    if checkpoint is None:
        return
    community = area if area.level == Level.COMMUNITY else area.parent
    if not checkpoint.area_path.startswith(community.path):
        raise ValidationError(
            {"checkpoint": _("The checkpoint is not in the facility's community.")}
        )


def register_facility(
    *,
    actor,
    area,
    name,
    kind,
    capacity,
    place="",
    low_risk_percent=None,
    checkpoint=None,
    client_uuid=None,
):
    """A facility of a community (or of the grid it stands in) with its normal capacity and
    the share of it it holds at low risk (FANGKONG_FACILITY_LOW_RISK_PERCENT unless given)."""

    def make():
        if area.level not in PLACE_LEVELS:
            raise ValidationError({"area": _("A facility belongs to a community or grid.")})
        if not actor.has_perm(MANAGE_FACILITY, area):
            raise refused()
        _check_checkpoint(area, checkpoint)
        facility = Facility(
            area=area,
            name=_text(name),
            kind=kind,
            place=_text(place),
            capacity=capacity,
            checkpoint=checkpoint,
            client_uuid=client_uuid,
            created_by=actor,
        )
        if low_risk_percent is not None:
            facility.low_risk_percent = low_risk_percent
        facility.full_clean(exclude=["checkpoint", "created_by"])
        facility.save()
        mark_doors([facility.checkpoint_id])
        record(
            actor=actor,
            action="facilities.register",
            target=facility,
            area=area,
            name=facility.name,
            kind=kind,
            capacity=capacity,
            low_risk_percent=facility.low_risk_percent,
        )
        return facility

    return once(Facility, client_uuid, make, area_id=area.pk)


@transaction.atomic
def change_facility(*, actor, facility, **changes):
    """Change what `EDITABLE` names of a facility; the audit row keeps old and new values."""
    if not actor.has_perm(MANAGE_FACILITY, facility):
        raise refused()
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    if "checkpoint" in changes:
        _check_checkpoint(facility.area, changes["checkpoint"])
    before, after = {}, {}
    for name, value in changes.items():
        value = _text(value) if name in ("name", "place") else value
        old = getattr(facility, name)
        if old != value:
            before[name], after[name] = _plain(old), _plain(value)
            setattr(facility, name, value)
    if not after:
        return facility
    facility.full_clean(exclude=["checkpoint", "created_by"])
    facility.save()
    if "checkpoint" in after or "is_active" in after:
        mark_doors([before.get("checkpoint"), facility.checkpoint_id])
    record(
        actor=actor,
        action="facilities.change",
        target=facility,
        area=facility.area,
        before=before,
        after=after,
    )
    return facility


def _plain(value):
    return value.pk if hasattr(value, "pk") else value


def _locked(facility, actor, perm):
    """The facility's row, locked for the rest of the transaction (PostgreSQL)."""
    return Facility.objects.visible_to(actor, perm).select_for_update().get(pk=facility.pk)


@transaction.atomic
def suspend_facility(*, actor, facility, reason):
    """Suspend a facility by hand, whatever the level, until someone reopens it."""
    if not actor.has_perm(SUSPEND_FACILITY, facility):
        raise refused()
    return _set_suspended(actor, _locked(facility, actor, SUSPEND_FACILITY), True, reason)


@transaction.atomic
def reopen_facility(*, actor, facility, reason):
    """Lift a suspension by hand. The level still suspends it at medium or high risk."""
    if not actor.has_perm(SUSPEND_FACILITY, facility):
        raise refused()
    return _set_suspended(actor, _locked(facility, actor, SUSPEND_FACILITY), False, reason)


def _set_suspended(actor, facility, suspended, reason):
    reason = _text(reason)
    if not reason:
        raise ValidationError({"reason": _("Give the reason.")})
    if len(reason) > 300:
        raise ValidationError({"reason": _("Say it in at most 300 characters.")})
    if facility.suspended == suspended:
        raise ValidationError(
            _("The facility is already suspended.")
            if suspended
            else _("The facility is not suspended by hand.")
        )
    facility.suspended = suspended
    facility.suspension_reason = reason if suspended else ""
    facility.save(update_fields=["suspended", "suspension_reason"])
    FacilityStatusChange.objects.create(
        area=facility.area, facility=facility, suspended=suspended, reason=reason, changed_by=actor
    )
    record(
        actor=actor,
        action="facilities.suspend" if suspended else "facilities.reopen",
        target=facility,
        area=facility.area,
        reason=reason,
    )
    return facility


IN, OUT = 1, -1


def count_visit(*, actor, facility, change, client_uuid=None):
    """One tap at the door: someone in (`change` 1) or out (-1). In is refused while the
    facility is suspended or full; out while nobody is counted inside. The count starts each
    day at nobody. A tap sent again with the same `client_uuid` counts once. The door of a
    facility with a checkpoint is counted from the checkpoint's passages, not tapped."""

    def make():
        if not actor.has_perm(COUNT_VISITS, facility):
            raise refused()
        if change not in (IN, OUT):
            raise ValidationError({"change": _("Tap +1 for in or -1 for out.")})
        if facility.checkpoint_id:
            raise ValidationError(
                _("This facility is counted at its checkpoint %(name)s.")
                % {"name": facility.checkpoint.name}
            )
        today = timezone.localdate()
        inside = Case(When(occupancy_on=today, then=F("occupancy")), default=Value(0))
        rows = Facility.objects.visible_to(actor, COUNT_VISITS).filter(pk=facility.pk)
        if change == IN:
            state = rules.current_state(facility)
            if not state.open:
                raise ValidationError(
                    {
                        "change": _("The facility is suspended: %(reason)s")
                        % {"reason": state.reason}
                    }
                )
            # The check and the count in one statement: two doors tapping at once never
            # count past the limit.
            fits = Q(occupancy_on=today, occupancy__lt=state.limit) | ~Q(occupancy_on=today)
            refusal = _("Full: %(limit)d people are inside, the most it may hold now.") % {
                "limit": state.limit
            }
            rows = rows.filter(fits | Q(occupancy_on=None))
        else:
            rows = rows.filter(occupancy_on=today, occupancy__gte=1)
            refusal = _("Nobody is counted inside: -1 cannot be tapped.")
        if not rows.update(occupancy=inside + change, occupancy_on=today):
            raise ValidationError({"change": refusal})
        with system_scope():  # the row just counted
            after = Facility.objects.values_list("occupancy", flat=True).get(pk=facility.pk)
        facility.occupancy, facility.occupancy_on = after, today
        return DoorTap.objects.create(
            area=facility.area,
            facility=facility,
            change=change,
            occupancy_after=after,
            tapped_by=actor,
            client_uuid=client_uuid,
        )

    return once(DoorTap, client_uuid, make, facility_id=facility.pk)


def log_disinfection(
    *,
    actor,
    disinfectant,
    disinfected_by,
    area=None,
    facility=None,
    place="",
    items="",
    disinfected_at=None,
    note="",
    subject="",
    client_uuid=None,
):
    """One disinfection of a facility, or of a place or shared items in a community or grid
    (`area`), by `disinfected_by` (a name) with `disinfectant`, at `disinfected_at` (now when
    not given). Other apps log theirs (a polling station, ballot boxes) with their record as
    `subject` ("elections.pollingstation:12"). Sent again with the same `client_uuid`: the
    first log, nothing added."""
    if facility is not None:
        if area is not None and area.pk != facility.area_id:
            raise ValidationError({"facility": _("The facility is not in this area.")})
        area = facility.area
    if area is None:
        raise ValidationError({"area": _("Choose where it was disinfected.")})

    def make():
        if area.level not in PLACE_LEVELS:
            raise ValidationError({"area": _("A disinfection is logged in a community or grid.")})
        if not actor.has_perm(LOG_DISINFECTION, area):
            raise refused()
        when = disinfected_at or timezone.now()
        now = timezone.now()
        if when > now + CLOCK_SKEW:
            raise ValidationError(
                {"disinfected_at": _("A disinfection cannot be logged ahead of time.")}
            )
        if when < now - LOGGED_WITHIN:
            raise ValidationError(
                {"disinfected_at": _("A disinfection is logged within a month of it.")}
            )
        if facility is None and not _text(place) and not _text(items):
            raise ValidationError({"place": _("Say which place or items were disinfected.")})
        log = DisinfectionLog(
            area=area,
            facility=facility,
            place=_text(place),
            items=_text(items),
            disinfectant=_text(disinfectant),
            disinfected_by=_text(disinfected_by),
            disinfected_at=when,
            note=_text(note),
            subject=_text(subject),
            client_uuid=client_uuid,
            recorded_by=actor,
        )
        log.full_clean(exclude=["area", "facility", "recorded_by"])
        log.save()
        record(
            actor=actor,
            action="facilities.disinfection",
            target=log,
            area=area,
            facility=facility.pk if facility else None,
            place=log.place or (facility.name if facility else ""),
            items=log.items,
            disinfectant=log.disinfectant,
        )
        return log

    return once(DisinfectionLog, client_uuid, make, area_id=area.pk)
