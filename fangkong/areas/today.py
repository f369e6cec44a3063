"""The home page: what today needs of the user, in each area where they hold a role.

The cards come from the apps that keep the records (`TodayCard` in `fangkong.areas.registry`,
registered in their `ready()`); this module only picks those the user's roles grant on each
area and lays their figures out, with a table by child area above the grids."""

from dataclasses import dataclass, field

from fangkong.areas.models import Area, Level
from fangkong.areas.registry import TodayCard, registered
from fangkong.areas.selectors import VIEW_AREA
from fangkong.scope import holds, role_areas


@dataclass
class ChildRow:
    area: Area
    cells: list = field(default_factory=list)  # (column, value, url, tone)


@dataclass
class Section:
    """One area of the user's roles and what today needs there."""

    area: Area
    cards: list = field(default_factory=list)  # (card, lines)
    columns: list = field(default_factory=list)
    rows: list = field(default_factory=list)


def cards_for(user, area):
    return [
        card
        for card in registered(TodayCard)
        if (not card.levels or area.level in card.levels) and holds(user, card.perm, area.path)
    ]


def sections_areas(user):
    """The areas the user holds a role on, top first (a volunteer of a community who is grid
    worker of one of its grids has both: each role's work is on its own area). Read with the
    roles: no query of their own."""
    areas = role_areas(user)
    return [areas[path] for path in sorted(areas)]


def cell(column, child):
    value = column.values.get(child.path, 0)
    if isinstance(value, tuple):
        value, tone = value
    else:
        tone = column.tone if value else ""
    return column, value, column.url(child), tone


def section(user, area):
    cards = cards_for(user, area)
    children = []
    if area.level != Level.GRID and any(card.by_child for card in cards):
        children = list(
            Area.objects.visible_to(user, VIEW_AREA).filter(parent=area).order_by("code")
        )
    found = Section(area)
    for card in cards:
        lines, columns = card.figures(user, area, children)
        if lines:
            found.cards.append((card, lines))
        found.columns += columns
    if found.columns:
        found.rows = [
            ChildRow(child, [cell(column, child) for column in found.columns]) for child in children
        ]
    return found


def today_sections(user):
    return [section(user, area) for area in sections_areas(user)]
