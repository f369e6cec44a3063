"""Writes of meetings and of the counties' meeting limits (docs/gatherings.md).

A registration that breaks the limit of its place's level is kept as refused with the rule
in words (the daily report counts refusals) and the caller shows that reason; one sent again
with the same `client_uuid` answers the first answer."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fangkong.areas.models import Level
from fangkong.audit.services import record
from fangkong.gatherings import rules
from fangkong.gatherings.models import Meeting, MeetingLimit
from fangkong.gatherings.permissions import REGISTER_MEETING, SET_LIMITS
from fangkong.gatherings.services import check_headcount, check_place, once, refused
from fangkong.response.models import RiskLevel
from fangkong.scope import system_scope

MOST_AT_A_MEETING = 1000
LONGEST_MEETING = 720  # minutes
FURTHEST_AHEAD = datetime.timedelta(days=366)
CLOCK_SKEW = datetime.timedelta(minutes=5)


class MeetingRefused(ValidationError):
    """A registration the risk level's limits refuse; `meeting` is the refusal kept."""

    def __init__(self, meeting):
        super().__init__(meeting.refusal, code="meeting_refused")
        self.meeting = meeting


def register_meeting(
    *, actor, area, meeting_kind, title, place, starts_at, minutes, headcount, client_uuid=None
):
    """A meeting in a grid or community the actor may register in, checked against its
    county's limit for the place's level now. Refused: kept as such, and `MeetingRefused`."""

    def make():
        check_place(
            actor, area, REGISTER_MEETING, _("A meeting is registered in a community or grid.")
        )
        if meeting_kind not in Meeting.Kind.values:
            raise ValidationError({"meeting_kind": _("Choose the kind of meeting.")})
        now = timezone.now()
        if starts_at is None or starts_at < now - CLOCK_SKEW:
            raise ValidationError({"starts_at": _("A new meeting cannot start in the past.")})
        if starts_at > now + FURTHEST_AHEAD:
            raise ValidationError({"starts_at": _("A meeting is registered at most a year ahead.")})
        check_headcount(headcount, "headcount", MOST_AT_A_MEETING)
        if not isinstance(minutes, int) or not 1 <= minutes <= LONGEST_MEETING:
            raise ValidationError(
                {
                    "minutes": _("Give a length from 1 to %(most)d minutes.")
                    % {"most": LONGEST_MEETING}
                }
            )
        level, reason = rules.check_meeting(area, headcount, minutes)
        meeting = Meeting(
            area=area,
            meeting_kind=meeting_kind,
            title=(title or "").strip(),
            place=(place or "").strip(),
            starts_at=starts_at,
            minutes=minutes,
            headcount=headcount,
            level=level,
            status=Meeting.Status.REFUSED if reason else Meeting.Status.PLANNED,
            refusal=reason,
            client_uuid=client_uuid,
            registered_by=actor,
        )
        meeting.full_clean(exclude=["area", "registered_by"])
        meeting.save()
        record(
            actor=actor,
            action="gatherings.meeting_refused" if reason else "gatherings.meeting",
            target=meeting,
            area=area,
            headcount=headcount,
            minutes=minutes,
            level=level,
            reason=reason,
        )
        return meeting

    meeting = once(Meeting, client_uuid, make, area_id=area.pk)
    if meeting.status == Meeting.Status.REFUSED:
        raise MeetingRefused(meeting)
    return meeting


@transaction.atomic
def record_outcome(*, actor, meeting, status):
    """A planned meeting held (from its start on) or cancelled."""
    if not actor.has_perm(REGISTER_MEETING, meeting):
        raise refused()
    if meeting.status not in (
        Meeting.Status.PLANNED,
        Meeting.Status.HELD,
        Meeting.Status.CANCELLED,
    ):
        raise ValidationError(_("A refused meeting has no outcome."))
    if status not in (Meeting.Status.HELD, Meeting.Status.CANCELLED):
        raise ValidationError({"status": _("Choose held or cancelled.")})
    if status == Meeting.Status.HELD and meeting.starts_at > timezone.now() + CLOCK_SKEW:
        raise ValidationError({"status": _("A meeting is held once it has started.")})
    meeting.status = status
    meeting.save(update_fields=["status"])
    record(
        actor=actor,
        action="gatherings.meeting_outcome",
        target=meeting,
        area=meeting.area,
        status=status,
    )
    return meeting


@transaction.atomic
def set_limit(*, actor, area, level, allowed, max_headcount, max_minutes):
    """A county's meeting limit for one level; planned meetings are judged by it from now."""
    if area.level != Level.COUNTY:
        raise ValidationError(_("Meeting limits are set for a county."))
    if not actor.has_perm(SET_LIMITS, area):
        raise refused()
    if level not in RiskLevel.values:
        raise ValidationError({"level": _("Choose a risk level.")})
    check_headcount(max_headcount, "max_headcount", MOST_AT_A_MEETING)
    if not isinstance(max_minutes, int) or not 1 <= max_minutes <= LONGEST_MEETING:
        raise ValidationError(
            {
                "max_minutes": _("Give a length from 1 to %(most)d minutes.")
                % {"most": LONGEST_MEETING}
            }
        )
    with system_scope():  # the county's one row per level
        limit = MeetingLimit.objects.filter(area=area, level=level).first()
    limit = limit or MeetingLimit(area=area, level=level)
    before = rules.limits_for(area.path)[RiskLevel(level)]
    limit.allowed, limit.max_headcount, limit.max_minutes = (
        bool(allowed),
        max_headcount,
        max_minutes,
    )
    limit.set_by = actor
    limit.save()
    record(
        actor=actor,
        action="gatherings.limit",
        target=limit,
        area=area,
        level=level,
        before=[before.allowed, before.max_headcount, before.max_minutes],
        after=[limit.allowed, max_headcount, max_minutes],
    )
    return limit
