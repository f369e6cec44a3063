"""What subsidies add to the menu, the area pages and a worker's page
(`fangkong.areas.registry`)."""

from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from fangkong.areas.models import Level
from fangkong.areas.registry import (
    AreaLink,
    MenuLink,
    TodayCard,
    TodayLine,
    WorkerFact,
    register,
)
from fangkong.subsidies import periods, selectors
from fangkong.subsidies.models import Subsidy
from fangkong.subsidies.permissions import REVIEW, VIEW, VIEW_RULES


def latest_subsidy(user, worker):
    """The worker's latest subsidy: its period, days and amount."""
    subsidy = selectors.of_worker(user, worker).order_by("-period_start").first()
    if subsidy is None:
        return gettext("none"), ""
    text = gettext("%(period)s: %(days)d days, %(amount)s yuan (%(status)s)") % {
        "period": periods.label(subsidy.period, subsidy.period_start),
        "days": subsidy.days,
        "amount": subsidy.final_amount,
        "status": subsidy.get_status_display(),
    }
    return text, reverse("subsidy_detail", args=[subsidy.pk])


def to_review_today(user, area, children):
    """The subsidies of the area waiting for a supervisor's review; no line when none."""
    count = (
        selectors.subsidies(user, REVIEW).within(area).filter(status=Subsidy.Status.PENDING).count()
    )
    if not count:
        return [], []
    url = reverse("subsidy_list") + f"?within={area.code}&status=pending"
    return [
        TodayLine(_("Subsidies to review"), count, url, "warning", id="today-subsidies-review")
    ], []


register(
    TodayCard(
        "subsidies-review",
        _("Subsidies"),
        REVIEW,
        to_review_today,
        levels=(Level.COUNTY, Level.TOWNSHIP),
        order=69,
    ),
    MenuLink(_("Subsidies"), VIEW, "subsidy_list", order=60, group="workers"),
    AreaLink(
        _("Subsidies"),
        VIEW,
        lambda area: reverse("subsidy_list") + f"?within={area.code}",
        levels=(Level.COUNTY, Level.TOWNSHIP, Level.COMMUNITY),
        id="link-subsidies",
        order=60,
    ),
    AreaLink(
        _("Subsidy rules"),
        VIEW_RULES,
        lambda area: reverse("subsidy_rules", args=[area.code]),
        levels=(Level.COUNTY,),
        id="link-subsidy-rules",
        order=61,
    ),
    WorkerFact(_("latest subsidy"), VIEW, latest_subsidy, id="worker-subsidy"),
)
