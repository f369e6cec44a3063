"""Writes of risk levels and area traits, one transaction each, with an audit row. A level
set moves the place's emergency response in the same transaction
(`response_services.follow_level`)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fangkong import dates
from fangkong.areas.models import Building
from fangkong.audit.services import record
from fangkong.response.models import RANK, AreaRisk, AreaTrait, RiskLevel, RiskLevelChange
from fangkong.response.permissions import SET_LEVEL, SET_TRAITS
from fangkong.response.response_services import follow_level
from fangkong.response.selectors import of_place
from fangkong.scope import system_scope


def may_set_level(user, place):
    """A supervisor of the place's area or above (or a system administrator)."""
    return user.has_perm(SET_LEVEL, place)


def _current(place):
    # The place's own current level, whatever the actor's other roles may read.
    with system_scope():
        return of_place(AreaRisk.objects.select_for_update(), place).first()


def _retried(client_uuid, place, level):
    """The change a retried request already made, or None; a uuid used for another change
    is refused."""
    with system_scope():
        change = RiskLevelChange.objects.filter(client_uuid=client_uuid).first()
    if change is None:
        return None
    if change.place != place or change.level != level:
        raise ValidationError(
            {"client_uuid": _("This request id was already used for another change.")}
        )
    change.created = False
    return change


def _check(level, effective_on, reason, last_case_on, current):
    if level not in RiskLevel.values:
        raise ValidationError({"level": _("Choose low, medium or high.")})
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for the change.")})
    today = timezone.localdate()
    dates.RECORDED_DAY.check(effective_on, field="effective_on", today=today)
    if last_case_on is not None:
        dates.RECORDED_DAY.check(last_case_on, field="last_case_on", today=today)
    if current and effective_on < current.since:
        raise ValidationError(
            {
                "effective_on": _(
                    "The current level has been in force since %(day)s: a change takes "
                    "effect on that day or later."
                )
                % {"day": current.since.isoformat()}
            }
        )


def countdown_from(current, level, effective_on, last_case_on):
    """The day the step-down countdown runs from: the last case; after a step down, the
    step down if later (the lower level's days without a case count from then)."""
    stepped_down = current is not None and RANK[level] < current.rank
    if stepped_down:
        return max(effective_on, last_case_on) if last_case_on else effective_on
    return last_case_on


def set_level(
    *,
    actor,
    place,
    level,
    effective_on,
    reason,
    doc_number="",
    last_case_on=None,
    client_uuid=None,
    summary="",
):
    """Record a level decided for an area or a building; it becomes the place's current
    level, and its emergency response follows (`summary`: the response's, when the level
    returns to low). A retried request (same `client_uuid`) answers the change it made the
    first time (`change.created` is False) and starts nothing again."""
    if not may_set_level(actor, place):
        raise PermissionDenied(
            _("Only a supervisor of this area or of an area above it may set its risk level.")
        )
    if client_uuid and (change := _retried(client_uuid, place, level)):
        return change
    area = place.area if isinstance(place, Building) else place
    try:
        with transaction.atomic():
            current = _current(place)
            _check(level, effective_on, reason, last_case_on, current)
            change = RiskLevelChange.objects.create(
                area=area,
                building=place if isinstance(place, Building) else None,
                level=level,
                effective_on=effective_on,
                reason=reason.strip(),
                doc_number=doc_number.strip(),
                last_case_on=last_case_on,
                set_by=actor,
                client_uuid=client_uuid,
            )
            risk = current or AreaRisk(area=area, building=change.building)
            risk.countdown_from = countdown_from(current, level, effective_on, last_case_on)
            risk.level, risk.since, risk.change = level, effective_on, change
            risk.doc_number, risk.last_case_on = change.doc_number, last_case_on
            risk.save()
            previous = current.level if current else RiskLevel.LOW
            record(
                actor=actor,
                action="risk.set",
                target=change,
                area=area,
                level=level,
                previous=previous,
                effective_on=effective_on.isoformat(),
                doc_number=change.doc_number,
                reason=change.reason,
            )
            follow_level(actor=actor, change=change, previous=previous, summary=summary)
    except IntegrityError:
        # The same request, sent twice at the same moment: the other one recorded it.
        if client_uuid and (change := _retried(client_uuid, place, level)):
            return change
        raise
    change.created = True
    return change


@transaction.atomic
def set_traits(*, actor, area, kinds):
    """Mark exactly `kinds` (AreaTrait.Kind values) on the area."""
    if not actor.has_perm(SET_TRAITS, area):
        raise PermissionDenied(_("You may not mark this area's traits."))
    kinds = set(kinds)
    if not kinds <= set(AreaTrait.Kind.values):
        raise ValidationError({"kinds": _("Choose among the listed traits.")})
    with system_scope():
        marked = AreaTrait.objects.filter(area=area)
        had = set(marked.values_list("kind", flat=True))
        marked.exclude(kind__in=kinds).delete()
    AreaTrait.objects.bulk_create(
        [AreaTrait(area=area, area_path=area.path, kind=k, set_by=actor) for k in kinds - had]
    )
    if kinds != had:
        record(actor=actor, action="risk.traits", target=area, area=area, traits=sorted(kinds))
    return area
