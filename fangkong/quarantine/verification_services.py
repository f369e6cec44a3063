"""A quarantine started from a verification result (协查核查): the worker who found the
listed person here puts them in home or central quarantine, or under home health monitoring,
through `services.start_quarantine`, by the rule of the verification category — or of the
person's tracing category when that is stricter (a listed person who is also a close contact
gets the close contact's rule).

Quarantine knows verification, hardly the reverse: the verification page only links here
by the URL's name; the one import the other way is the API, whose verification task viewset
mixes in `api.StartsQuarantine` so that the action sits on the task's route."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from fangkong.quarantine import services
from fangkong.quarantine.models import STRICTNESS, Category
from fangkong.quarantine.permissions import ADD
from fangkong.quarantine.quarantines import Quarantine
from fangkong.scope import system_scope
from fangkong.tracing.persons import person_for_resident
from fangkong.verification.models import Result, VerificationTask


def category_for(person):
    """Verification's category, or the person's tracing category where that is stricter."""
    if person.category in STRICTNESS and (
        STRICTNESS[person.category] > STRICTNESS[Category.VERIFICATION]
    ):
        return person.category
    return Category.VERIFICATION


def refusal_of(task):
    """Why a verification task cannot start a quarantine (a Chinese message), or None."""
    if task.result != Result.MONITORED:
        return _("Only a person found here (result: found) can be put in quarantine.")
    if task.resident_id is None:
        return _(
            "Pass the task to the person's record first: only a registered resident can be quarantined from a verification."
        )
    return None


@transaction.atomic
def start_from_verification(
    *,
    actor,
    task,
    kind="",
    starts_on=None,
    source_note="",
    batch="",
    care="",
    needs_accessible=False,
):
    """Start the listed person's quarantine. A retried request (the person's open quarantine
    already started from this task) answers that one with `created` False."""
    if not actor.has_perm(ADD, task):
        raise PermissionDenied(_("You may not start quarantines here."))
    with system_scope():  # the actor's view of the task was checked by the caller
        task = (
            VerificationTask.objects.select_for_update(of=("self",))
            .select_related("resident")
            .get(pk=task.pk)
        )
    if refusal := refusal_of(task):
        raise ValidationError({"kind": refusal})
    person = person_for_resident(actor=actor, resident=task.resident)
    with system_scope():
        under_way = Quarantine.objects.filter(
            person=person, status__in=services.OPEN, verification=task
        ).first()
    if under_way is not None:
        under_way.created = False
        return under_way
    if kind and kind not in Quarantine.Kind.values:
        raise ValidationError(
            {"kind": _("Choose home quarantine, central quarantine or home health monitoring.")}
        )
    note = (source_note or "").strip() or _("Verification task #%(id)d") % {"id": task.pk}
    quarantine = services.start_quarantine(
        actor=actor,
        person=person,
        category=category_for(person),
        source=Quarantine.Source.VERIFICATION,
        kind=kind or None,
        source_note=note[:200],
        starts_on=starts_on,
        batch=batch,
        care=care,
        needs_accessible=needs_accessible,
        verification=task,
    )
    quarantine.created = True
    return quarantine
