"""What other apps add to the pages of the areas app, registered in their `AppConfig.ready()`.

The areas app imports no feature app: an app that keeps records of places (households,
residents, plans …) says here what the area, building and worker pages show of them, each
thing behind the permission that reads it. `building_moved` tells them a building changed
grid, inside the transaction of the move.
"""

from dataclasses import dataclass

from django.dispatch import Signal
from django.utils.translation import gettext_lazy as _

# Sent by `save_building` when a building moves to another grid, inside its transaction:
# sender=Building, building (already saved in the new grid), source (the grid it left), actor.
building_moved = Signal()


@dataclass(frozen=True)
class ChildCount:
    """A column of the children table: records of `records(user, perm)` per child's subtree."""

    key: str
    label: object
    perm: str
    records: object  # (user, perm) -> scoped queryset
    count: object = None  # an aggregate, Count("*") unless given
    order: int = 50


@dataclass(frozen=True)
class BuildingCount:
    """A column of a grid's buildings table: an annotation over each building's records."""

    key: str
    label: object
    perm: str
    annotation: object  # () -> expression for Building querysets
    order: int = 50


@dataclass(frozen=True)
class AreaLink:
    """A button on an area's page to a list of the area's records."""

    label: object
    perm: str
    url: object  # area -> URL
    levels: tuple = ()  # empty: every level
    id: str = ""
    order: int = 50


@dataclass(frozen=True)
class AreaNotice:
    """A warning on an area's page: `notice(user, area)` gives (text, url) or None."""

    perm: str
    notice: object
    levels: tuple = ()
    id: str = ""


@dataclass(frozen=True)
class WorkerFact:
    """A line on a worker's page: `fact(user, worker)` gives (text, url)."""

    label: object
    perm: str
    fact: object
    id: str = ""


@dataclass(frozen=True)
class TodayLine:
    """One line of a home card: a figure (a count, or a short state such as 未报送) and the
    page that lists exactly what it counts, one tap away. `tone` colours it (danger,
    warning, success) when it asks for action."""

    label: object
    value: object
    url: str
    tone: str = ""
    id: str = ""


@dataclass(frozen=True)
class TodayColumn:
    """A column of a home page's table of child areas: `values` {child path: figure} and
    `url(child)`, the list of that child's records it counts."""

    label: object
    values: dict
    url: object
    tone: str = "danger"


# The menu's groups, in their order: a township supervisor is offered some forty pages, which
# a phone's menu cannot show as one list.
MENU_GROUPS = {
    "grid": _("Grid and people"),
    "health": _("Health and tracing"),
    "response": _("Emergency response"),
    "services": _("Services and supplies"),
    "community": _("Community life"),
    "reports": _("Reports and directives"),
    "workers": _("Workers"),
    "system": _("System"),
}


@dataclass(frozen=True)
class MenuLink:
    """An entry of the menu (includes/menu.html) to a page of an app, in one of
    `MENU_GROUPS`, shown to users whose roles grant `perm` ("app.codename"). A `query` naming
    `{worker}` is the user's own list, shown to users who are workers."""

    label: object
    perm: str
    url_name: str
    query: str = ""  # appended to the URL, e.g. "?mine=1"
    order: int = 50
    group: str = ""  # a key of MENU_GROUPS


@dataclass(frozen=True)
class TodayCard:
    """A card of the home page ("what today needs"), shown on the user's areas of `levels`
    where a role grants `perm`. `figures(user, area, children)` gives its `TodayLine`s and
    its `TodayColumn`s for the table of child areas (`children` is empty unless `by_child`
    and the area has children the user sees). Each figure is counted through
    `visible_to(user, perm)` with the permission of the list it links to, by the selector
    that list uses, so the list shows exactly that many."""

    id: str
    title: object
    perm: str
    figures: object
    levels: tuple = ()
    by_child: bool = False
    order: int = 50


_registered = {
    TodayCard: [],
    ChildCount: [],
    BuildingCount: [],
    AreaLink: [],
    AreaNotice: [],
    WorkerFact: [],
    MenuLink: [],
}


# kind of record -> record -> URL of its page, kept by another app (a building's households).
pages = {}


def register_page(kind, url):
    pages[kind] = url


def register(*items):
    for item in items:
        entries = _registered[type(item)]
        if item not in entries:
            entries.append(item)


def registered(kind):
    return sorted(_registered[kind], key=lambda item: getattr(item, "order", 50))
