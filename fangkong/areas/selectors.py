"""Reads of the area tree: querysets named for what they select."""

from django.db.models import Count, Prefetch, Value

from fangkong.areas.models import Area, Building, Level, Role, Worker
from fangkong.areas.scope import scope_paths

# SQLite allows 500 terms in one compound SELECT.
UNION_SIZE = 400


def home_areas(user):
    """The top areas of the user's scope: where their home pages are."""
    paths = scope_paths(user)
    if not paths:
        return []
    return list(Area.objects.visible_to(user).filter(path__in=paths))


def breadcrumbs(area):
    """The area's ancestors and itself, root first. Names of ancestors are public knowledge."""
    return list(Area.all_objects.filter(code__in=area.ancestor_codes()).order_by("path"))


def counts_by_child(queryset, children, count=None, by=None):
    """Per child area, how many records of `queryset` lie in its subtree; with `by`, per child
    and value of that field ({(path, value): n}), or of those fields if `by` is a tuple.

    One query: a count per child over its range of the path index, glued with UNION ALL,
    which both databases answer from the index alone (a GROUP BY over a substring of the
    path reads and sorts every row of the parent's subtree instead: 5x slower at 10⁶).
    """
    field = queryset.model.scope_path_field
    group = ["child", *((by,) if isinstance(by, str) else by or ())]
    parts = [
        queryset.filter(**{f"{field}__under": child.path})
        .annotate(child=Value(child.path))
        .values(*group)
        .annotate(n=count or Count("*"))
        .values_list(*group, "n")
        .order_by()
        for child in children
    ]
    counts = {}
    for start in range(0, len(parts), UNION_SIZE):
        first, *rest = parts[start : start + UNION_SIZE]
        for *key, n in first.union(*rest, all=True):
            counts[tuple(key) if by else key[0]] = n
    return counts


def child_summaries(area):
    """The children of an area with their counts of grids, buildings, households, residents, workers.

    The caller has already fetched `area` through the user's scope; its subtree is in scope.
    """
    from fangkong.people.models import Household, Resident

    children = list(Area.all_objects.filter(parent=area).order_by("code"))
    counts = {
        "grids": counts_by_child(Area.all_objects.filter(level=Level.GRID), children),
        "buildings": counts_by_child(Building.all_objects.all(), children),
        "households": counts_by_child(Household.all_objects.all(), children),
        "residents": counts_by_child(Resident.all_objects.all(), children),
        # A worker counts where they hold a role: grid workers in their grid.
        "workers": counts_by_child(
            Role.all_objects.filter(worker__is_active=True),
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
