"""What verification adds to the home page (`fangkong.areas.registry`): the open tasks of an
area and those past their deadline, by child area above a grid. Registered when
`VerificationConfig.ready()` imports this module."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from fangkong.areas.registry import MenuLink, TodayCard, TodayColumn, TodayLine, register
from fangkong.areas.selectors import counts_by_sibling
from fangkong.verification.selectors import LIST_VIEW, TASK_VIEW, open_tasks, overdue


def tasks_url(area, overdue_only=False):
    url = f"{reverse('verification_task_list')}?within={area.code}"
    return f"{url}&overdue=1" if overdue_only else url


def overdue_url(area):
    return tasks_url(area, overdue_only=True)


def today(user, area, children):
    tasks = open_tasks(user)
    late = overdue(tasks)
    n_open = tasks.within(area).count()
    n_late = late.within(area).count()
    lines = [
        TodayLine(_("Open tasks"), n_open, tasks_url(area), "primary" if n_open else ""),
        TodayLine(
            _("Overdue"), n_late, overdue_url(area), "danger" if n_late else "", id="today-overdue"
        ),
    ]
    columns = []
    if children:
        columns.append(
            TodayColumn(_("Overdue tasks"), counts_by_sibling(late, children), overdue_url)
        )
    return lines, columns


register(
    MenuLink(
        _("Verification lists"), LIST_VIEW, "verification_list_index", order=10, group="health"
    ),
    MenuLink(
        _("My verification tasks"),
        "verification.change_verificationtask",
        "verification_task_list",
        order=11,
        group="health",
    ),
    TodayCard("verification", _("Verification tasks"), TASK_VIEW, today, by_child=True, order=30),
)
