"""What other apps add to the pages of the areas app, registered in their `AppConfig.ready()`.

The areas app imports no feature app: an app that keeps records of places (households,
residents, plans …) says here what the area, building and worker pages show of them, each
thing behind the permission that reads it. `building_moved` tells them a building changed
grid, inside the transaction of the move.
"""

from dataclasses import dataclass

from django.dispatch import Signal

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


_registered = {
    ChildCount: [],
    BuildingCount: [],
    AreaLink: [],
    AreaNotice: [],
    WorkerFact: [],
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
