"""What risk levels add to the area pages and the home page (`fangkong.areas.registry`): the
area's effective level when raised, its traits, a link to its levels and history, and for
supervisors the areas at medium or high risk and the step downs waiting for them; the plan
and the response of the area, the response active there, the open measure tasks of their
owners and, for supervisors, the active responses and overdue tasks below. Registered when
`ResponseConfig.ready()` imports this module."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from fangkong.areas.models import Level
from fangkong.areas.registry import (
    AreaLink,
    AreaNotice,
    MenuLink,
    TodayCard,
    TodayColumn,
    TodayLine,
    register,
)
from fangkong.areas.selectors import counts_by_sibling
from fangkong.response import selectors
from fangkong.response.permissions import SET_LEVEL, VIEW, VIEW_PLAN, VIEW_RESPONSE, VIEW_TASK


def level_notice(user, area):
    effective = selectors.effective_level(area)
    if not effective.raised:
        return None
    source = effective.source.place
    text = _("Effective risk level: %(level)s (set on %(place)s since %(day)s)") % {
        "level": effective.label,
        "place": source.name,
        "day": effective.source.since.isoformat(),
    }
    return text, reverse("risk_area", args=[area.code])


def traits_notice(user, area):
    traits = selectors.traits_of(user, area)
    if not traits:
        return None
    names = "、".join(str(trait.get_kind_display()) for trait in traits)
    return _("Traits: %(traits)s") % {"traits": names}, reverse("risk_area", args=[area.code])


def today(user, area, children):
    board = f"{reverse('risk_board')}?within={area.code}"
    levels = selectors.current_levels(user).within(area)
    raised = selectors.raised(levels).count()
    waiting = selectors.proposals(levels).count()
    return [
        TodayLine(
            _("Areas at medium or high risk"),
            raised,
            board,
            "danger" if raised else "",
            id="today-risk-raised",
        ),
        TodayLine(
            _("Step downs to confirm"),
            waiting,
            f"{board}&proposals=1",
            "warning" if waiting else "",
            id="today-risk-proposals",
        ),
    ], []


def response_notice(user, area):
    response = selectors.active_response(area)
    if response is None:
        return None
    text = _("Emergency response active: %(level)s (on %(place)s)") % {
        "level": response.get_level_display(),
        "place": response.place.name,
    }
    return text, reverse("response_area", args=[area.code])


def my_tasks_today(user, area, children):
    """The open measure tasks the user owns in the area, and how many are overdue; nothing
    when they own none (the card is then not shown)."""
    mine = selectors.my_tasks(user).within(area)
    open_count = mine.count()
    if not open_count:
        return [], []
    late = selectors.overdue(mine).count()
    tasks = reverse("response_tasks")
    return [
        TodayLine(_("My open measure tasks"), open_count, f"{tasks}?mine=1", id="today-my-tasks"),
        TodayLine(
            _("Overdue"),
            late,
            f"{tasks}?mine=1&overdue=1",
            "danger" if late else "",
            id="today-my-tasks-overdue",
        ),
    ], []


def responses_url(area):
    return f"{reverse('response_list')}?within={area.code}"


def responses_today(user, area, children):
    """The active responses and overdue tasks below a supervisor's area, and the active
    responses of each child area (one grouped query, however many children)."""
    responses = selectors.active_responses(user)
    active = responses.within(area).count()
    late = selectors.overdue(selectors.tasks(user).within(area)).count()
    return [
        TodayLine(
            _("Active emergency responses"),
            active,
            responses_url(area),
            "danger" if active else "",
            id="today-responses",
        ),
        TodayLine(
            _("Overdue measure tasks"),
            late,
            f"{reverse('response_tasks')}?overdue=1&within={area.code}",
            "danger" if late else "",
            id="today-response-tasks-overdue",
        ),
    ], (
        [
            TodayColumn(
                _("Emergency responses"), counts_by_sibling(responses, children), responses_url
            )
        ]
        if children
        else []
    )


register(
    MenuLink(_("Risk levels"), VIEW, "risk_board", order=10, group="response"),
    MenuLink(_("Measure tasks"), VIEW_TASK, "response_tasks", order=11, group="response"),
    MenuLink(_("Emergency responses"), VIEW_RESPONSE, "response_list", order=12, group="response"),
    AreaLink(
        _("Response plan"),
        VIEW_PLAN,
        lambda area: reverse("response_plan", args=[area.code]),
        id="link-response-plan",
        order=16,
    ),
    AreaLink(
        _("Emergency response"),
        VIEW_RESPONSE,
        lambda area: reverse("response_area", args=[area.code]),
        id="link-response",
        order=17,
    ),
    AreaNotice(VIEW_RESPONSE, response_notice, id="response-active"),
    TodayCard("response-tasks", _("My measure tasks"), VIEW_TASK, my_tasks_today, order=7),
    TodayCard(
        "responses",
        _("Emergency responses"),
        SET_LEVEL,
        responses_today,
        levels=(Level.PROVINCE, Level.CITY, Level.COUNTY, Level.TOWNSHIP),
        by_child=True,
        order=9,
    ),
    AreaLink(_("Risk level"), VIEW, lambda area: reverse("risk_area", args=[area.code]), order=15),
    AreaNotice(VIEW, level_notice, id="risk-level"),
    AreaNotice(VIEW, traits_notice, id="risk-traits-notice"),
    TodayCard(
        "risk",
        _("Risk levels"),
        SET_LEVEL,
        today,
        levels=(Level.PROVINCE, Level.CITY, Level.COUNTY, Level.TOWNSHIP),
        order=8,
    ),
)
