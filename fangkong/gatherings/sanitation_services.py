"""Writes of sanitation tasks and campaigns (docs/gatherings.md).

A task belongs to a community or grid and is owned by a worker serving there; it is done
with a photo of the place cleaned. A campaign makes one task per community of its area and
place it names, in one statement, for the communities to give owners to."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fangkong import dates
from fangkong.areas.models import Area, Level, Role
from fangkong.audit.services import record
from fangkong.gatherings.models import SanitationCampaign, SanitationTask
from fangkong.gatherings.permissions import ASSIGN_TASK, DO_TASK, START_CAMPAIGN
from fangkong.gatherings.services import check_place, once, refused
from fangkong.scope import system_scope
from fangkong.visits import uploads
from fangkong.visits.services import community_path

DUE_DAY = dates.Window("due day", lambda t: t, lambda t: t + datetime.timedelta(days=366))
CAMPAIGN_LEVELS = (Level.COUNTY, Level.TOWNSHIP, Level.COMMUNITY)
MOST_PLACES = 20
MOST_TASKS = 50000


def serves_in(worker, area):
    """Whether the worker serves in the community of `area` (belongs to it or holds a role
    in it): only they may own its tasks."""
    community = community_path(area.path) or area.path
    if not worker.is_active:
        return False
    if worker.area_path.startswith(community):
        return True
    with system_scope():  # the owner's roles, wherever they are, decide
        return Role.objects.filter(worker=worker, area_path__under=community).exists()


def check_owner(owner, area):
    if owner is not None and not serves_in(owner, area):
        raise ValidationError({"owner": _("The owner must be a worker serving in this area.")})


def create_task(*, actor, area, place_kind, place, due_on, owner=None, note="", client_uuid=None):
    def make():
        check_place(actor, area, ASSIGN_TASK, _("A sanitation task is set in a community or grid."))
        DUE_DAY.check(due_on, field="due_on")
        check_owner(owner, area)
        task = SanitationTask(
            area=area,
            place_kind=place_kind,
            place=(place or "").strip(),
            owner=owner,
            due_on=due_on,
            note=(note or "").strip(),
            client_uuid=client_uuid,
            created_by=actor,
        )
        task.full_clean(exclude=["area", "owner", "campaign", "created_by", "photo"])
        task.save()
        record(
            actor=actor,
            action="sanitation.task",
            target=task,
            area=area,
            place=task.place,
            owner=owner.name if owner else "",
            due_on=due_on.isoformat(),
        )
        return task

    return once(SanitationTask, client_uuid, make, area_id=area.pk)


@transaction.atomic
def assign(*, actor, task, owner):
    if not actor.has_perm(ASSIGN_TASK, task):
        raise refused()
    if task.done_on:
        raise ValidationError(_("This task is done."))
    if owner is None:
        raise ValidationError({"owner": _("Choose the owner.")})
    check_owner(owner, task.area)
    task.owner = owner
    task.save(update_fields=["owner"])
    record(actor=actor, action="sanitation.assign", target=task, area=task.area, owner=owner.name)
    return task


def complete(*, actor, task, photo, done_note=""):
    """The task done today with a photo of the place, by its owner or a worker who hands out
    tasks there. Done already: answered as it is (a retried upload saves nothing)."""
    if not actor.has_perm(DO_TASK, task):
        raise refused()
    worker = getattr(actor, "worker", None)
    if (worker is None or task.owner_id != worker.pk) and not actor.has_perm(ASSIGN_TASK, task):
        raise PermissionDenied(_("Only the task's owner records it done."))
    if task.done_on:
        task.created = False
        return task
    if not photo:
        raise ValidationError({"photo": _("Add a photo of the place cleaned.")})
    uploads.check_photo(photo, "photo")
    with transaction.atomic():
        task.done_on = timezone.localdate()
        task.done_note = (done_note or "").strip()[:500]
        task.done_by = actor
        task.photo.save(photo.name, photo, save=False)
        task.save(update_fields=["done_on", "done_note", "done_by", "photo"])
        record(actor=actor, action="sanitation.done", target=task, area=task.area)
    task.created = True
    return task


def parse_places(text):
    """Lines "kind place" or "place" (kind: other) into [[kind, place], ...]."""
    labels = {str(label): value for value, label in SanitationTask.PlaceKind.choices}
    places = []
    for line in (text or "").splitlines():
        line = line.strip()
        if not line:
            continue
        head, _sep, rest = line.partition(" ")
        kind = SanitationTask.PlaceKind.values
        if head in kind or head in labels:
            places.append([labels.get(head, head), rest.strip() or str(head)])
        else:
            places.append([SanitationTask.PlaceKind.OTHER, line])
    return places


@transaction.atomic
def start_campaign(*, actor, area, name, due_on, places):
    """A campaign over a county, township or community: one task per community of it and
    place (`places`: [[kind, place], ...]), without owner."""
    if area.level not in CAMPAIGN_LEVELS:
        raise ValidationError(_("A campaign covers a county, a township or a community."))
    if not actor.has_perm(START_CAMPAIGN, area):
        raise refused()
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Give the campaign a name.")})
    DUE_DAY.check(due_on, field="due_on")
    cleaned = []
    for kind, place in places or []:
        place = str(place).strip()[:200]
        if kind not in SanitationTask.PlaceKind.values or not place:
            raise ValidationError({"places": _("Each place needs a kind and a name.")})
        cleaned.append([kind, place])
    if not 1 <= len(cleaned) <= MOST_PLACES:
        raise ValidationError(
            {"places": _("Name from 1 to %(most)d places.") % {"most": MOST_PLACES}}
        )
    communities = list(
        Area.objects.visible_to(actor, START_CAMPAIGN).filter(
            path__under=area.path, level=Level.COMMUNITY
        )
    )
    if not communities:
        raise ValidationError(_("There is no community in this area."))
    if len(communities) * len(cleaned) > MOST_TASKS:
        raise ValidationError(
            _("A campaign makes at most %(most)d tasks: choose a smaller area or fewer places.")
            % {"most": MOST_TASKS}
        )
    campaign = SanitationCampaign(
        area=area, name=name, due_on=due_on, places=cleaned, created_by=actor
    )
    campaign.full_clean(exclude=["area", "created_by"])
    campaign.save()
    SanitationTask.objects.bulk_create(
        [
            SanitationTask(
                area=community,
                area_path=community.path,
                place_kind=kind,
                place=place,
                due_on=due_on,
                campaign=campaign,
                created_by=actor,
            )
            for community in communities
            for kind, place in cleaned
        ],
        batch_size=2000,
    )
    record(
        actor=actor,
        action="sanitation.campaign",
        target=campaign,
        area=area,
        name=name,
        tasks=len(communities) * len(cleaned),
    )
    return campaign
