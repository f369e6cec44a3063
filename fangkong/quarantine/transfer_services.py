"""Writes of transfers (转运): vehicles, a batch to a site, its trips, its notice, dispatch
and arrival. Dispatch first places the whole batch in the site's free rooms by the
allocation rules (`rooms.allocate`): a site that cannot take them all stops the dispatch."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fangkong.areas.models import Level
from fangkong.audit.services import record
from fangkong.quarantine import rooms
from fangkong.quarantine.models import free_now
from fangkong.quarantine.permissions import CHANGE_TRANSFER
from fangkong.quarantine.quarantines import Quarantine
from fangkong.quarantine.services import check_in
from fangkong.quarantine.transfers import DEFAULT_BRING, Transfer, Trip, Vehicle
from fangkong.scope import for_uniqueness, system_scope

PICKUP_AHEAD = datetime.timedelta(days=7)


def refused():
    return PermissionDenied(_("You may not do this here."))


@transaction.atomic
def add_vehicle(*, actor, area, plate, driver, seats, driver_phone=""):
    if area.level not in (Level.COUNTY, Level.TOWNSHIP):
        raise ValidationError(_("Vehicles are dispatched by a county or a township."))
    if not actor.has_perm(CHANGE_TRANSFER, area):
        raise refused()
    vehicle = Vehicle(
        area=area,
        plate=(plate or "").strip().upper(),
        driver=(driver or "").strip(),
        driver_phone=(driver_phone or "").strip(),
        seats=seats,
    )
    vehicle.full_clean()
    vehicle.save()
    record(actor=actor, action="quarantine.vehicle_add", target=vehicle, area=area)
    return vehicle


def locked_transfer(transfer):
    with system_scope():
        return Transfer.objects.select_for_update().select_related("site").get(pk=transfer.pk)


def next_code(day):
    prefix = f"转运{day:%Y%m%d}"
    taken = for_uniqueness(Transfer).filter(code__startswith=prefix).count()
    return f"{prefix}-{taken + 1:02d}"


@transaction.atomic
def plan_transfer(*, actor, area, site, pickup_place, pickup_at, quarantines, bring=""):
    """A batch of people of central quarantine, waiting for transfer, to one site. The batch
    code becomes their intake batch."""
    if not actor.has_perm(CHANGE_TRANSFER, area):
        raise refused()
    if not site.is_active:
        raise ValidationError({"site": _("This site is no longer in use.")})
    now = timezone.now()
    if (
        pickup_at is None
        or not now - datetime.timedelta(hours=12) <= pickup_at <= now + PICKUP_AHEAD
    ):
        raise ValidationError({"pickup_at": _("Choose a pick-up time within the next 7 days.")})
    if not (pickup_place or "").strip():
        raise ValidationError({"pickup_place": _("Say where the people wait to be picked up.")})
    people = rooms.locked_quarantines(quarantines)
    if not people:
        raise ValidationError({"quarantines": _("Choose the people to transfer.")})
    for q in people:
        if not actor.has_perm(CHANGE_TRANSFER, q) and not q.area_path.startswith(area.path):
            raise refused()
        if q.kind != Quarantine.Kind.CENTRAL or q.status != Quarantine.Status.WAITING:
            raise ValidationError(
                {
                    "quarantines": _("%(name)s is not waiting for a transfer.")
                    % {"name": q.person.name}
                }
            )
        if q.transfer_id:
            raise ValidationError(
                {
                    "quarantines": _("%(name)s is already in another transfer.")
                    % {"name": q.person.name}
                }
            )
    transfer = Transfer(
        area=area,
        site=site,
        code=next_code(timezone.localdate(pickup_at)),
        pickup_place=pickup_place.strip(),
        pickup_at=pickup_at,
        bring=(bring or "").strip() or DEFAULT_BRING,
        created_by=actor,
    )
    transfer.full_clean()
    transfer.save()
    for q in people:
        q.transfer, q.batch = transfer, transfer.code
    with system_scope():
        Quarantine.objects.bulk_update(people, ["transfer", "batch"])
    record(
        actor=actor,
        action="quarantine.transfer_plan",
        target=transfer,
        area=area,
        people=len(people),
    )
    return transfer


@transaction.atomic
def add_trip(*, actor, transfer, vehicle, quarantines):
    """A vehicle's run: no more passengers than its seats, all of one category and batch."""
    transfer = locked_transfer(transfer)
    if not actor.has_perm(CHANGE_TRANSFER, transfer):
        raise refused()
    if transfer.status != Transfer.Status.PLANNED:
        raise ValidationError(_("Trips are planned before the transfer is dispatched."))
    if not vehicle.is_active:
        raise ValidationError({"vehicle": _("This vehicle is no longer in use.")})
    people = rooms.locked_quarantines(quarantines)
    if not people:
        raise ValidationError({"quarantines": _("Choose the passengers.")})
    if len(people) > vehicle.seats:
        raise ValidationError(
            {
                "quarantines": _(
                    "The vehicle %(plate)s has %(seats)s seats and %(n)s passengers were chosen."
                )
                % {"plate": vehicle.plate, "seats": vehicle.seats, "n": len(people)}
            }
        )
    if any(q.transfer_id != transfer.pk for q in people):
        raise ValidationError({"quarantines": _("Choose passengers of this transfer.")})
    if any(q.trip_id for q in people):
        raise ValidationError({"quarantines": _("A passenger chosen is already on a trip.")})
    if len({(q.category, q.batch) for q in people}) > 1:
        raise ValidationError(
            {"quarantines": _("A trip takes passengers of one category and one intake batch only.")}
        )
    with system_scope():
        busy = Trip.objects.filter(
            vehicle=vehicle, transfer__status=Transfer.Status.DISPATCHED, arrived_at__isnull=True
        ).exists()
        number = Trip.objects.filter(transfer=transfer).count() + 1
    if busy:
        raise ValidationError({"vehicle": _("This vehicle is on another trip.")})
    trip = Trip.objects.create(
        transfer=transfer, vehicle=vehicle, number=number, area=transfer.area
    )
    for q in people:
        q.trip = trip
    with system_scope():
        Quarantine.objects.bulk_update(people, ["trip"])
    record(
        actor=actor,
        action="quarantine.trip_add",
        target=transfer,
        area=transfer.area,
        vehicle=vehicle.plate,
        passengers=len(people),
    )
    return trip


@transaction.atomic
def publish_notice(*, actor, transfer):
    transfer = locked_transfer(transfer)
    if not actor.has_perm(CHANGE_TRANSFER, transfer):
        raise refused()
    if transfer.status == Transfer.Status.CANCELLED:
        raise ValidationError(_("This transfer was cancelled."))
    transfer.notice_published_at = timezone.now()
    transfer.save(update_fields=["notice_published_at"])
    record(actor=actor, action="quarantine.notice", target=transfer, area=transfer.area)
    return transfer


@transaction.atomic
def dispatch(*, actor, transfer):
    """Send the vehicles: every person has a seat, and the site has rooms for all of them by
    the allocation rules (placed now); otherwise nothing leaves."""
    transfer = locked_transfer(transfer)
    if not actor.has_perm(CHANGE_TRANSFER, transfer):
        raise refused()
    if transfer.status != Transfer.Status.PLANNED:
        raise ValidationError(_("This transfer has already been dispatched."))
    with system_scope():
        people = list(transfer.quarantines.filter(status__in=Quarantine.OPEN))
        trips = list(transfer.trips.all())
    if not people:
        raise ValidationError(_("Nobody is waiting in this transfer."))
    if any(q.trip_id is None for q in people):
        raise ValidationError(_("Put every person on a trip before dispatching."))
    homeless = [q for q in people if q.room_id is None]
    if homeless:
        with system_scope():
            free = transfer.site.rooms.filter(free_now()).count()
        if free == 0:
            raise ValidationError(_("The site has no free room."))
        rooms.allocate(actor=actor, site=transfer.site, quarantines=homeless)
    now = timezone.now()
    transfer.status, transfer.departed_at = Transfer.Status.DISPATCHED, now
    transfer.save(update_fields=["status", "departed_at"])
    with system_scope():
        Trip.objects.filter(pk__in=[t.pk for t in trips]).update(departed_at=now)
    record(actor=actor, action="quarantine.dispatch", target=transfer, area=transfer.area)
    return transfer


@transaction.atomic
def arrive(*, actor, transfer, checked_in=None):
    """The vehicles arrived; the people named are checked in (all, unless `checked_in`
    lists those who were: the others stay waiting, e.g. one taken to hospital on the way)."""
    transfer = locked_transfer(transfer)
    if not actor.has_perm(CHANGE_TRANSFER, transfer):
        raise refused()
    if transfer.status != Transfer.Status.DISPATCHED:
        raise ValidationError(_("Only a transfer on the way can arrive."))
    now = timezone.now()
    with system_scope():
        people = list(transfer.quarantines.filter(status=Quarantine.Status.WAITING))
        Trip.objects.filter(transfer=transfer).update(arrived_at=now)
    wanted = None if checked_in is None else {q.pk for q in checked_in}
    for q in people:
        if wanted is None or q.pk in wanted:
            check_in(actor=actor, quarantine=q)
    transfer.status, transfer.arrived_at = Transfer.Status.ARRIVED, now
    transfer.save(update_fields=["status", "arrived_at"])
    record(actor=actor, action="quarantine.arrive", target=transfer, area=transfer.area)
    return transfer
