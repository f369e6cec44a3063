import datetime

from django.utils import timezone

from fangkong.people.models import Household
from fangkong.tracing import services
from tests.world import every, make_resident

COMMUNITY = "350502001001"
GRID = "350502001001001"
OTHER_COMMUNITY = "350502002001"
OTHER_GRID = "350502002001001"


def days_ago(n):
    return timezone.localdate() - datetime.timedelta(days=n)


def person(world, name, code=GRID, by="medical", **kwargs):
    """A person not in the registry, living in the area `code`."""
    return services.add_person(actor=world.users[by], area=world.areas[code], name=name, **kwargs)


def resident_person(world, code=GRID, by="medical"):
    return services.person_for_resident(actor=world.users[by], resident=world.residents[code])


def case(world, who, by="medical", **kwargs):
    data = {
        "classification": "confirmed",
        "reported_on": days_ago(1),
        "source": "found",
        **kwargs,
    }
    return services.record_case(actor=world.users[by], person=who, **data)


def contact(world, source, who, by="medical", **kwargs):
    data = {"exposed_on": days_ago(3), "setting": "work", **kwargs}
    return services.add_contact(actor=world.users[by], source=source, person=who, **data)


def fresh(model, obj):
    return every(model).get(pk=obj.pk)


def household_of_two(world):
    household = every(Household).create(
        area=world.areas[GRID], building=world.buildings[GRID], number="密接之家"
    )
    close = make_resident(household, "密接本人")
    member = make_resident(household, "甲格家人")
    return services.person_for_resident(actor=world.users["medical"], resident=close), member
