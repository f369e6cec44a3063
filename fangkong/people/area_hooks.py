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
    MenuLink,
    TodayCard,
    TodayColumn,
    TodayLine,
    WorkerFact,
    building_moved,
    register,
    register_page,
)
from fangkong.areas.selectors import counts_by_child
from fangkong.people.models import Household, Resident
from fangkong.people.selectors import in_care_of, residents_unplaced, unassigned
from fangkong.people.services import follow_households
from fangkong.scope import holds

VIEW_HOUSEHOLD = "people.view_household"
VIEW_RESIDENT = "people.view_resident"
ASSIGN = "people.add_householdassignment"
PLACE = "people.change_resident"
NEAR_PEOPLE = (Level.COMMUNITY, Level.GRID)


MOVE = "areas.change_building"


@receiver(building_moved)
def households_follow_their_building(sender, *, building, source, actor, **kwargs):
    """Every household of the building moves with it: `save_building` checked that the actor
    may change buildings in both grids, and that scope holds all that is recorded there."""
    households = Household.objects.visible_to(actor, MOVE).filter(building=building)
    follow_households(households, building.area, actor=actor, perm=MOVE)


def unassigned_url(area):
    return f"{reverse('household_list')}?within={area.code}&unassigned=true"


def in_care_url(worker):
    return f"{reverse('household_list')}?worker={worker.pk}"


def unassigned_notice(user, area):
    n = unassigned(Household.objects.visible_to(user, VIEW_HOUSEHOLD)).within(area).count()
    if not n:
        return None
    text = ngettext(
        "%(n)d household has no responsible worker.",
        "%(n)d households have no responsible worker.",
        n,
    ) % {"n": n}
    return text, unassigned_url(area)


def unplaced_url(area):
    return f"{reverse('resident_list')}?within={area.code}&unplaced=true"


def unplaced_notice(user, area):
    """The people waiting for a household (待落户) here, for whoever places them."""
    n = residents_unplaced(user, area).count()
    if not n:
        return None
    text = ngettext(
        "%(n)d person is waiting to be placed in a household.",
        "%(n)d people are waiting to be placed in a household.",
        n,
    ) % {"n": n}
    return text, unplaced_url(area)


def households_in_care(user, worker):
    n = in_care_of(Household.objects.visible_to(user, VIEW_HOUSEHOLD), worker).count()
    return str(n), in_care_url(worker)


def today(user, area, children):
    """我包联的住户 for whoever is responsible for households; for those who place people, who
    waits for a household (待落户); for those who assign households, those nobody is
    responsible for, by grid in a community."""
    households = Household.objects.visible_to(user, VIEW_HOUSEHOLD)
    lines, columns = [], []
    worker = getattr(user, "worker", None)
    if worker is not None:
        n = in_care_of(households, worker).count()
        lines.append(
            TodayLine(
                gettext_lazy("My households"), n, in_care_url(worker), id="today-my-households"
            )
        )
    if holds(user, PLACE, area.path):
        n = residents_unplaced(user, area).count()
        lines.append(
            TodayLine(
                gettext_lazy("Waiting for a household"),
                n,
                unplaced_url(area),
                "warning" if n else "",
                id="today-unplaced",
            )
        )
    if holds(user, ASSIGN, area.path):
        n = unassigned(households).within(area).count()
        lines.append(
            TodayLine(
                gettext_lazy("Households without a responsible worker"),
                n,
                unassigned_url(area),
                "warning" if n else "",
                id="today-unassigned",
            )
        )
        if children:
            columns.append(
                TodayColumn(
                    gettext_lazy("Unassigned households"),
                    counts_by_child(unassigned(households), children),
                    unassigned_url,
                    tone="warning",
                )
            )
    return lines, columns


register_page("building", lambda building: reverse("building_detail", args=[building.pk]))
register(
    MenuLink(
        pgettext_lazy("registry", "Residents"),
        VIEW_RESIDENT,
        "resident_list",
        order=1,
        group="grid",
    ),
    MenuLink(
        gettext_lazy("My households"),
        VIEW_RESIDENT,
        "household_list",
        query="?worker={worker}",
        order=2,
        group="grid",
    ),
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
    AreaNotice(ASSIGN, unassigned_notice, levels=NEAR_PEOPLE, id="unassigned"),
    TodayCard(
        "households",
        gettext_lazy("Household care"),
        VIEW_HOUSEHOLD,
        today,
        levels=NEAR_PEOPLE,
        by_child=True,
        order=20,
    ),
    AreaNotice(PLACE, unplaced_notice, levels=NEAR_PEOPLE, id="unplaced"),
    WorkerFact(
        gettext_lazy("households in their care"),
        VIEW_HOUSEHOLD,
        households_in_care,
        id="worker-households",
    ),
)
