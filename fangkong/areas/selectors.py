"""Reads of the area tree: querysets named for what they select."""

from django.db.models import Count, Prefetch
from django.db.models.functions import Substr

from fangkong.areas.models import Area, Building, Level, Role, Worker
from fangkong.areas.scope import scope_paths


def home_areas(user):
    """The top areas of the user's scope: where their home pages are."""
    paths = scope_paths(user)
    if not paths:
        return []
    return list(Area.objects.visible_to(user).filter(path__in=paths))


def breadcrumbs(area):
    """The area's ancestors and itself, root first. Names of ancestors are public knowledge."""
    return list(Area.all_objects.filter(code__in=area.ancestor_codes()).order_by("path"))


def counts_by_child(queryset, area, children, count=None):
    """Per child area, how many records of `queryset` lie in its subtree: one grouped query."""
    if not children:
        return {}
    field = queryset.model.scope_path_field
    prefix_length = len(children[0].path)
    rows = (
        queryset.filter(**{f"{field}__under": area.path})
        .annotate(child_path=Substr(field, 1, prefix_length))
        .values("child_path")
        .annotate(n=count or Count("pk"))
        .order_by()
    )
    return {row["child_path"]: row["n"] for row in rows}


def child_summaries(area):
    """The children of an area with their counts of grids, buildings, households, residents, workers.

    The caller has already fetched `area` through the user's scope; its subtree is in scope.
    """
    from fangkong.people.models import Household, Resident

    children = list(Area.all_objects.filter(parent=area).order_by("code"))
    counts = {
        "grids": counts_by_child(Area.all_objects.filter(level=Level.GRID), area, children),
        "buildings": counts_by_child(Building.all_objects.all(), area, children),
        "households": counts_by_child(Household.all_objects.all(), area, children),
        "residents": counts_by_child(Resident.all_objects.all(), area, children),
        # A worker counts where they hold a role: grid workers in their grid.
        "workers": counts_by_child(
            Role.all_objects.filter(worker__is_active=True),
            area,
            children,
            count=Count("worker", distinct=True),
        ),
    }
    for child in children:
        child.counts = {name: by_path.get(child.path, 0) for name, by_path in counts.items()}
    return children


def workers_with_visible_roles(user):
    """The workers the user sees, each with only those of their roles that lie in the scope."""
    return (
        Worker.objects.visible_to(user)
        .select_related("area")
        .prefetch_related(
            Prefetch("roles", queryset=Role.objects.visible_to(user).select_related("area"))
        )
    )
