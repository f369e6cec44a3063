"""Writes of commendations, one transaction each (docs/commendations.md): proposing a
worker, deciding (awarding or declining) and choosing what the public page shows."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fangkong import dates
from fangkong.areas.models import LEVEL_ORDER, Area, Level
from fangkong.audit.services import record
from fangkong.commendations import public_cache
from fangkong.commendations.models import AwardLevel, Commendation
from fangkong.commendations.permissions import DECIDE, PROPOSE, PUBLISH
from fangkong.response.selectors import ancestor_paths
from fangkong.scope import holds, system_scope
from fangkong.writes import once

# The levels of the area tree that award themselves; above the county a commendation is
# recorded by the county (the worker's county knows of it and files it).
AREA_LEVELS = (AwardLevel.COMMUNITY, AwardLevel.TOWNSHIP, AwardLevel.COUNTY)
ORDER = list(AwardLevel.values)


def refused():
    return PermissionDenied(_("You may not do this here."))


def awarding_path(commendation_or_worker, level):
    """The path of the area that decides a commendation of this level for the worker: the
    worker's community, township or county; their county for a level above it."""
    paths = ancestor_paths(commendation_or_worker.area_path)
    depth = LEVEL_ORDER.index(level) if level in AREA_LEVELS else LEVEL_ORDER.index(Level.COUNTY)
    return paths[min(depth, len(paths) - 1)]


def _lowest_level(worker):
    """The lowest level that may commend a worker: that of the area they belong to (a grid's
    worker: the community's)."""
    level = worker.area.level if worker.area.level != Level.GRID else Level.COMMUNITY
    return level if level in ORDER else AwardLevel.NATIONAL


def propose(*, actor, worker, title, reason, level, client_uuid=None):
    """Propose a worker of the actor's areas for a commendation at a level."""

    def make():
        if not actor.has_perm(PROPOSE, worker):
            raise refused()
        if level not in ORDER:
            raise ValidationError({"level": _("Choose the level that awards it.")})
        lowest = _lowest_level(worker)
        if ORDER.index(level) < ORDER.index(lowest):
            raise ValidationError(
                {
                    "level": _("A worker of %(area)s is commended at %(level)s or above.")
                    % {"area": worker.area.name, "level": AwardLevel(lowest).label}
                }
            )
        commendation = Commendation(
            area=worker.area,
            worker=worker,
            title=(title or "").strip(),
            reason=(reason or "").strip(),
            level=level,
            client_uuid=client_uuid,
            proposed_by=actor,
        )
        if not commendation.title:
            raise ValidationError({"title": _("Name the honour.")})
        if not commendation.reason:
            raise ValidationError({"reason": _("Say what the worker did.")})
        commendation.full_clean(exclude=["area", "worker", "proposed_by", "decided_by"])
        commendation.save()
        record(
            actor=actor,
            action="commendations.propose",
            target=commendation,
            area=commendation.area,
            worker=worker.pk,
            title=commendation.title,
            level=level,
        )
        return commendation

    return once(Commendation, client_uuid, make, worker_id=worker.pk)


def may_decide(actor, commendation):
    return holds(actor, DECIDE, awarding_path(commendation, commendation.level))


@transaction.atomic
def decide(*, actor, commendation, award, awarded_on=None, awarded_by="", doc_number="", note=""):
    """Award a proposed commendation (on a day, by a body, with its document) or decline it
    with a reason. Only a supervisor of the awarding area decides; a decision is final."""
    if not may_decide(actor, commendation):
        raise PermissionDenied(
            _("Only a supervisor of the area that awards it at this level may decide.")
        )
    if commendation.status != Commendation.Status.PROPOSED:
        raise ValidationError(_("This commendation was already decided."))
    note = (note or "").strip()
    if award:
        if awarded_on is None:
            raise ValidationError({"awarded_on": _("Give the day it was awarded.")})
        dates.RECORDED_DAY.check(awarded_on, field="awarded_on")
        awarded_by = (awarded_by or "").strip()
        if not awarded_by:
            if commendation.level not in AREA_LEVELS:
                raise ValidationError({"awarded_by": _("Name the body that awarded it.")})
            with system_scope():  # the name of an area above the worker's, as its roles see it
                awarded_by = Area.objects.get(
                    path=awarding_path(commendation, commendation.level)
                ).name
        commendation.status = Commendation.Status.AWARDED
        commendation.awarded_on = awarded_on
        commendation.awarded_by = awarded_by
        commendation.doc_number = (doc_number or "").strip()
    else:
        if not note:
            raise ValidationError({"note": _("Give the reason it is declined.")})
        commendation.status = Commendation.Status.DECLINED
    commendation.decision_note = note
    commendation.decided_by = actor
    commendation.decided_at = timezone.now()
    commendation.full_clean(exclude=["area", "worker", "proposed_by", "decided_by"])
    commendation.save()
    record(
        actor=actor,
        action="commendations.award" if award else "commendations.decline",
        target=commendation,
        area=commendation.area,
        title=commendation.title,
        level=commendation.level,
        note=note,
    )
    return commendation


@transaction.atomic
def set_published(*, actor, commendation, published):
    """Show an awarded commendation on the public page of the worker's areas, or take it
    off; the pages show it at once (their cache is forgotten on commit)."""
    if not actor.has_perm(PUBLISH, commendation):
        raise refused()
    published = bool(published)
    if published and commendation.status != Commendation.Status.AWARDED:
        raise ValidationError(_("Only an awarded commendation is published."))
    if commendation.published == published:
        return commendation
    commendation.published = published
    commendation.published_at = timezone.now() if published else None
    commendation.save(update_fields=["published", "published_at"])
    record(
        actor=actor,
        action="commendations.publish" if published else "commendations.unpublish",
        target=commendation,
        area=commendation.area,
        title=commendation.title,
    )
    path = commendation.area_path
    transaction.on_commit(lambda: public_cache.forget(path))
    return commendation
