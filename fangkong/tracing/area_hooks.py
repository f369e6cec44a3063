"""What tracing adds to the home page and the menu (`fangkong.areas.registry`): the open
tracing tasks of the community and grid workers' areas, and for those who manage cases the
cases, close and secondary contacts of their areas. Registered when `TracingConfig.ready()`
imports this module."""

from django.db.models import Count
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from fangkong.areas.models import Level
from fangkong.areas.registry import AreaLink, MenuLink, TodayCard, TodayLine, register
from fangkong.tracing.models import Case, Category, TracedPerson, TracingTask
from fangkong.tracing.permissions import VIEW_CASE, VIEW_PERSON, VIEW_TASK


def open_tasks_today(user, area, children):
    tasks = TracingTask.objects.visible_to(user, VIEW_TASK).within(area)
    open_count = tasks.filter(done_at=None).count()
    url = f"{reverse('tracing_tasks')}?state=open&within={area.code}"
    return [
        TodayLine(
            _("Open tracing tasks"),
            open_count,
            url,
            "warning" if open_count else "",
            id="today-tracing-tasks",
        )
    ], []


def tracing_today(user, area, children):
    cases = Case.objects.visible_to(user, VIEW_CASE).within(area).filter(ruled_out_on=None)
    persons = TracedPerson.objects.visible_to(user, VIEW_PERSON).within(area)
    counts = dict.fromkeys(Category.values, 0)
    rows = (
        persons.filter(category__in=[Category.CLOSE_CONTACT, Category.SECONDARY_CONTACT])
        .order_by()
        .values_list("category")
        .annotate(n=Count("pk"))
    )
    counts.update(rows)
    people = reverse("tracing_persons")
    return [
        TodayLine(
            _("Cases"),
            cases.count(),
            f"{reverse('tracing_cases')}?standing=true&within={area.code}",
            id="today-cases",
        ),
        TodayLine(
            _("Close contacts"),
            counts[Category.CLOSE_CONTACT],
            f"{people}?category=close_contact&within={area.code}",
            id="today-close-contacts",
        ),
        TodayLine(
            _("Secondary contacts"),
            counts[Category.SECONDARY_CONTACT],
            f"{people}?category=secondary_contact&within={area.code}",
            id="today-secondary-contacts",
        ),
    ], []


register(
    MenuLink(_("Cases and contacts"), VIEW_CASE, "tracing_cases", order=20, group="health"),
    MenuLink(_("Tracing tasks"), VIEW_TASK, "tracing_tasks", order=21, group="health"),
    AreaLink(
        _("Traced persons"),
        VIEW_PERSON,
        lambda area: f"{reverse('tracing_persons')}?within={area.code}",
        levels=(Level.COUNTY, Level.TOWNSHIP, Level.COMMUNITY, Level.GRID),
        id="link-tracing-persons",
        order=30,
    ),
    TodayCard(
        "tracing-tasks",
        _("Tracing tasks"),
        VIEW_TASK,
        open_tasks_today,
        levels=(Level.COMMUNITY, Level.GRID),
        order=8,
    ),
    TodayCard(
        "tracing",
        _("Cases and contacts"),
        VIEW_CASE,
        tracing_today,
        order=9,
    ),
)
