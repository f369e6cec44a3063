"""What the division of duties adds to the area pages (a link to it, on every level above the
grid) and its audit actions; imported by `WorkforceConfig.ready()`."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from fangkong.areas.models import Level
from fangkong.areas.registry import AreaLink, register
from fangkong.audit.presentation import choice_label
from fangkong.audit.registry import register_actions, register_details, register_target
from fangkong.workforce.models import Responsibility
from fangkong.workforce.permissions import VIEW_RESPONSIBILITY

ABOVE_GRID = (Level.PROVINCE, Level.CITY, Level.COUNTY, Level.TOWNSHIP, Level.COMMUNITY)

register(
    AreaLink(
        _("Division of duties"),
        VIEW_RESPONSIBILITY,
        lambda area: reverse("responsibilities", args=[area.code]),
        levels=ABOVE_GRID,
        id="link-responsibilities",
        order=26,
    )
)
register_actions(
    {
        "responsibility.add": _("Duty assigned"),
        "responsibility.change": _("Duty changed"),
        "responsibility.remove": _("Duty removed"),
    }
)
register_target(
    "responsibility",
    _("responsibility"),
    model=Responsibility,
    related=["area"],
    url=lambda row: reverse("responsibilities", args=[row.area.code]),
)


def _line(detail, name_of):
    who = detail.get("worker") or ""
    return [
        f"{choice_label(Responsibility.Position, detail.get('position'))} {who}".strip()
        + f": {detail.get('duties', '')}"
    ]


for _action in ("responsibility.add", "responsibility.change", "responsibility.remove"):
    register_details(_action, _line)
del _action
