"""Writes to the people registry: households and residents, one transaction each."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from fangkong.areas.services import require
from fangkong.people.models import Household, Resident
from fangkong.pii import clean_id_number, clean_phone, facts_from_id_number, lookup_digest


@transaction.atomic
def create_household(*, actor, building, number, address=""):
    require(actor, "people.add_household", building)
    household = Household(
        building=building, area=building.area, number=number.strip(), address=address.strip()
    )
    household.full_clean()
    household.save()
    return household


def apply_identity(resident, *, id_number, phone):
    """Set the ID number and phone with their digests; sex and birth date follow the ID number."""
    try:
        resident.id_number = clean_id_number(id_number)
    except ValidationError as error:
        raise ValidationError({"id_number": error.messages}) from None
    try:
        resident.phone = clean_phone(phone)
    except ValidationError as error:
        raise ValidationError({"phone": error.messages}) from None
    resident.id_number_hash = lookup_digest(resident.id_number)
    resident.phone_hash = lookup_digest(resident.phone)
    if resident.id_number:
        for field, value in facts_from_id_number(resident.id_number).items():
            setattr(resident, field, value)


@transaction.atomic
def register_resident(
    *,
    actor,
    household,
    name,
    id_number="",
    phone="",
    relation_to_head=Resident.Relation.HEAD,
    residence=Resident.Residence.REGISTERED_LIVING,
    sex="",
    birth_date=None,
):
    """Add a person to a household. A valid ID number decides sex and birth date."""
    require(actor, "people.add_resident", household)
    resident = Resident(
        household=household,
        area=household.area,
        name=name.strip(),
        sex=sex,
        birth_date=birth_date,
        relation_to_head=relation_to_head,
        residence=residence,
    )
    apply_identity(resident, id_number=id_number, phone=phone)
    if (
        resident.id_number_hash
        and Resident.all_objects.filter(id_number_hash=resident.id_number_hash).exists()
    ):
        raise ValidationError({"id_number": _("A resident with this ID number is registered.")})
    resident.full_clean()
    resident.save()
    return resident
