"""The demo's quarantine: a central site of the county of the demo login `county` (floor 3 of
single rooms, floor 4 of double rooms, one room waiting for disinfection), a vehicle, and the
tracing demo's contacts under quarantine by rule — the close contacts in single rooms of one
intake batch, the secondary contact at home with their grid worker's monitoring plan."""

import datetime

from django.contrib.auth import get_user_model
from django.utils import timezone

from fangkong.areas.models import Area, Level, Role, RoleKind
from fangkong.quarantine import rooms, services, transfer_services
from fangkong.quarantine.models import Room
from fangkong.tracing.models import TracedPerson


def build(rng, stdout=None):
    user = get_user_model().objects.filter(username="county").first()
    role = (
        Role.objects.filter(kind=RoleKind.SUPERVISOR, worker__user__username="county")
        .select_related("area")
        .first()
    )
    if user is None or role is None:
        return None
    site = rooms.add_site(
        actor=user,
        area=role.area,
        name="滨江集中隔离点",
        address=f"{role.area.name}滨江路 8 号",
        phone="0595-22000000",
        located_in=(
            Area.objects.filter(level=Level.COMMUNITY, path__under=role.area.path)
            .order_by("path")
            .values_list("code", flat=True)
            .first()
            or ""
        ),
    )
    rooms.add_rooms(actor=user, site=site, floor=3, numbers="301-320")
    rooms.add_rooms(actor=user, site=site, floor=4, numbers="401-410", capacity=2)
    used = Room.objects.get(site=site, number="320")
    used.state = Room.State.TO_DISINFECT
    used.save(update_fields=["state"])
    transfer_services.add_vehicle(
        actor=user, area=role.area, plate="闽C·D2201", driver="陈师傅", seats=6
    )
    today = timezone.localdate()
    batch = f"{today:%m%d}-1"
    placed = 0
    for person in TracedPerson.objects.filter(category="close_contact").order_by("pk"):
        quarantine = services.start_quarantine(
            actor=user,
            person=person,
            category="close_contact",
            source="contact",
            starts_on=today - datetime.timedelta(days=rng.randrange(0, 3)),
            batch=batch,
        )
        room = Room.objects.filter(site=site, number=f"{301 + placed}").first()
        services.place(actor=user, quarantine=quarantine, room=room)
        services.check_in(actor=user, quarantine=quarantine)
        placed += 1
    for person in TracedPerson.objects.filter(category="secondary_contact").order_by("pk"):
        services.start_quarantine(
            actor=user, person=person, category="secondary_contact", source="contact"
        )
    if stdout:
        stdout.write(f"quarantine: {site.name}, {placed} in central quarantine\n")
    return site
