"""What the risk level says about gatherings and meetings.

The level of a place is the higher of its effective risk level and the level of an
emergency response active over it (`fangkong.response.selectors.level_at`): a county that started a
medium response has medium rules in every village before each level is set. The advice a
family event gets follows its kind and that level (ADVICE); a meeting follows the limits of
its county for that level (`MeetingLimit`, DEFAULT_LIMITS where the county set none)."""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from fangkong.areas.models import Area, Level
from fangkong.gatherings.models import Gathering, MeetingLimit
from fangkong.paths import county_path
from fangkong.response.models import RiskLevel
from fangkong.response.selectors import level_at
from fangkong.scope import system_scope

Advice = Gathering.Advice
Kind = Gathering.Kind

ADVICE = {
    RiskLevel.LOW: {
        Kind.WEDDING: Advice.SMALL,
        Kind.FUNERAL: Advice.SIMPLE,
        Kind.BANQUET: Advice.SMALL,
        Kind.OTHER: Advice.SMALL,
    },
    RiskLevel.MEDIUM: {
        Kind.WEDDING: Advice.POSTPONE,
        Kind.FUNERAL: Advice.SIMPLE,
        Kind.BANQUET: Advice.NOT_HELD,
        Kind.OTHER: Advice.NOT_HELD,
    },
    RiskLevel.HIGH: {
        Kind.WEDDING: Advice.POSTPONE,
        Kind.FUNERAL: Advice.SIMPLE,
        Kind.BANQUET: Advice.NOT_HELD,
        Kind.OTHER: Advice.NOT_HELD,
    },
}


def advice_for(kind, level):
    return ADVICE[RiskLevel(level)][Kind(kind)]


@dataclass(frozen=True)
class Limit:
    allowed: bool
    max_headcount: int
    max_minutes: int
    county: str = ""  # the county whose rule it is; empty: the default rule


# Low risk: small and short meetings (至多 50 人、1 小时); medium and high: suspended.
DEFAULT_LIMITS = {
    RiskLevel.LOW: Limit(True, 50, 60),
    RiskLevel.MEDIUM: Limit(False, 50, 60),
    RiskLevel.HIGH: Limit(False, 50, 60),
}


def limits_for(path):
    """{level: Limit} of the county of the area at `path`: its own rules over the defaults."""
    county = county_path(path)
    limits = dict(DEFAULT_LIMITS)
    if county is None:
        return limits
    with system_scope():  # the county's rule applies to whoever registers in it
        rows = list(MeetingLimit.objects.filter(area_path=county).select_related("area"))
    for row in rows:
        limits[RiskLevel(row.level)] = Limit(
            row.allowed, row.max_headcount, row.max_minutes, row.area.name
        )
    return limits


def refusal(limit, level, headcount, minutes):
    """Why a meeting of `headcount` people for `minutes` breaks `limit` at `level`, in words
    naming the rule; "" when it keeps it."""
    rule = (
        _("the rule of %(county)s") % {"county": limit.county}
        if limit.county
        else _("the default rule")
    )
    names = {"level": RiskLevel(level).label, "rule": rule}
    if not limit.allowed:
        return _("Meetings are suspended at %(level)s (%(rule)s).") % names
    if headcount > limit.max_headcount:
        return _(
            "At %(level)s a meeting may have at most %(max)d people (%(rule)s); %(n)d were given."
        ) % {**names, "max": limit.max_headcount, "n": headcount}
    if minutes > limit.max_minutes:
        return _(
            "At %(level)s a meeting may last at most %(max)d minutes (%(rule)s); %(n)d were given."
        ) % {**names, "max": limit.max_minutes, "n": minutes}
    return ""


def check_meeting(area, headcount, minutes):
    """(level, reason refused or "") for a meeting at `area` today."""
    level = level_at(area)
    return level, refusal(limits_for(area.path)[RiskLevel(level)], level, headcount, minutes)


def counties_of(user, perm):
    """The counties the user may set limits on: those their roles granting `perm` reach."""
    return Area.objects.visible_to(user, perm).filter(level=Level.COUNTY).order_by("path")
