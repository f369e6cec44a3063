"""The demo's tracing: a confirmed case in the community of the demo login `medical`
(医务人员), two of its close contacts (one a household member's neighbour in the same
community, one living in a third community of the same street, whose workers get the tracing task — not
the community of `community2`, which the demo keeps with nothing to report),
a contact of a close contact (a secondary contact) and the household suggestions re-ranking
made for the medical worker to confirm."""

import datetime

from django.contrib.auth import get_user_model
from django.utils import timezone

from fangkong.areas.models import Area, Level, Role, RoleKind
from fangkong.people.models import Resident
from fangkong.tracing import services


def _role(username, kind):
    return (
        Role.objects.filter(kind=kind, worker__user__username=username)
        .select_related("area")
        .first()
    )


def _residents_of(username, kind, rng, count):
    role = _role(username, kind)
    if role is None:
        return []
    return _residents_in(role.area, rng, count)


def _another_community(rng):
    """A community of the street of `medical` that is neither theirs nor `community2`'s."""
    here = _role("medical", RoleKind.MEDICAL_WORKER)
    quiet = _role("community2", RoleKind.COMMUNITY_WORKER)
    if here is None or here.area.parent_id is None:
        return []
    taken = {here.area.pk} | ({quiet.area.pk} if quiet is not None else set())
    for area in Area.objects.filter(parent_id=here.area.parent_id, level=Level.COMMUNITY).order_by(
        "pk"
    ):
        if area.pk not in taken:
            found = _residents_in(area, rng, 1)
            if found:
                return found
    return []


def _residents_in(area, rng, count):
    found = list(
        Resident.objects.within(area)
        .filter(status=Resident.Status.ACTIVE)
        .exclude(household=None)
        .order_by("pk")[:400]
    )
    return rng.sample(found, min(count, len(found)))


def build(rng, stdout=None):
    user = get_user_model().objects.filter(username="medical").first()
    here = _residents_of("medical", RoleKind.MEDICAL_WORKER, rng, 3)
    there = _another_community(rng)
    if user is None or len(here) < 3:
        return None
    today = timezone.localdate()
    day = datetime.timedelta(days=1)
    source, close, secondary = (services.person_for_resident(actor=user, resident=r) for r in here)
    case = services.record_case(
        actor=user,
        person=source,
        classification="confirmed",
        onset_on=today - 3 * day,
        reported_on=today - day,
        isolated_on=today - day,
        source="reported",
        list_reference="市指挥部推送（演示）",
    )
    services.add_contact(
        actor=user, source=source, person=close, exposed_on=today - 3 * day, setting="dining"
    )
    services.add_contact(
        actor=user, source=close, person=secondary, exposed_on=today - 2 * day, setting="work"
    )
    if there:
        far = services.person_for_resident(actor=user, resident=there[0])
        services.add_contact(
            actor=user, source=source, person=far, exposed_on=today - 2 * day, setting="transport"
        )
    if stdout:
        stdout.write(f"tracing: case {source.name} with its contacts ({case.area.name})\n")
    return case
