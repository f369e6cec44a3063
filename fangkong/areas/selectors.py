"""Reads of the area tree: querysets named for what they select."""

from django.db.models import Count, Prefetch, Value
from django.db.models.functions import Substr

from fangkong.areas.models import Area, Building, Level, Role, Worker
from fangkong.areas.registry import BuildingCount, ChildCount, pages, registered
from fangkong.scope import holds, role_areas, scope_paths, system_scope

VIEW_AREA = "areas.view_area"
VIEW_BUILDING = "areas.view_building"
VIEW_WORKER = "areas.view_worker"
VIEW_ROLE = "areas.view_role"

# SQLite allows 500 terms in one compound SELECT.
UNION_SIZE = 400


def home_areas(user):
    """The top areas of the user's scope: where their home pages are. Each is the area of one
    of the user's roles, read with the roles (no query of its own: every page's menu shows them)."""
    areas = role_areas(user)
    return [areas[path] for path in scope_paths(user, VIEW_AREA)]


def breadcrumbs(area):
    """The area's ancestors and itself, root first. Names of ancestors are public knowledge,
    read whole in one query (their paths are the prefixes of the area's; following the
    `parent` links cost a query per level on every area's page); whether a crumb is a link
    (only inside the reader's areas) is the template's `area_link` to decide."""
    prefixes = [area.path[: i + 1] for i, c in enumerate(area.path[:-1]) if c == "/" and i]
    with system_scope():
        return [*Area.objects.filter(path__in=prefixes).order_by("path"), area]


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


def counts_by_sibling(queryset, children, count=None, by=()):
    """`counts_by_child` in one GROUP BY over the parent's subtree when the children are
    siblings (their paths are as long, so a record's child is the start of its path).

    Building a UNION ALL of one counting query per child cost about 1 ms of Python a child
    (150 ms for a street's 36 communities) for queries that read the same rows; the day's
    plans and checks of a street are few enough (thousands) to group in one pass."""
    parents = {c.path.rstrip("/").rsplit("/", 1)[0] for c in children}
    lengths = {len(c.path) for c in children}
    if len(parents) != 1 or len(lengths) != 1:
        return counts_by_child(queryset, children, count=count, by=by)
    field = queryset.model.scope_path_field
    by = (by,) if isinstance(by, str) else tuple(by or ())
    # One child (a community's own report) reads its own subtree, not its parent's.
    subtree = children[0].path if len(children) == 1 else parents.pop() + "/"
    rows = (
        queryset.filter(**{f"{field}__under": subtree})
        .annotate(child=Substr(field, 1, lengths.pop()))
        .values("child", *by)
        .annotate(n=count or Count("*"))
        .values_list("child", *by, "n")
        .order_by()
    )
    paths = {c.path for c in children}
    return {(tuple(key) if by else key[0]): n for *key, n in rows if key[0] in paths}


def child_counts():
    """The columns of the children table: the areas app's own, then those other apps registered."""
    return [
        ChildCount(
            "grids",
            Level.GRID.label,
            VIEW_AREA,
            lambda user, perm: Area.objects.visible_to(user, perm).filter(level=Level.GRID),
            order=10,
        ),
        ChildCount(
            "buildings",
            Building._meta.verbose_name_plural,
            VIEW_BUILDING,
            lambda user, perm: Building.objects.visible_to(user, perm),
            order=20,
        ),
        *registered(ChildCount),
        # A worker counts where they hold a role: grid workers in their grid.
        ChildCount(
            "workers",
            Worker._meta.verbose_name_plural,
            VIEW_ROLE,
            lambda user, perm: Role.objects.visible_to(user, perm).filter(worker__is_active=True),
            count=Count("worker", distinct=True),
            order=90,
        ),
    ]


def child_summaries(area, user):
    """The children of an area (fetched through the user's scope) with a count per column the
    user's roles may read there; `columns` are those columns."""
    children = list(Area.objects.visible_to(user, VIEW_AREA).filter(parent=area).order_by("code"))
    columns = [
        c
        for c in child_counts()
        # Below a community come grids: a count of grids per grid says nothing.
        if holds(user, c.perm, area.path)
        and not (c.key == "grids" and area.child_level == Level.GRID)
    ]
    counts = {
        column.key: counts_by_child(column.records(user, column.perm), children, column.count)
        for column in columns
    }
    for child in children:
        child.counts = {name: by_path.get(child.path, 0) for name, by_path in counts.items()}
        child.count_list = [child.counts[column.key] for column in columns]
    return children, columns


def buildings_with_counts(grid, user):
    """The buildings of a grid with the counts other apps registered that the user may read
    there (their records lie in the grid, so the grid's permission is the records')."""
    columns = [c for c in registered(BuildingCount) if holds(user, c.perm, grid.path)]
    buildings = (
        Building.objects.visible_to(user, VIEW_BUILDING)
        .filter(area=grid)
        .select_related("responsible_worker")
        .annotate(**{column.key: column.annotation() for column in columns})
        .order_by("name")
    )
    buildings = list(buildings)
    page = pages.get("building")
    for building in buildings:
        building.count_list = [getattr(building, column.key) for column in columns]
        building.page_url = page(building) if page else ""
    return buildings, columns


def workers_of_areas(user):
    """The workers of the user's areas: those serving in them, and those holding a role in them
    (a grid's workers serve in its community, so a grid worker sees them by their roles).

    Both halves are the scope of `areas.view_worker`: the second is a subquery of the roles
    lying in that scope."""
    roles_here = Role.objects.visible_to(user, VIEW_WORKER).values("worker_id")
    return Worker.objects.visible_to(user, VIEW_WORKER) | Worker.objects.filter(pk__in=roles_here)


def workers_with_visible_roles(user):
    """The workers of the user's areas, each with only those of their roles in the scope."""
    return (
        workers_of_areas(user)
        .select_related("area")
        .prefetch_related(
            Prefetch(
                "roles",
                queryset=Role.objects.visible_to(user, VIEW_ROLE).select_related("area"),
                to_attr="visible_roles",
            )
        )
    )


def all_roles_of(worker):
    """Every role of a worker, in every area: what deciding whether someone outranks them needs.

    Read in the system scope because a role outside the reader's subtree must count too:
    hidden, it would let a community worker change a worker who is also a township supervisor.
    Only kinds and areas leave this function, for the rank check, never to a page."""
    with system_scope():
        return list(worker.roles.select_related("area"))
