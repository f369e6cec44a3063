"""A case's chain (传播链): everyone reached from the case by confirmed edges, to a chosen
degree (2 by default, up to 6 for history), as nodes and edges for the page's graph, its
table and its Excel export. Breadth first, one indexed query per degree; a page shows at
most PAGE_NODES nodes (in order of degree), so thousands of nodes stay usable.

Every node is shown, since the chain is the case's; a node the reader may not open (a
person living outside their scope) shows only a masked name and no link."""

import math
from dataclasses import dataclass, field

from fangkong.areas.models import Area
from fangkong.scope import scope_paths, system_scope
from fangkong.tracing.models import Contact, TracedPerson
from fangkong.tracing.permissions import VIEW_PERSON
from fangkong.tracing.selectors import by_ids, chunked, table

PAGE_NODES = 5000
MAX_DEPTH = 6
RING = 120  # the distance between degrees in the graph's layout


@dataclass
class Node:
    pk: int
    name: str
    degree: int
    category: str
    area: str
    visible: bool
    parent: int = None
    exposed_on: object = None
    setting: str = ""
    x: float = 0.0
    y: float = 0.0


@dataclass
class Chain:
    root: int
    nodes: list
    edges: list = field(default_factory=list)  # (source pk, person pk) among the nodes
    total: int = 0
    page: int = 1
    pages: int = 1
    depth: int = 2


def _masked(name):
    return (name[:1] + "*" * max(len(name) - 1, 1)) if name else "*"


def chain_of(user, person, depth=2, page=1):
    """The chain of `person` (a case) as `user` may see it."""
    depth = max(1, min(depth, MAX_DEPTH))
    found = {person.pk: (0, None, None, "")}
    edges = []
    frontier = [person.pk]
    with system_scope():
        for step in range(1, depth + 1):
            if not frontier:
                break
            nxt = []
            for chunk in chunked(frontier):
                rows = (
                    Contact.objects.filter(source_id__in=chunk, status=Contact.Status.CONFIRMED)
                    .order_by()
                    .values_list("source_id", "person_id", "exposed_on", "setting")
                )
                for source, target, exposed_on, setting in rows:
                    edges.append((source, target))
                    if target not in found:
                        found[target] = (step, source, exposed_on, setting)
                        nxt.append(target)
            frontier = nxt
    order = sorted(found, key=lambda pk: (found[pk][0], pk))
    pages = max(1, math.ceil(len(order) / PAGE_NODES))
    page = max(1, min(page, pages))
    shown = order[(page - 1) * PAGE_NODES : page * PAGE_NODES]
    nodes = _nodes(user, shown, found)
    index = {node.pk for node in nodes}
    chain = Chain(
        root=person.pk,
        nodes=nodes,
        edges=[(s, t) for s, t in edges if s in index and t in index],
        total=len(order),
        page=page,
        pages=pages,
        depth=depth,
    )
    _lay_out(chain)
    return chain


def _nodes(user, ids, found):
    """The nodes of `ids`: one raw read of the persons (the ORM prepared 5,000 ids one by one),
    their areas' names, and who the reader may open by the scope's own rule (`holds`: the
    person's path under a path where a role grants VIEW_PERSON), not by a second read."""
    with system_scope():
        rows = {
            pk: (name, category, area, path)
            for pk, name, category, area, path in by_ids(
                f"SELECT id, name, category, area_id, area_path FROM {table(TracedPerson)} "
                "WHERE id IN ({ids})",
                ids,
            )
        }
        areas = dict(
            Area.objects.filter(pk__in={row[2] for row in rows.values()}).values_list("pk", "name")
        )
    paths = scope_paths(user, VIEW_PERSON)
    nodes = []
    for pk in ids:
        name, category, area, path = rows[pk]
        degree, parent, exposed_on, setting = found[pk]
        visible = path.startswith(paths)
        nodes.append(
            Node(
                pk=pk,
                name=name if visible else _masked(name),
                degree=degree,
                category=category,
                area=areas[area],
                visible=visible,
                parent=parent,
                exposed_on=exposed_on,
                setting=setting,
            )
        )
    return nodes


def _lay_out(chain):
    """Rings by degree, each node in its parent's direction: a layout computed once here,
    so the page draws thousands of nodes without a force simulation."""
    angle = {}
    by_degree = {}
    for node in chain.nodes:
        by_degree.setdefault(node.degree, []).append(node)
    for degree in sorted(by_degree):
        ring = by_degree[degree]
        ring.sort(key=lambda n: (angle.get(n.parent, 0.0), n.pk))
        for i, node in enumerate(ring):
            a = 2 * math.pi * i / len(ring) if degree else 0.0
            angle[node.pk] = a
            node.x = round(RING * degree * math.cos(a), 1)
            node.y = round(RING * degree * math.sin(a), 1)
