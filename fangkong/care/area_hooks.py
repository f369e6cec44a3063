"""What services for residents add to the home page and the menu (`fangkong.areas.registry`):
the requests given to the user as a provider and the open and overdue requests of their area,
the self-reports still to deal with; the area's "to serve" list, its public page and, for a
county, its fever clinics. Registered when `CareConfig.ready()` imports this module."""

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fangkong.areas.models import Level
from fangkong.areas.registry import AreaLink, MenuLink, TodayCard, TodayLine, register
from fangkong.care import selectors
from fangkong.care.models import SymptomReport
from fangkong.care.permissions import DELIVER, VIEW, VIEW_CLINICS, VIEW_REPORTS


def my_deliveries(user, area, children):
    """The open requests given to the user as a provider (a volunteer's card)."""
    if not selectors.provider_ids(user):
        return [], []
    mine = selectors.open_requests(selectors.assigned(user)).within(area).count()
    if not mine:
        return [], []
    url = f"{reverse('care_requests')}?mine=true"
    return [TodayLine(_("Given to me, open"), mine, url, "warning", id="today-care-mine")], []


def requests_today(user, area, children):
    rows = selectors.requests(user).within(area)
    url = f"{reverse('care_requests')}?within={area.code}"
    # Both figures in one query (as `selectors.open_requests` and `selectors.overdue` read).
    figures = selectors.open_requests(rows).aggregate(
        open=Count("pk"), late=Count("pk", filter=Q(due_at__lt=timezone.now()))
    )
    open_count, late = figures["open"], figures["late"]
    lines = [
        TodayLine(_("Open service requests"), open_count, f"{url}&open=true", id="today-care-open"),
        TodayLine(
            _("Past their deadline"),
            late,
            f"{url}&overdue=true",
            "danger" if late else "",
            id="today-care-overdue",
        ),
    ]
    if user.has_perm(VIEW_REPORTS):
        waiting = (
            SymptomReport.objects.visible_to(user, VIEW_REPORTS)
            .within(area)
            .filter(handled_at__isnull=True)
            .count()
        )
        lines.append(
            TodayLine(
                _("Self-reports to deal with"),
                waiting,
                f"{reverse('care_symptom_reports')}?within={area.code}&waiting=true",
                "danger" if waiting else "",
                id="today-care-symptoms",
            )
        )
    return lines, []


register(
    MenuLink(_("Service requests"), VIEW, "care_requests", order=30, group="services"),
    MenuLink(
        _("My deliveries"), DELIVER, "care_requests", query="?mine=true", order=31, group="services"
    ),
    MenuLink(
        _("Symptom self-reports"), VIEW_REPORTS, "care_symptom_reports", order=32, group="services"
    ),
    MenuLink(_("Service providers"), VIEW, "care_providers", order=33, group="services"),
    AreaLink(
        _("To serve"),
        VIEW,
        lambda area: reverse("care_to_serve", args=[area.code]),
        levels=(Level.COUNTY, Level.TOWNSHIP, Level.COMMUNITY, Level.GRID),
        id="link-care-to-serve",
        order=40,
    ),
    AreaLink(
        _("Residents' service page"),
        VIEW,
        lambda area: reverse("care_public", args=[area.code]),
        levels=(Level.COMMUNITY,),
        id="link-care-public",
        order=41,
    ),
    AreaLink(
        _("Fever clinics"),
        VIEW_CLINICS,
        lambda area: reverse("care_fever_clinics", args=[area.code]),
        levels=(Level.COUNTY,),
        id="link-care-clinics",
        order=42,
    ),
    TodayCard("care-mine", _("My deliveries"), DELIVER, my_deliveries, order=12),
    TodayCard(
        "care",
        _("Service requests"),
        VIEW,
        requests_today,
        levels=(Level.TOWNSHIP, Level.COMMUNITY, Level.GRID),
        order=13,
    ),
)
