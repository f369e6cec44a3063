"""Writes of trainings and drills, one transaction each (docs/training.md).

`record_training` is the one way a training or drill is recorded (page, API, the elections
app for its staff): sent again with the same `client_uuid` it answers the training it made
and adds nothing. Attendees are workers serving in the training's area (its subtree) and
active; adding one already recorded changes nothing, so a retried list never doubles."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from fangkong import dates
from fangkong.areas.models import Level
from fangkong.audit.services import record
from fangkong.response.uploads import check_upload
from fangkong.scope import system_scope
from fangkong.training.models import Attendance, Training
from fangkong.training.permissions import RECORD_TRAINING
from fangkong.writes import once, refused

# A training or drill is recorded once held: not in the future.
HELD_DAY = dates.RECORDED_DAY
TRAINING_LEVELS = (Level.COUNTY, Level.TOWNSHIP, Level.COMMUNITY)
MOST_ATTENDEES = 1000
LONGEST_MINUTES = 24 * 60


def check_area(actor, area):
    if area.level not in TRAINING_LEVELS:
        raise ValidationError(
            {"area": _("A training is held by a county, a township or a community.")}
        )
    if not actor.has_perm(RECORD_TRAINING, area):
        raise refused()


def check_attendees(training, workers):
    """The workers, each once, if every one is active and serves in the training's area."""
    workers = list({w.pk: w for w in workers}.values())
    if len(workers) > MOST_ATTENDEES:
        raise ValidationError(
            {"attendees": _("At most %(n)d attendees at once.") % {"n": MOST_ATTENDEES}}
        )
    for worker in workers:
        if not worker.is_active or not worker.area_path.startswith(training.area.path):
            raise ValidationError(
                {
                    "attendees": _("%(name)s is not an active worker of %(area)s.")
                    % {"name": worker.name, "area": training.area.name}
                }
            )
    return workers


def _attend(actor, training, workers, passed=None):
    """Attendances of the workers not yet recorded at the training; the ones added."""
    with system_scope():  # who is already recorded, whoever recorded them
        present = set(
            Attendance.objects.filter(training=training).values_list("worker_id", flat=True)
        )
    added = [
        Attendance(
            training=training,
            worker=w,
            area_id=w.area_id,
            area_path=w.area_path,
            held_on=training.held_on,
            passed=passed,
            recorded_by=actor,
        )
        for w in workers
        if w.pk not in present
    ]
    # bulk_create skips save(): the path is set above, from the worker.
    Attendance.objects.bulk_create(added)
    return added


def record_training(
    *,
    actor,
    area,
    kind,
    category,
    topic,
    held_on,
    trainer,
    attendees=(),
    place="",
    minutes=None,
    materials=None,
    note="",
    client_uuid=None,
):
    """A training or drill the actor's area held, with its attendees and materials."""

    def make():
        check_area(actor, area)
        if kind not in Training.Kind.values:
            raise ValidationError({"kind": _("Choose a training or a drill.")})
        if category not in Training.Category.values:
            raise ValidationError({"category": _("Choose the category.")})
        HELD_DAY.check(held_on, field="held_on")
        if minutes is not None and not 1 <= minutes <= LONGEST_MINUTES:
            raise ValidationError(
                {"minutes": _("Give a length from 1 to %(n)d minutes.") % {"n": LONGEST_MINUTES}}
            )
        if materials:
            check_upload(materials, "materials")
        training = Training(
            area=area,
            kind=kind,
            category=category,
            topic=(topic or "").strip(),
            held_on=held_on,
            trainer=(trainer or "").strip(),
            place=(place or "").strip(),
            minutes=minutes,
            note=(note or "").strip(),
            client_uuid=client_uuid,
            recorded_by=actor,
        )
        training.full_clean(exclude=["area", "recorded_by", "materials"])
        workers = check_attendees(training, attendees)
        if materials:
            training.materials.save(materials.name, materials, save=False)
        training.save()
        _attend(actor, training, workers)
        record(
            actor=actor,
            action="training.record",
            target=training,
            area=area,
            kind=kind,
            topic=training.topic,
            held_on=held_on.isoformat(),
            attendees=len(workers),
        )
        return training

    return once(Training, client_uuid, make, area_id=area.pk)


@transaction.atomic
def add_attendees(*, actor, training, attendees, passed=None):
    """More workers at a training; those already recorded are left as they are."""
    if not actor.has_perm(RECORD_TRAINING, training):
        raise refused()
    workers = check_attendees(training, attendees)
    if not workers:
        raise ValidationError({"attendees": _("Choose at least one worker.")})
    added = _attend(actor, training, workers, passed)
    if added:
        record(
            actor=actor,
            action="training.attendees",
            target=training,
            area=training.area,
            added=[a.worker.name for a in added],
        )
    return training


@transaction.atomic
def record_assessment(*, actor, training, results):
    """The assessment of attendees of a training: `results`, [(worker id, passed)] with
    passed True, False or None (not assessed). Who may record the training records it; a
    second assessment corrects the first. An id that is not an attendee's is refused and
    nothing is saved."""
    if not actor.has_perm(RECORD_TRAINING, training):
        raise refused()
    with system_scope():  # the attendances stand in the workers' areas, below the training's
        present = {
            a.worker_id: a
            for a in Attendance.objects.filter(training=training)
            .select_related("worker")
            .select_for_update(of=("self",))
        }
    changed = []
    for worker_id, passed in results:
        attendance = present.get(worker_id)
        if attendance is None:
            raise ValidationError({"results": _("Assess the attendees of this training only.")})
        if passed not in (True, False, None):
            raise ValidationError({"passed": _("Say whether the attendee passed.")})
        if attendance.passed != passed:
            attendance.passed = passed
            changed.append(attendance)
    if changed:
        with system_scope():  # the rows locked above
            Attendance.objects.bulk_update(changed, ["passed"])
        record(
            actor=actor,
            action="training.assessed",
            target=training,
            area=training.area,
            results=[[a.worker.name, a.passed] for a in changed],
        )
    return training


@transaction.atomic
def remove_attendee(*, actor, training, worker):
    """A worker recorded at a training by mistake."""
    if not actor.has_perm(RECORD_TRAINING, training):
        raise refused()
    with system_scope():  # the attendance stands in the worker's area, below the training's
        removed, _count = Attendance.objects.filter(training=training, worker=worker).delete()
    if removed:
        record(
            actor=actor,
            action="training.attendee_removed",
            target=training,
            area=training.area,
            worker=worker.name,
        )
    return training


@transaction.atomic
def attach_materials(*, actor, training, materials):
    """The materials of a training (replacing any before)."""
    if not actor.has_perm(RECORD_TRAINING, training):
        raise refused()
    if not materials:
        raise ValidationError({"materials": _("Choose a file.")})
    check_upload(materials, "materials")
    training.materials.save(materials.name, materials, save=False)
    training.save(update_fields=["materials"])
    record(
        actor=actor,
        action="training.materials",
        target=training,
        area=training.area,
        name=materials.name,
    )
    return training
