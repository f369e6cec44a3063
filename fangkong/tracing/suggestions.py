"""Secondary contacts suggested from the registry (never applied silently): the members of
a close contact's household (on every re-ranking that makes a close contact), and — when a
worker asks for it on the person's page — the other residents of the close contact's
building; as `Contact`s with status "suggested" for a worker to confirm or dismiss."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fangkong.audit.services import record
from fangkong.people.models import Resident
from fangkong.scope import system_scope
from fangkong.tracing.models import Category, Contact, TracedPerson
from fangkong.tracing.permissions import ADD_CONTACT
from fangkong.tracing.persons import persons_for_residents

# A building's residents are suggested one by one for a worker to decide; a tower block
# larger than this is traced by its own list, not by hundreds of suggestions.
BUILDING_LIMIT = 300


def suggest_households(*, actor, person_ids):
    """Suggest the household members of the persons `person_ids` (close contacts) as their
    contacts; a pair already linked either way is left as it is. Returns the new edges."""
    with system_scope():
        sources = list(
            TracedPerson.objects.filter(pk__in=person_ids, resident__isnull=False)
            .exclude(resident__household=None)
            .order_by()
            .values_list("pk", "resident_id", "resident__household_id", "area_path")
        )
        if not sources:
            return []
        households = {household for _pk, _r, household, _p in sources}
        members = list(
            Resident.objects.filter(household_id__in=households, status=Resident.Status.ACTIVE)
            .order_by()
            .values_list("pk", "household_id")
        )
    persons = traced_residents(actor, [pk for pk, _household in members])
    by_household = {}
    for member, household in members:
        by_household.setdefault(household, []).append(member)
    pairs = [
        (source, persons[member])
        for source, resident_id, household, _path in sources
        for member in by_household.get(household, [])
        if member != resident_id
    ]
    source_paths = {pk: path for pk, _r, _h, path in sources}
    return _suggest(actor, pairs, source_paths, Contact.Setting.HOUSEHOLD)


def traced_residents(actor, resident_ids):
    """{resident id: traced person (pk, area and path only)}: the residents already traced
    are read as such (a close contact's household mostly is: decrypting every member's
    identity was a third of a re-ranking's suggestions); the others are traced first."""
    with system_scope():
        found = {
            p.resident_id: p
            for p in TracedPerson.objects.filter(resident_id__in=resident_ids)
            .order_by()
            .only("pk", "area_id", "area_path", "resident_id")
        }
        missing = [pk for pk in resident_ids if pk not in found]
        residents = list(Resident.objects.filter(pk__in=missing).select_related("area"))
    found.update(persons_for_residents(actor=actor, residents=residents))
    return found


def _suggest(actor, pairs, source_paths, setting):
    """Suggested edges for the (source id, person) pairs not yet linked either way."""
    if not pairs:
        return []
    with system_scope():
        ids = {s for s, _p in pairs} | {p.pk for _s, p in pairs}
        linked = set(
            Contact.objects.filter(source_id__in=ids, person_id__in=ids)
            .order_by()
            .values_list("source_id", "person_id")
        )
    today = timezone.localdate()
    edges = [
        Contact(
            source_id=source,
            person=person,
            area_id=person.area_id,
            area_path=person.area_path,
            source_path=source_paths[source],
            exposed_on=today,
            setting=setting,
            status=Contact.Status.SUGGESTED,
            identified_by=actor if getattr(actor, "pk", None) else None,
        )
        for source, person in pairs
        if (source, person.pk) not in linked and (person.pk, source) not in linked
    ]
    with system_scope():
        Contact.objects.bulk_create(edges)
    return edges


@transaction.atomic
def suggest_building(*, actor, person):
    """Suggest the other residents of a close contact's building (not of their household,
    whom re-ranking suggested already) as their contacts. Asked again, it suggests only who
    is not yet linked. Returns the new edges."""
    if not actor.has_perm(ADD_CONTACT, person):
        raise PermissionDenied(_("You may not record contacts of this person."))
    if person.category != Category.CLOSE_CONTACT:
        raise ValidationError(_("Only a close contact's building is suggested."))
    with system_scope():
        own = (
            Resident.objects.filter(pk=person.resident_id)
            .exclude(household=None)
            .values_list("household_id", "household__building_id")
            .first()
        )
        if own is None:
            raise ValidationError(
                _("%(name)s has no building in the registry.") % {"name": person.name}
            )
        household, building = own
        neighbours = (
            Resident.objects.filter(household__building_id=building, status=Resident.Status.ACTIVE)
            .exclude(household_id=household)
            .order_by()
        )
        found = list(neighbours.only("pk")[: BUILDING_LIMIT + 1])
    if len(found) > BUILDING_LIMIT:
        raise ValidationError(
            _("The building has more than %(n)d residents: record its contacts from a list.")
            % {"n": BUILDING_LIMIT}
        )
    persons = traced_residents(actor, [resident.pk for resident in found])
    pairs = [(person.pk, persons[resident.pk]) for resident in found]
    edges = _suggest(actor, pairs, {person.pk: person.area_path}, Contact.Setting.SHARED_SPACE)
    record(
        actor=actor,
        action="tracing.building_suggested",
        target=person,
        area=person.area,
        name=person.name,
        suggested=len(edges),
    )
    return edges
