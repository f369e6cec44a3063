"""The figures of the daily report, registered by the capability that knows them.

A capability (monitoring, verification, and those to come) registers a `Section` in its
app's `ready()`: the figures it adds and how to compute them for a community on a day. The
report code only iterates over the sections, so a new capability needs no change here.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from fangkong.scope import system_scope


@dataclass(frozen=True)
class Figure:
    """One number of the report. `group` heads a row of figures (a category's new,
    continuing and ended); `trend` puts it on the trend chart."""

    key: str
    label: str
    group: str = ""
    trend: bool = False
    # A standing count (workers trained, with a dose) is shown for context: whether anything
    # happened, and so whether a zero report is right, is judged without it.
    standing: bool = False


@dataclass(frozen=True)
class Section:
    """`figures()` lists the figures (it may read the database: categories are records);
    `compute(community, day, now)` returns {figure key: count} from the live records."""

    key: str
    title: str
    figures: Callable
    compute: Callable
    position: int = 0


_SECTIONS = {}


def register(section):
    _SECTIONS[section.key] = section


def sections():
    return sorted(_SECTIONS.values(), key=lambda s: (s.position, s.key))


@dataclass
class SectionFigures:
    """A section as a report shows it: its groups in order, each with (figure, value)."""

    section: Section
    groups: list = field(default_factory=list)


def catalogue():
    """Every section with its figures, listed once (a section may read them from the
    database: monitoring's categories are records)."""
    return [(section, section.figures()) for section in sections()]


def laid_out(values, listed=None):
    """The report's figures with their values, section by section, group by group.

    Keys a snapshot holds that no section lists any more (a figure since retired) are
    shown under their key, so no submitted number is ever hidden."""
    known = set()
    result = []
    for section, figures in listed or catalogue():
        shown = SectionFigures(section)
        for figure in figures:
            known.add(figure.key)
            if not shown.groups or shown.groups[-1][0] != figure.group:
                shown.groups.append((figure.group, []))
            shown.groups[-1][1].append((figure, values.get(figure.key, 0)))
        result.append(shown)
    retired = [Figure(key, key) for key in sorted(values) if key not in known]
    if retired:
        section = Section("retired", "—", lambda: retired, lambda *args: {}, 999)
        result.append(SectionFigures(section, [("", [(f, values[f.key]) for f in retired])]))
    return result


def all_figures(listed=None):
    return [figure for _section, figures in listed or catalogue() for figure in figures]


def something_happened(values, listed=None):
    """Whether a day's figures report anything: a zero report says they do not."""
    standing = {figure.key for figure in all_figures(listed) if figure.standing}
    return any(value for key, value in values.items() if key not in standing)


def compute(community, day, now):
    """The live figures of a community's day: every section's, in one dict.

    The caller has checked the reader's or sender's report permission on the community
    (`reports.view_dailyreport` or `add_dailyreport`): the figures are counts of the
    community's subtree, which a section reads with `area_path__under=community.path`."""
    values = {}
    # A section's records (plans, checks, tasks) are counted for the report, an act no
    # section's own permission names and that holds no actor (`compute(community, day,
    # now)` is the sections' contract): counts of one community the caller was allowed.
    with system_scope():
        for section in sections():
            values.update(section.compute(community, day, now))
    return values
