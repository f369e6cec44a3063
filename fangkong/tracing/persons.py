"""The persons of the graph: one `TracedPerson` per resident (got or created), a person not
in the registry recorded with what is known of them, and matched to a resident later."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from fangkong.audit.services import record
from fangkong.people.models import Resident
from fangkong.pii import clean_id_number, clean_phone, lookup_digest
from fangkong.scope import system_scope
from fangkong.tracing.models import TracedPerson


def _user(actor):
    return actor if getattr(actor, "pk", None) else None


def apply_identity(person, *, name, id_number, phone):
    """Set the name, ID number and phone with their digests (Chinese messages per field)."""
    name = " ".join((name or "").split())
    if not name:
        raise ValidationError({"name": _("Enter the person's name.")})
    person.name = name[:50]
    try:
        person.id_number = clean_id_number(id_number or "")
    except ValidationError as error:
        raise ValidationError({"id_number": error.messages}) from None
    try:
        person.phone = clean_phone(phone or "")
    except ValidationError as error:
        raise ValidationError({"phone": error.messages}) from None
    person.id_number_hash = lookup_digest(person.id_number)
    person.phone_hash = lookup_digest(person.phone)


def _from_resident(resident, person=None):
    person = person or TracedPerson()
    person.resident = resident
    person.area = resident.area
    person.name = resident.name
    person.id_number, person.id_number_hash = resident.id_number, resident.id_number_hash
    person.phone, person.phone_hash = resident.phone, resident.phone_hash
    return person


def person_for_resident(*, actor, resident):
    """The resident's traced person, created on first need; a person recorded earlier with
    the resident's ID number (not yet matched) becomes theirs."""
    with system_scope():
        person = TracedPerson.objects.filter(resident=resident).first()
        if person is not None:
            return person
        try:
            with transaction.atomic():
                unmatched = None
                if resident.id_number_hash:
                    unmatched = (
                        TracedPerson.objects.select_for_update()
                        .filter(id_number_hash=resident.id_number_hash, resident=None)
                        .first()
                    )
                person = _from_resident(resident, unmatched)
                person.created_by = person.created_by or _user(actor)
                person.save()
                record(
                    actor=actor,
                    action="tracing.person_matched" if unmatched else "tracing.person_added",
                    target=person,
                    area=person.area,
                    name=person.name,
                )
        except IntegrityError:
            # Created at the same moment by another request.
            person = TracedPerson.objects.filter(resident=resident).first()
            if person is None:
                raise
    return person


def persons_for_residents(*, actor, residents):
    """{resident id: traced person} for many residents, creating the missing ones in bulk
    (the household suggestions of a re-ranking)."""
    residents = {r.pk: r for r in residents}
    with system_scope():
        found = {
            p.resident_id: p
            for p in TracedPerson.objects.filter(resident_id__in=list(residents)).order_by()
        }
        missing = [r for pk, r in residents.items() if pk not in found]
        taken = set(
            TracedPerson.objects.filter(
                id_number_hash__in=[r.id_number_hash for r in missing if r.id_number_hash]
            )
            .order_by()
            .values_list("id_number_hash", flat=True)
        )
    for resident in missing:
        if resident.id_number_hash in taken:
            found[resident.pk] = person_for_resident(actor=actor, resident=resident)
    new = [_from_resident(r) for r in missing if r.pk not in found]
    for person in new:
        person.area_path = person.area.path
        person.created_by = _user(actor)
    with system_scope():
        TracedPerson.objects.bulk_create(new)
    if not all(p.pk for p in new):  # databases that do not return keys from bulk inserts
        with system_scope():
            new = list(TracedPerson.objects.filter(resident_id__in=[p.resident_id for p in new]))
    found.update((p.resident_id, p) for p in new)
    return found


def add_person(*, actor, area, name, id_number="", phone="", address="", resident=None):
    """A person to record in the graph: the resident's when given; else the person already
    recorded with this ID number; else a new person not in the registry, placed in `area`
    (where they live or are managed). Called inside the caller's transaction."""
    if resident is not None:
        return person_for_resident(actor=actor, resident=resident)
    person = TracedPerson(area=area, address=(address or "").strip()[:200])
    apply_identity(person, name=name, id_number=id_number, phone=phone)
    if person.id_number_hash:
        # One person across every list: a person already traced, or a resident of the
        # registry (anywhere: the contact may live in another county's community), is
        # taken as they are, and nothing of them is shown to the worker who typed the number.
        with system_scope():
            known = TracedPerson.objects.filter(id_number_hash=person.id_number_hash).first()
            resident = (
                Resident.objects.filter(id_number_hash=person.id_number_hash)
                .select_related("area")
                .first()
            )
        if known is not None:
            return known
        if resident is not None:
            return person_for_resident(actor=actor, resident=resident)
    person.created_by = _user(actor)
    person.save()
    record(actor=actor, action="tracing.person_added", target=person, area=area, name=person.name)
    return person
