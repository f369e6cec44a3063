"""Writes of cases and contacts: one transaction each, validated with Chinese messages, an
audit row, and a re-ranking of everyone the change reaches (`ranking.rerank`). Field
recordings take a client UUID: a retried request answers what the first one made."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from fangkong import dates
from fangkong.areas.models import Role, RoleKind
from fangkong.audit.services import record
from fangkong.notifications.services import notify
from fangkong.scope import system_scope
from fangkong.tracing.countdown import ancestor_paths, feed_countdown
from fangkong.tracing.models import Case, Contact, TracedPerson, TracingTask
from fangkong.tracing.permissions import ADD_CASE, ADD_CONTACT, DO_TASK
from fangkong.tracing.persons import add_person, person_for_resident  # noqa: F401 (the API)
from fangkong.tracing.ranking import rerank
from fangkong.tracing.selectors import standing_case


def require(actor, perm, record_, message):
    if not actor.has_perm(perm, record_):
        raise PermissionDenied(message)


def _retried(model, client_uuid, **same):
    """The record a retried request made, or None; an id used for something else is refused."""
    if not client_uuid:
        return None
    with system_scope():
        made = model.objects.filter(client_uuid=client_uuid).first()
    if made is None:
        return None
    if any(
        getattr(made, f"{name}_id", getattr(made, name, None)) != value
        for name, value in same.items()
    ):
        raise ValidationError(
            {"client_uuid": _("This request id was already used for another record.")}
        )
    made.created = False
    return made


def recorded_before(model, client_uuid):
    """The case or contact a retried request made (`created` False), or None: a page or API
    that types a new person in asks this first, so a retry does not type them in twice."""
    if not client_uuid:
        return None
    with system_scope():
        made = model.objects.filter(client_uuid=client_uuid).first()
    if made is not None:
        made.created = False
    return made


# ---------------------------------------------------------------- cases


def _check_case(classification, source, reported_on, onset_on, isolated_on, list_reference):
    if classification not in Case.Classification.values:
        raise ValidationError({"classification": _("Choose confirmed, suspected or asymptomatic.")})
    if source not in Case.Source.values:
        raise ValidationError({"source": _("Say whether the case was reported or found here.")})
    today = timezone.localdate()
    dates.RECORDED_DAY.check(reported_on, field="reported_on", today=today)
    for field, day in (("onset_on", onset_on), ("isolated_on", isolated_on)):
        if day is not None:
            dates.RECORDED_DAY.check(day, field=field, today=today)
    if onset_on and onset_on > reported_on:
        raise ValidationError({"onset_on": _("The onset cannot be after the report date.")})
    if source == Case.Source.REPORTED and not list_reference.strip():
        raise ValidationError(
            {"list_reference": _("Give the reference of the list the case was reported in.")}
        )


def record_case(
    *,
    actor,
    person,
    classification,
    reported_on,
    source,
    onset_on=None,
    isolated_on=None,
    list_reference="",
    note="",
    client_uuid=None,
):
    """Make `person` a case. Their contacts become close contacts and theirs secondary
    (re-ranking); the case's date feeds the risk-level countdown of its area and those above."""
    require(actor, ADD_CASE, person, _("You may not record cases of this person."))
    if made := _retried(Case, client_uuid, person=person.pk):
        return made
    _check_case(classification, source, reported_on, onset_on, isolated_on, list_reference)
    try:
        with transaction.atomic():
            with system_scope():
                TracedPerson.objects.select_for_update().filter(pk=person.pk).first()
            if standing_case(person) is not None:
                raise ValidationError(_("%(name)s is already a case.") % {"name": person.name})
            case = Case.objects.create(
                person=person,
                area=person.area,
                classification=classification,
                onset_on=onset_on,
                reported_on=reported_on,
                isolated_on=isolated_on,
                source=source,
                list_reference=list_reference.strip()[:100],
                note=note.strip()[:500],
                recorded_by=actor,
                client_uuid=client_uuid,
            )
            fed = feed_countdown(case)
            record(
                actor=actor,
                action="tracing.case",
                target=case,
                area=case.area,
                name=person.name,
                classification=classification,
                reported_on=reported_on.isoformat(),
                countdowns=fed,
            )
            rerank(
                actor=actor,
                start_ids=[person.pk],
                reason=_("%(name)s became a case (%(classification)s)")
                % {"name": person.name, "classification": case.get_classification_display()},
                trigger=person,
            )
    except IntegrityError:
        if made := _retried(Case, client_uuid, person=person.pk):
            return made
        raise
    case.created = True
    return case


# ---------------------------------------------------------------- contacts


def became_case_on(person):
    """The day the person stopped meeting others as a case (isolation, else the report)."""
    case = standing_case(person)
    if case is None:
        return None
    return case.isolated_on or case.reported_on


def _check_contact(source, person, exposed_on, last_exposed_on, setting):
    if source.pk == person.pk:
        raise ValidationError({"person": _("A person cannot be their own contact.")})
    if setting not in Contact.Setting.values:
        raise ValidationError({"setting": _("Choose where the exposure happened.")})
    today = timezone.localdate()
    dates.RECORDED_DAY.check(exposed_on, field="exposed_on", today=today)
    if last_exposed_on is not None:
        dates.RECORDED_DAY.check(last_exposed_on, field="last_exposed_on", today=today)
        if last_exposed_on < exposed_on:
            raise ValidationError(
                {"last_exposed_on": _("The last exposure cannot be before the first.")}
            )
    isolated = became_case_on(source)
    for field, day in (("exposed_on", exposed_on), ("last_exposed_on", last_exposed_on)):
        if isolated and day and day > isolated:
            raise ValidationError(
                {
                    field: _(
                        "%(name)s was a case from %(day)s: an exposure after that day "
                        "cannot be recorded."
                    )
                    % {"name": source.name, "day": isolated.isoformat()}
                }
            )


def add_contact(
    *,
    actor,
    source,
    person,
    exposed_on,
    setting,
    last_exposed_on=None,
    note="",
    client_uuid=None,
):
    """Record that `person` was exposed to `source` (a confirmed edge). The person may live
    anywhere: their community gets a tracing task. Everyone the edge reaches is re-ranked."""
    require(actor, ADD_CONTACT, source, _("You may not record contacts of this person."))
    if made := _retried(Contact, client_uuid, source=source.pk, person=person.pk):
        return made
    _check_contact(source, person, exposed_on, last_exposed_on, setting)
    try:
        with transaction.atomic():
            with system_scope():
                edge = (
                    Contact.objects.select_for_update().filter(source=source, person=person).first()
                )
            if edge is not None and edge.status == Contact.Status.CONFIRMED:
                raise ValidationError(
                    {
                        "person": _("%(name)s is already recorded as a contact of %(source)s.")
                        % {"name": person.name, "source": source.name}
                    }
                )
            edge = edge or Contact(source=source, person=person, area=person.area)
            edge.exposed_on, edge.last_exposed_on, edge.setting = (
                exposed_on,
                last_exposed_on,
                setting,
            )
            edge.note = note.strip()[:500]
            edge.status = Contact.Status.CONFIRMED
            edge.identified_by = actor
            edge.client_uuid = client_uuid
            edge.save()
            _confirmed(actor, edge, action="tracing.contact")
    except IntegrityError:
        if made := _retried(Contact, client_uuid, source=source.pk, person=person.pk):
            return made
        raise
    edge.created = True
    return edge


def _confirmed(actor, edge, *, action):
    """What a confirmed edge starts: its tracing task, the audit row, the re-ranking."""
    task = _task_for(edge)
    record(
        actor=actor,
        action=action,
        target=edge,
        area=edge.area,
        source=edge.source.name,
        name=edge.person.name,
        setting=edge.setting,
        exposed_on=edge.exposed_on.isoformat(),
    )
    rerank(
        actor=actor,
        start_ids=[edge.person_id],
        reason=_("Contact of %(source)s recorded (%(setting)s, %(day)s)")
        % {
            "source": edge.source.name,
            "setting": edge.get_setting_display(),
            "day": edge.exposed_on.isoformat(),
        },
        trigger=edge.source,
    )
    _tell_tracers(task)
    return task


def _task_for(edge):
    """The edge's task (a dismissed suggestion confirmed later has none yet)."""
    with system_scope():
        task = TracingTask.objects.filter(contact=edge).first()
    if task is None:
        task = TracingTask.objects.create(contact=edge, person=edge.person, area=edge.person.area)
    return task


def _tell_tracers(task):
    """The community and grid workers where the person lives are told of the task."""
    paths = ancestor_paths(task.area_path)
    with system_scope():
        users = [
            role.worker.user
            for role in Role.objects.filter(
                area_path__in=paths,
                kind__in=[RoleKind.COMMUNITY_WORKER, RoleKind.GRID_WORKER],
                worker__is_active=True,
                worker__user__isnull=False,
            ).select_related("worker__user")
        ]
    notify(
        users,
        key=f"tracing-task:{task.pk}",
        message=_("New tracing task: %(name)s.") % {"name": task.person.name},
        link=reverse("tracing_task", args=[task.pk]),
    )


@transaction.atomic
def decide_suggestion(*, actor, contact, confirm):
    """Confirm a suggested contact (it ranks the person from now on) or dismiss it."""
    with system_scope():
        contact = Contact.objects.select_for_update().get(pk=contact.pk)
    if not (Contact.objects.visible_to(actor, ADD_CONTACT).filter(pk=contact.pk).exists()):
        raise PermissionDenied(_("You may not decide on this contact."))
    if contact.status != Contact.Status.SUGGESTED:
        raise ValidationError(_("This suggestion was already decided."))
    contact.decided_by, contact.decided_at = actor, timezone.now()
    if confirm:
        _check_contact(contact.source, contact.person, contact.exposed_on, None, contact.setting)
        contact.status = Contact.Status.CONFIRMED
        contact.save()
        _confirmed(actor, contact, action="tracing.suggestion_confirmed")
    else:
        contact.status = Contact.Status.DISMISSED
        contact.save()
        record(
            actor=actor,
            action="tracing.suggestion_dismissed",
            target=contact,
            area=contact.area,
            name=contact.person.name,
        )
    return contact


@transaction.atomic
def close_task(*, actor, task, outcome):
    """The community reached the person: what was done (told, address and phone confirmed,
    handed to quarantine …)."""
    require(actor, DO_TASK, task, _("You may not close this task."))
    if task.done:
        raise ValidationError(_("This task is already done."))
    outcome = (outcome or "").strip()
    if not outcome:
        raise ValidationError({"outcome": _("Say what was done.")})
    task.done_at, task.done_by, task.outcome = timezone.now(), actor, outcome[:500]
    task.save(update_fields=["done_at", "done_by", "outcome"])
    record(actor=actor, action="tracing.task_done", target=task, area=task.area)
    return task
