"""Writes of family events and other gatherings, one transaction each (docs/gatherings.md).

`register_gathering` is the one way one is registered (page, API): sent again with the same
`client_uuid` it answers the gathering it made and adds nothing (`once`)."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fangkong import dates
from fangkong.areas.models import Level
from fangkong.audit.services import record
from fangkong.gatherings import rules
from fangkong.gatherings.models import Gathering
from fangkong.gatherings.permissions import REGISTER_GATHERING
from fangkong.response.selectors import level_at
from fangkong.writes import once, refused

# A gathering is registered for a day from today to a year ahead.
COMING_DAY = dates.Window("coming day", lambda t: t, lambda t: t + datetime.timedelta(days=366))
MOST_AT_A_GATHERING = 2000
PLACE_LEVELS = (Level.COMMUNITY, Level.GRID)


def check_place(actor, area, perm, message):
    if area.level not in PLACE_LEVELS:
        raise ValidationError({"area": message})
    if not actor.has_perm(perm, area):
        raise refused()


def check_headcount(value, field, most):
    if not isinstance(value, int) or not 1 <= value <= most:
        raise ValidationError({field: _("Give a headcount from 1 to %(most)d.") % {"most": most}})


def register_gathering(
    *,
    actor,
    area,
    kind,
    host,
    held_on,
    place,
    expected_headcount,
    household=None,
    note="",
    client_uuid=None,
):
    """A family event or gathering in a grid or community the actor may register in; the
    advice of the place's level is recorded as given by the actor."""

    def make():
        check_place(
            actor, area, REGISTER_GATHERING, _("A gathering is registered in a community or grid.")
        )
        if kind not in Gathering.Kind.values:
            raise ValidationError({"kind": _("Choose the kind of gathering.")})
        COMING_DAY.check(held_on, field="held_on")
        check_headcount(expected_headcount, "expected_headcount", MOST_AT_A_GATHERING)
        if household is not None and not household.area_path.startswith(area.path):
            raise ValidationError({"household": _("The household does not live in this area.")})
        gathering = Gathering(
            area=area,
            kind=kind,
            host=(host or "").strip(),
            household=household,
            held_on=held_on,
            place=(place or "").strip(),
            expected_headcount=expected_headcount,
            note=(note or "").strip(),
            client_uuid=client_uuid,
            registered_by=actor,
        )
        advise(gathering, actor)
        gathering.full_clean(exclude=["area", "household", "advice_given_by", "registered_by"])
        gathering.save()
        record(
            actor=actor,
            action="gatherings.register",
            target=gathering,
            area=area,
            kind=kind,
            held_on=held_on.isoformat(),
            headcount=expected_headcount,
            advice=gathering.advice,
        )
        return gathering

    return once(Gathering, client_uuid, make, area_id=area.pk)


def advise(gathering, actor):
    """Record the advice of the place's level as given to the family now: by `actor`, or by
    nobody when the family's own page showed it (family_services)."""
    level = level_at(gathering.area)
    gathering.advice = rules.advice_for(gathering.kind, level)
    gathering.advice_level = level
    gathering.advice_given_at = timezone.now()
    gathering.advice_given_by = actor


@transaction.atomic
def give_advice(*, actor, gathering):
    """Tell the family again what the place's level now advises (after a level changed)."""
    if not actor.has_perm(REGISTER_GATHERING, gathering):
        raise refused()
    if gathering.status not in (Gathering.Status.PLANNED, Gathering.Status.REPORTED):
        raise ValidationError(_("This gathering was already followed up."))
    before = gathering.advice
    advise(gathering, actor)
    gathering.save(update_fields=["advice", "advice_level", "advice_given_at", "advice_given_by"])
    record(
        actor=actor,
        action="gatherings.advice",
        target=gathering,
        area=gathering.area,
        before=before,
        advice=gathering.advice,
        level=gathering.advice_level,
    )
    return gathering


@transaction.atomic
def follow_up(*, actor, gathering, status, actual_headcount=None, abnormal=False, note=""):
    """What became of the gathering: held (on or after its day, with how many came),
    postponed or cancelled. A second follow-up corrects the first."""
    if not actor.has_perm(REGISTER_GATHERING, gathering):
        raise refused()
    Status = Gathering.Status
    if gathering.status == Status.REPORTED:
        raise ValidationError(_("Confirm the family's report before following it up."))
    if gathering.status == Status.DISMISSED:
        raise ValidationError(_("This report was dismissed."))
    if status not in (Status.HELD, Status.POSTPONED, Status.CANCELLED):
        raise ValidationError({"status": _("Choose what became of the gathering.")})
    note = (note or "").strip()
    if status == Status.HELD:
        if gathering.held_on > timezone.localdate():
            raise ValidationError({"status": _("A gathering is held on its day, not before.")})
        check_headcount(actual_headcount, "actual_headcount", MOST_AT_A_GATHERING)
    else:
        actual_headcount = None
    if abnormal and not note:
        raise ValidationError({"follow_up_note": _("Say what was abnormal.")})
    gathering.status = status
    gathering.actual_headcount = actual_headcount
    gathering.abnormal = bool(abnormal)
    gathering.follow_up_note = note
    gathering.followed_up_at = timezone.now()
    gathering.followed_up_by = actor
    gathering.full_clean(exclude=["area", "household", "advice_given_by", "registered_by"])
    gathering.save()
    record(
        actor=actor,
        action="gatherings.follow_up",
        target=gathering,
        area=gathering.area,
        status=status,
        headcount=actual_headcount,
        abnormal=bool(abnormal),
    )
    return gathering
