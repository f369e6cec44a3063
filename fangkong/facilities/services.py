"""Writes of facilities, door counts and disinfection logs, one transaction each
(docs/facilities.md).

Every write taking a `client_uuid` answers a retry with what the first request made and adds
nothing (`gatherings.services.once`)."""

import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from fangkong.areas.models import Level
from fangkong.audit.services import record
from fangkong.facilities.models import DisinfectionLog
from fangkong.facilities.permissions import LOG_DISINFECTION
from fangkong.gatherings.services import once, refused

PLACE_LEVELS = (Level.COMMUNITY, Level.GRID)
CLOCK_SKEW = datetime.timedelta(minutes=5)
# A disinfection is logged on the day or caught up within a month, never ahead.
LOGGED_WITHIN = datetime.timedelta(days=31)


def _text(value):
    return (value or "").strip()


def log_disinfection(
    *,
    actor,
    disinfectant,
    disinfected_by,
    area=None,
    facility=None,
    place="",
    items="",
    disinfected_at=None,
    note="",
    subject="",
    client_uuid=None,
):
    """One disinfection of a facility, or of a place or shared items in a community or grid
    (`area`), by `disinfected_by` (a name) with `disinfectant`, at `disinfected_at` (now when
    not given). Other apps log theirs (a polling station, ballot boxes) with their record as
    `subject` ("elections.pollingstation:12"). Sent again with the same `client_uuid`: the
    first log, nothing added."""
    if facility is not None:
        if area is not None and area.pk != facility.area_id:
            raise ValidationError({"facility": _("The facility is not in this area.")})
        area = facility.area
    if area is None:
        raise ValidationError({"area": _("Choose where it was disinfected.")})

    def make():
        if area.level not in PLACE_LEVELS:
            raise ValidationError({"area": _("A disinfection is logged in a community or grid.")})
        if not actor.has_perm(LOG_DISINFECTION, area):
            raise refused()
        when = disinfected_at or timezone.now()
        now = timezone.now()
        if when > now + CLOCK_SKEW:
            raise ValidationError(
                {"disinfected_at": _("A disinfection cannot be logged ahead of time.")}
            )
        if when < now - LOGGED_WITHIN:
            raise ValidationError(
                {"disinfected_at": _("A disinfection is logged within a month of it.")}
            )
        if facility is None and not _text(place) and not _text(items):
            raise ValidationError({"place": _("Say which place or items were disinfected.")})
        log = DisinfectionLog(
            area=area,
            facility=facility,
            place=_text(place),
            items=_text(items),
            disinfectant=_text(disinfectant),
            disinfected_by=_text(disinfected_by),
            disinfected_at=when,
            note=_text(note),
            subject=_text(subject),
            client_uuid=client_uuid,
            recorded_by=actor,
        )
        log.full_clean(exclude=["area", "facility", "recorded_by"])
        log.save()
        record(
            actor=actor,
            action="facilities.disinfection",
            target=log,
            area=area,
            facility=facility.pk if facility else None,
            place=log.place or (facility.name if facility else ""),
            items=log.items,
            disinfectant=log.disinfectant,
        )
        return log

    return once(DisinfectionLog, client_uuid, make, area_id=area.pk)
