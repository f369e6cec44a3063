"""Reads of checkpoints, passages and gate alerts, and the gate's lookup of people."""

import datetime

from django.utils import timezone

from fangkong.areas.models import Area, Level
from fangkong.checkpoints.models import Checkpoint, GateAlert, Passage
from fangkong.checkpoints.permissions import VIEW, VIEW_ALERTS, VIEW_PASSAGES
from fangkong.people.models import Household, Resident
from fangkong.people.selectors import search_residents
from fangkong.scope import system_scope

LOOKUP_LIMIT = 10


def checkpoints(user, perm=VIEW):
    return Checkpoint.objects.visible_to(user, perm).select_related("area", "building")


def community_of(checkpoint):
    """The community a checkpoint serves: its area, or a compound's grid's community."""
    area = checkpoint.area
    if area.level == Level.GRID:
        if Area.parent.is_cached(area):  # read with the checkpoint (`recording.checkpoint`)
            return area.parent
        with system_scope():  # the checkpoint's own community, whoever asks
            return Area.objects.get(pk=area.parent_id)
    return area


def lookup(checkpoint, text):
    """Residents living in the checkpoint's community matching what the staff typed (name,
    pinyin initials, last 4 digits of the ID number), at most LOOKUP_LIMIT. Read in the
    system scope: checkpoint staff do not read the registry; the service that calls this has
    checked they record passages here, and they are shown a name, a masked ID number and a
    household, nothing more (`PersonFound`)."""
    if not " ".join(str(text or "").split()):
        return []
    with system_scope():
        residents = Resident.objects.within(community_of(checkpoint)).filter(
            status=Resident.Status.ACTIVE
        )
        found = search_residents(residents, text, one_community=True)
        found = found.select_related("household__building")
        return list(found.order_by("name", "pk")[:LOOKUP_LIMIT])


def resident_here(checkpoint, pk):
    """The active resident `pk` of the checkpoint's community, or None."""
    with system_scope():  # as `lookup`
        return (
            Resident.objects.within(community_of(checkpoint))
            .filter(pk=pk, status=Resident.Status.ACTIVE)
            .first()
        )


def households_here(checkpoint):
    """The households a visitor may name (the compound's, or the community's)."""
    with system_scope():  # labels only, for the staff's choice; see `lookup`
        households = Household.objects.within(community_of(checkpoint))
        if checkpoint.building_id:
            households = households.filter(building=checkpoint.building_id)
        return households.select_related("building").order_by("building__name", "number")


def household_label(household):
    return f"{household.building.name} {household.number}" if household else ""


def passages(user, perm=VIEW_PASSAGES):
    return Passage.objects.visible_to(user, perm).select_related("checkpoint", "resident")


def latest_at(user, checkpoint, count=20):
    return passages(user).filter(checkpoint=checkpoint).select_related("alert")[:count]


def day_bounds(day):
    """The local day as [start, end) in aware datetimes."""
    start = timezone.make_aware(datetime.datetime.combine(day, datetime.time()))
    return start, start + datetime.timedelta(days=1)


def on_day(records, day, field="recorded_at"):
    start, end = day_bounds(day)
    return records.filter(**{f"{field}__gte": start, f"{field}__lt": end})


def gate_alerts(user, perm=VIEW_ALERTS):
    return GateAlert.objects.visible_to(user, perm).select_related(
        "passage__checkpoint", "passage__resident", "worker"
    )


def open_gate_alerts(alerts):
    return alerts.filter(closed_at__isnull=True)
