"""What the people app adds to the pages of the areas app, and how households follow a moved
building. Registered when `PeopleConfig.ready()` imports this module; the areas app imports
nothing of people (`fangkong.areas.registry`)."""

from django.db.models import Count
from django.dispatch import receiver
from django.urls import reverse
from django.utils.translation import gettext_lazy, ngettext, pgettext_lazy

from fangkong.areas.models import Level
from fangkong.areas.registry import (
    AreaLink,
    AreaNotice,
    BuildingCount,
    ChildCount,
    WorkerFact,
    building_moved,
    register,
    register_page,
)
from fangkong.people.models import Household, Resident
from fangkong.people.services import follow_households

VIEW_HOUSEHOLD = "people.view_household"
VIEW_RESIDENT = "people.view_resident"
NEAR_PEOPLE = (Level.COMMUNITY, Level.GRID)


MOVE = "areas.change_building"


@receiver(building_moved)
def households_follow_their_building(sender, *, building, source, actor, **kwargs):
    """Every household of the building moves with it: `save_building` checked that the actor
    may change buildings in both grids, and that scope holds all that is recorded there."""
    households = Household.objects.visible_to(actor, MOVE).filter(building=building)
    follow_households(households, building.area, actor=actor, perm=MOVE)


def unassigned(user, area):
    n = (
        Household.objects.visible_to(user, VIEW_HOUSEHOLD)
        .within(area)
        .filter(assignment__isnull=True)
        .count()
    )
    if not n:
        return None
    text = ngettext(
        "%(n)d household has no responsible worker.",
        "%(n)d households have no responsible worker.",
        n,
    ) % {"n": n}
    return text, f"{reverse('household_list')}?within={area.code}&unassigned=true"


def households_in_care(user, worker):
    n = Household.objects.visible_to(user, VIEW_HOUSEHOLD).filter(assignment__worker=worker).count()
    return str(n), f"{reverse('household_list')}?worker={worker.pk}"


register_page("building", lambda building: reverse("building_detail", args=[building.pk]))
register(
    ChildCount(
        "households",
        Household._meta.verbose_name_plural,
        VIEW_HOUSEHOLD,
        lambda user, perm: Household.objects.visible_to(user, perm),
        order=30,
    ),
    ChildCount(
        "residents",
        Resident._meta.verbose_name_plural,
        VIEW_RESIDENT,
        lambda user, perm: Resident.objects.visible_to(user, perm),
        order=40,
    ),
    BuildingCount(
        "household_count",
        Household._meta.verbose_name_plural,
        VIEW_HOUSEHOLD,
        lambda: Count("households", distinct=True),
        order=30,
    ),
    BuildingCount(
        "resident_count",
        Resident._meta.verbose_name_plural,
        VIEW_RESIDENT,
        lambda: Count("households__residents", distinct=True),
        order=40,
    ),
    AreaLink(
        pgettext_lazy("registry", "Residents"),
        VIEW_RESIDENT,
        lambda area: f"{reverse('resident_list')}?within={area.code}",
        order=30,
    ),
    AreaLink(
        gettext_lazy("Households"),
        VIEW_HOUSEHOLD,
        lambda area: f"{reverse('household_list')}?within={area.code}",
        order=31,
    ),
    AreaLink(
        gettext_lazy("Key groups"),
        "people.view_keygroup",
        lambda area: reverse("key_group_summary", args=[area.code]),
        order=32,
    ),
    AreaLink(
        gettext_lazy("Import residents"),
        "people.add_importjob",
        lambda area: reverse("resident_import", args=[area.code]),
        levels=NEAR_PEOPLE,
        id="resident-import",
        order=60,
    ),
    AreaNotice("people.add_householdassignment", unassigned, levels=NEAR_PEOPLE, id="unassigned"),
    WorkerFact(
        gettext_lazy("households in their care"),
        VIEW_HOUSEHOLD,
        households_in_care,
        id="worker-households",
    ),
)
