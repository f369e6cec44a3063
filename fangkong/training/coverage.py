"""Coverage of workers rolled up an area and its children: of the active workers of each
role (or affiliation), how many have a mark (trained in the period, vaccinated …).

Used by trainings and by vaccination (docs/training.md). The groups are the role kinds the
workers hold (a worker with two roles counts under each; a role on the area itself, e.g. a
township's medical worker, counts in the area's total only) or the workers' affiliations
(social workers are an affiliation, not a role). Two queries whatever the number of
children: one over the area's subtree per group, one grouped by child and group.
"""

from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.db.models.functions import Substr

from fangkong.areas.models import Role, RoleKind, Worker

BY_ROLE, BY_AFFILIATION = "role", "affiliation"


@dataclass
class Cell:
    workers: int = 0
    marks: dict = field(default_factory=dict)

    def share(self, mark):
        """The percentage of the workers with `mark` (None: no worker to count)."""
        return round(100 * self.marks.get(mark, 0) / self.workers) if self.workers else None


@dataclass
class Line:
    area: object
    cells: dict  # group value -> Cell

    def total(self, group):
        return self.cells.get(group, Cell())


@dataclass
class Coverage:
    groups: list  # [(value, label)]
    marks: list  # [name]
    area: Line
    children: list  # [Line]

    def lines(self):
        """The area, then each child, as rows for a table: (area, [(workers, [(count,
        percentage) per mark]) per group])."""
        return [
            (
                line.area,
                [
                    (cell.workers, [(cell.marks.get(m, 0), cell.share(m)) for m in self.marks])
                    for cell in (line.total(value) for value, _label in self.groups)
                ],
            )
            for line in (self.area, *self.children)
        ]


def groups_of(by):
    if by == BY_AFFILIATION:
        return Worker, "id", "affiliation", Worker.Affiliation.choices
    return Role, "worker", "kind", RoleKind.choices


def rows_of(records, by):
    """Active workers' rows (roles or workers) of a scoped queryset of Role or Worker."""
    active = "is_active" if by == BY_AFFILIATION else "worker__is_active"
    return records.filter(**{active: True}).order_by()


def roll_up(rows, area, children, *, by, marks):
    """`rows`: the scoped active rows (`rows_of`); `marks`: {name: queryset of worker ids}."""
    _model, worker, group, choices = groups_of(by)
    counts = {"workers": Count(worker, distinct=True)} | {
        name: Count(worker, distinct=True, filter=Q(**{f"{worker}__in": ids}))
        for name, ids in marks.items()
    }
    rows = rows.within(area)
    whole = {row[group]: row for row in rows.values(group).annotate(**counts)}
    per_child = {}
    lengths = {len(c.path) for c in children}
    if len(lengths) == 1:
        prefix = Substr(rows.model.scope_path_field, 1, lengths.pop())
        for row in rows.annotate(child=prefix).values("child", group).annotate(**counts):
            per_child.setdefault(row["child"], {})[row[group]] = row

    def cells(found):
        return {
            value: Cell(row["workers"], {name: row[name] for name in marks})
            for value, row in found.items()
        }

    present = [(value, label) for value, label in choices if value in whole]
    return Coverage(
        groups=present,
        marks=list(marks),
        area=Line(area, cells(whole)),
        children=[Line(child, cells(per_child.get(child.path, {}))) for child in children],
    )
