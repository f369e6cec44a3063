"""What the risk level and the law say about an election.

An election may open, allot and hold its vote only while its community's effective risk
level (`fangkong.response.selectors.effective_level`: the highest of the community's own and
its ancestors') is low (4.3). At medium or high it stands suspended, with the level, where it
was set and since when as the reason; once the level is low again it resumes by itself:
nothing is stored that would have to be undone."""

import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from fangkong import dates
from fangkong.areas.models import Area
from fangkong.elections.models import Election
from fangkong.response.models import LEVEL_OF_RANK, RiskLevel
from fangkong.response.selectors import effective_level, with_effective_rank
from fangkong.scope import system_scope

# The voting day lies from today to a year and a half ahead (terms are set that far out).
VOTING_DAY = dates.Window(
    "voting day", lambda today: today, lambda today: today + datetime.timedelta(days=550)
)
# A declaration is made in the month before the vote, on the day at the latest.
DECLARATION_DAY = dates.Window(
    "declaration day",
    lambda today: today - datetime.timedelta(days=31),
    lambda today: today,
)
VOTING_AGE = 18
MOST_AT_A_STATION = 5000
MOST_SLOTS = 200
# A temperature of 37.3 °C or more is a fever (the threshold of the checkpoints).
FEVER = 37.3


def reason_of(effective, community):
    """Why an election of `community` at level `effective` (an `Effective`) is suspended, in
    words; "" at low risk."""
    if not effective.raised:
        return ""
    source = effective.source
    where = source.area.name if source and source.area_id else community.name
    since = source.since.isoformat() if source and getattr(source, "since", None) else ""
    if since:
        return _(
            "%(community)s is at %(level)s (set on %(where)s since %(since)s): the election "
            "is suspended until the level is low again."
        ) % {"community": community.name, "level": effective.label, "where": where, "since": since}
    return _(
        "%(community)s is at %(level)s: the election is suspended until the level is low again."
    ) % {"community": community.name, "level": effective.label}


def blocked(election):
    """The reason the election is suspended now ("" when its community is at low risk)."""
    return reason_of(effective_level(election.area), election.area)


def check_not_blocked(election):
    reason = blocked(election)
    if reason:
        raise ValidationError(reason)


def flag_blocked(elections):
    """Mark each election with `level` and `blocked` (the reason or ""): the levels of all
    their communities in one query, however many rows."""
    elections = list(elections)
    if not elections:
        return elections
    with system_scope():  # the levels of communities whose elections the caller was given
        ranks = dict(
            with_effective_rank(
                Area.objects.filter(pk__in={e.area_id for e in elections})
            ).values_list("id", "effective_rank")
        )
    for election in elections:
        level = LEVEL_OF_RANK[ranks.get(election.area_id, 0)]
        election.level = RiskLevel(level)
        election.blocked = (
            blocked(election) if level != RiskLevel.LOW else ""
        )  # the reason names the source: read it only for the few raised
    return elections


def state_of(election):
    """What a reader is told: suspended (an open or preparing election at a raised level)
    or the stored status."""
    if election.status != Election.Status.CLOSED and getattr(election, "blocked", ""):
        return "suspended"
    return election.status


def at(day, time):
    return timezone.make_aware(datetime.datetime.combine(day, time))


def adult_on(day):
    """The latest birth date of a voter on `day` (18 on the day)."""
    try:
        return day.replace(year=day.year - VOTING_AGE)
    except ValueError:  # 29 February
        return day.replace(year=day.year - VOTING_AGE, day=28)


def is_abnormal(temperature, symptoms, risk_contact, health_code):
    return (
        float(temperature) >= FEVER
        or bool(symptoms)
        or bool(risk_contact)
        or health_code != "green"
    )
