"""What gatherings, meetings and sanitation add to the home page, the menu and the area
pages (`fangkong.areas.registry`): each worker's overdue and open sanitation tasks; in each
area the gatherings to follow up and the sanitation tasks overdue and without an owner, per
child area. Each card takes a fixed number of queries (one aggregate per table and one per
column), whatever the number of children. The planned meetings a risen level now forbids are
flagged on the meetings list (`state=now_refused`), not counted here: that asks the level of
every place holding one."""

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fangkong.areas.registry import AreaLink, MenuLink, TodayCard, TodayColumn, TodayLine, register
from fangkong.areas.selectors import counts_by_sibling
from fangkong.gatherings import selectors
from fangkong.gatherings.permissions import (
    DO_TASK,
    VIEW_CAMPAIGN,
    VIEW_GATHERING,
    VIEW_MEETING,
    VIEW_TASK,
)


def task_counts(tasks):
    """(overdue, open, without an owner) of `tasks`, in one query."""
    today = timezone.localdate()
    counts = tasks.filter(done_on=None).aggregate(
        overdue=Count("id", filter=Q(due_on__lt=today)),
        open=Count("id"),
        nobody=Count("id", filter=Q(owner=None)),
    )
    return counts["overdue"], counts["open"], counts["nobody"]


def mine_today(user, area, children):
    """The user's own overdue and open sanitation tasks; no card when they own none open."""
    overdue, still_open, _nobody = task_counts(
        selectors.mine(selectors.tasks(user).within(area), user)
    )
    if not still_open:
        return [], []
    url = reverse("sanitation_tasks")
    return [
        TodayLine(
            _("My overdue sanitation tasks"),
            overdue,
            f"{url}?mine=1&state=overdue",
            "danger" if overdue else "",
            id="today-sanitation-mine-overdue",
        ),
        TodayLine(
            _("My open sanitation tasks"),
            still_open,
            f"{url}?mine=1&state=open",
            id="today-sanitation-mine-open",
        ),
    ], []


def area_today(user, area, children):
    scoped_gatherings = selectors.gatherings(user).within(area)
    follow = selectors.to_follow_up(scoped_gatherings)
    gatherings, tasks = reverse("gathering_list"), reverse("sanitation_tasks")
    lines = [
        TodayLine(
            _("Gatherings to follow up"),
            follow.count(),
            f"{gatherings}?within={area.code}&state=follow_up",
            "warning",
            id="today-gatherings-follow-up",
        ),
        TodayLine(
            _("Families' reports to confirm"),
            selectors.reported(scoped_gatherings).count(),
            f"{gatherings}?within={area.code}&state=reported",
            "warning",
            id="today-gatherings-reported",
        ),
    ]
    columns = []
    if children:
        columns.append(
            TodayColumn(
                _("Gatherings to follow up"),
                counts_by_sibling(follow.order_by(), children),
                lambda child: f"{gatherings}?within={child.code}&state=follow_up",
                tone="warning",
            )
        )
    if user.has_perm(VIEW_TASK, area):
        scoped = selectors.tasks(user).within(area)
        overdue, _open, nobody = task_counts(scoped)
        lines += [
            TodayLine(
                _("Sanitation tasks overdue"),
                overdue,
                f"{tasks}?within={area.code}&state=overdue",
                "danger",
                id="today-sanitation-overdue",
            ),
            TodayLine(
                _("Sanitation tasks without an owner"),
                nobody,
                f"{tasks}?within={area.code}&state=unassigned",
                "warning",
                id="today-sanitation-unassigned",
            ),
        ]
        if children:
            columns.append(
                TodayColumn(
                    _("Sanitation tasks overdue"),
                    counts_by_sibling(selectors.overdue(scoped).order_by(), children),
                    lambda child: f"{tasks}?within={child.code}&state=overdue",
                )
            )
    return lines, columns


register(
    MenuLink(_("Gatherings"), VIEW_GATHERING, "gathering_list", order=40, group="community"),
    MenuLink(_("Meetings"), VIEW_MEETING, "meeting_list", order=41, group="community"),
    MenuLink(_("Sanitation tasks"), VIEW_TASK, "sanitation_tasks", order=42, group="community"),
    MenuLink(
        _("Sanitation campaigns"),
        VIEW_CAMPAIGN,
        "sanitation_campaigns",
        order=43,
        group="community",
    ),
    AreaLink(
        _("Gatherings and sanitation"),
        VIEW_GATHERING,
        lambda area: reverse("gatherings_summary", args=[area.code]),
        id="link-gatherings-summary",
        order=40,
    ),
    TodayCard("sanitation-mine", _("My sanitation tasks"), DO_TASK, mine_today, order=14),
    TodayCard(
        "gatherings-area",
        _("Gatherings and sanitation"),
        VIEW_GATHERING,
        area_today,
        by_child=True,
        order=15,
    ),
)
