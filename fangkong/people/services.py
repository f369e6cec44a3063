"""Writes to the people registry, one transaction each: households, residents, key groups,
household assignments, and the reads of personal data that must leave an audit record."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from pypinyin import Style, lazy_pinyin

from fangkong import dates
from fangkong.areas.models import Worker
from fangkong.areas.services import require
from fangkong.audit.services import record
from fangkong.people.models import (
    DismissedSuggestion,
    Household,
    HouseholdAssignment,
    KeyGroup,
    Resident,
)
from fangkong.pii import (
    clean_id_number,
    clean_phone,
    facts_from_id_number,
    lookup_digest,
    normalise,
)
from fangkong.scope import system_scope

CHANGE_HOUSEHOLD = "people.change_household"


def name_initials(name):
    """张三 → zs; letters and digits in a name are kept as typed, lower case."""
    letters = lazy_pinyin(normalise(name), style=Style.FIRST_LETTER, errors=lambda text: list(text))
    return "".join(c for c in "".join(letters).lower() if c.isascii() and c.isalnum())[:50]


def apply_name(resident, name):
    resident.name = " ".join(name.split())
    resident.name_initials = name_initials(resident.name)


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
    resident.id_number_tail = resident.id_number[-4:]
    resident.phone_tail = resident.phone[-4:]
    if resident.id_number:
        for field, value in facts_from_id_number(resident.id_number).items():
            setattr(resident, field, value)


def refuse_registered_id_number(resident):
    """One person, one record. Where the other record is is not said: it may be out of scope."""
    if not resident.id_number_hash:
        return
    # One ID number is one person in the whole country: the other record may lie outside
    # the actor's scope, and only "taken" is said of it.
    with system_scope():
        others = Resident.objects.filter(id_number_hash=resident.id_number_hash)
    if resident.pk:
        others = others.exclude(pk=resident.pk)
    if others.exists():
        raise ValidationError({"id_number": _("A resident with this ID number is registered.")})


@transaction.atomic
def create_household(*, actor, building, number, address=""):
    require(actor, "people.add_household", building)
    household = Household(
        building=building, area=building.area, number=number.strip(), address=address.strip()
    )
    household.full_clean()
    household.save()
    record(actor=actor, action="household.add", target=household, area=household.area)
    return household


@transaction.atomic
def update_household(*, actor, household, number, address="", building=None):
    """Renumber a household, or move it to another building (its members follow)."""
    require(actor, "people.change_household", household)
    building = building or household.building
    require(actor, "people.change_household", building)
    household.number = number.strip()
    household.address = address.strip()
    moved = building.pk != household.building_id
    household.building = building
    household.area = building.area
    household.full_clean()
    household.save()
    if moved:
        follow_households(
            Household.objects.visible_to(actor, CHANGE_HOUSEHOLD).filter(pk=household.pk),
            building.area,
            actor=actor,
            perm=CHANGE_HOUSEHOLD,
        )
    record(
        actor=actor,
        action="household.move" if moved else "household.change",
        target=household,
        area=household.area,
    )
    return household


def follow_households(households, grid, *, actor, perm):
    """Everything recorded about the members of these households moves with them to `grid`.

    `households` is a queryset in `actor`'s scope of `perm`, the permission the caller checked
    for the move (changing a household, or a building). What is recorded about a household
    lies in the household's own area, so the same scope reaches all of it."""
    ids = households.values("pk")
    residents = Resident.objects.visible_to(actor, perm).filter(household__in=ids)
    # Each update finds its rows by paths not yet changed: the households' go last.
    for model in (KeyGroup, DismissedSuggestion):
        model.objects.visible_to(actor, perm).filter(resident__in=residents.values("pk")).update(
            area=grid, area_path=grid.path
        )
    HouseholdAssignment.objects.visible_to(actor, perm).filter(household__in=ids).update(
        area=grid, area_path=grid.path
    )
    residents.update(area=grid, area_path=grid.path)
    households.update(area=grid, area_path=grid.path)


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
    if birth_date:
        dates.BIRTH_DATE.check(birth_date, field="birth_date")
    resident = Resident(
        household=household,
        area=household.area,
        sex=sex,
        birth_date=birth_date,
        relation_to_head=relation_to_head,
        residence=residence,
    )
    apply_name(resident, name)
    apply_identity(resident, id_number=id_number, phone=phone)
    refuse_registered_id_number(resident)
    resident.full_clean()
    resident.save()
    record(actor=actor, action="resident.add", target=resident, area=resident.area)
    return resident


@transaction.atomic
def update_resident(
    *,
    actor,
    resident,
    name,
    relation_to_head,
    residence,
    id_number=None,
    phone=None,
    sex="",
    birth_date=None,
):
    """Change a person's record; an ID number or phone of None keeps the one on record (pages
    never hold the whole numbers to send back). The audit row names the fields changed, never
    their values."""
    require(actor, "people.change_resident", resident)
    before = {f: getattr(resident, f) for f in RECORDED_FIELDS}
    apply_name(resident, name)
    resident.relation_to_head = relation_to_head
    resident.residence = residence
    id_number = resident.id_number if id_number is None else id_number
    phone = resident.phone if phone is None else phone
    if not id_number:
        if birth_date and birth_date != resident.birth_date:
            dates.BIRTH_DATE.check(birth_date, field="birth_date")
        resident.sex = sex
        resident.birth_date = birth_date
    apply_identity(resident, id_number=id_number, phone=phone)
    refuse_registered_id_number(resident)
    resident.full_clean()
    changed = sorted(f for f in RECORDED_FIELDS if getattr(resident, f) != before[f])
    if changed:
        resident.save()
        record(
            actor=actor,
            action="resident.change",
            target=resident,
            area=resident.area,
            fields=changed,
        )
    return resident


RECORDED_FIELDS = (
    "name",
    "id_number",
    "phone",
    "sex",
    "birth_date",
    "relation_to_head",
    "residence",
)


@transaction.atomic
def move_resident(*, actor, resident, household):
    """A person moves to another household (also in another grid), or one waiting for a
    household (待落户) is placed in one; their key groups follow."""
    require(actor, "people.change_resident", resident)
    require(actor, "people.add_resident", household)
    if household.pk == resident.household_id:
        raise ValidationError({"household": _("The person already lives in this household.")})
    source = resident.household_id
    resident.household = household
    resident.area = household.area
    resident.surveyed_address = ""
    resident.save()
    for model in (KeyGroup, DismissedSuggestion):
        model.objects.visible_to(actor, "people.change_resident").filter(resident=resident).update(
            area=household.area, area_path=household.area.path
        )
    record(
        actor=actor,
        action="resident.move",
        target=resident,
        area=household.area,
        source_household=source,
        household=household.pk,
    )
    return resident


@transaction.atomic
def set_resident_status(*, actor, resident, status, since=None, note=""):
    """Moved out or deceased people are kept, with the date, not deleted; back to active too."""
    require(actor, "people.change_resident", resident)
    if status not in Resident.Status.values:
        raise ValidationError({"status": _("Choose a status.")})
    since = dates.LIFE_EVENT.check(since or timezone.localdate(), field="since")
    if status == resident.status:
        raise ValidationError({"status": _("The person already has this status.")})
    if status != Resident.Status.ACTIVE:
        # A person who left or died is no longer counted in any key group.
        resident.key_groups.visible_to(actor, "people.change_resident").filter(
            ended_on__isnull=True
        ).update(ended_on=since)
    resident.status = status
    resident.status_changed_on = since
    resident.status_note = note.strip()
    resident.full_clean()
    resident.save()
    record(
        actor=actor,
        action="resident.status",
        target=resident,
        area=resident.area,
        status=status,
        since=since.isoformat(),
    )
    return resident


@transaction.atomic
def tag_key_group(*, actor, resident, kind, found_on=None, note=""):
    """Record that a person belongs to a key group; a second tag of the same group is refused."""
    require(actor, "people.add_keygroup", resident)
    found_on = dates.LIFE_EVENT.check(found_on or timezone.localdate(), field="found_on")
    tags = resident.key_groups.visible_to(actor, "people.add_keygroup")
    if tags.filter(kind=kind, ended_on__isnull=True).exists():
        raise ValidationError({"kind": _("The person is already in this key group.")})
    tag = KeyGroup(
        resident=resident,
        area=resident.area,
        kind=kind,
        found_on=found_on,
        note=note.strip(),
        recorded_by=actor,
    )
    tag.full_clean()
    tag.save()
    record(actor=actor, action="key_group.add", target=resident, area=resident.area, kind=kind)
    return tag


@transaction.atomic
def end_key_group(*, actor, tag, ended_on=None):
    """The person is no longer in the group; the tag is kept, closed, in their history."""
    require(actor, "people.delete_keygroup", tag)
    if tag.ended_on:
        raise ValidationError(_("This key group has already ended."))
    tag.ended_on = dates.LIFE_EVENT.check(ended_on or timezone.localdate(), field="ended_on")
    if tag.ended_on < tag.found_on:
        raise ValidationError({"ended_on": _("The end cannot be before the date found.")})
    tag.save(update_fields=["ended_on"])
    record(actor=actor, action="key_group.end", target=tag.resident, area=tag.area, kind=tag.kind)
    return tag


@transaction.atomic
def dismiss_suggestion(*, actor, resident, kind):
    """The registry implies a key group that the worker found does not apply: it is no longer
    suggested. Dismissing it again changes nothing and writes nothing."""
    require(actor, "people.add_keygroup", resident)
    if kind not in KeyGroup.Kind.values:
        raise ValidationError({"kind": _("Choose a key group.")})
    suggestion, created = DismissedSuggestion.objects.visible_to(
        actor, "people.add_keygroup"
    ).get_or_create(
        resident=resident,
        kind=kind,
        defaults={"area": resident.area, "dismissed_by": actor},
    )
    if created:
        record(
            actor=actor,
            action="key_group.dismiss",
            target=resident,
            area=resident.area,
            kind=kind,
        )
    return suggestion


def serves(actor, worker, area):
    """Whether the worker holds a role on this area or one above it (among the roles the
    actor may see: the area's own and its community's lie in the actor's scope)."""
    return any(
        area.path.startswith(path)
        for path in worker.roles.visible_to(actor, "areas.view_role").values_list(
            "area_path", flat=True
        )
    )


@transaction.atomic
def assign_households(*, actor, households, worker):
    """包片联户: make `worker` responsible for these households (replacing whoever was)."""
    households = list(households)
    if not households:
        raise ValidationError({"households": _("Choose at least one household.")})
    workers = Worker.objects.visible_to(actor, "areas.view_worker")
    if not (worker.is_active and workers.filter(pk=worker.pk).exists()):
        raise ValidationError({"worker": _("Choose an active worker of your areas.")})
    for household in households:
        require(actor, "people.add_householdassignment", household)
        if not serves(actor, worker, household.area):
            raise ValidationError(
                {
                    "worker": _("%(w)s holds no role in the grid of household %(h)s.")
                    % {"w": worker, "h": household}
                }
            )
        HouseholdAssignment.objects.visible_to(
            actor, "people.add_householdassignment"
        ).update_or_create(
            household=household,
            defaults={"worker": worker, "area": household.area, "assigned_by": actor},
        )
    record(
        actor=actor,
        action="household.assign",
        target=worker,
        area=households[0].area if len(households) == 1 else worker.area,
        households=[h.pk for h in households],
    )
    return len(households)


def reveal_identity(*, actor, resident):
    """The whole ID number and phone of one person, for one deliberate request, audited."""
    require(actor, "people.reveal_resident", resident)
    with transaction.atomic():
        record(actor=actor, action="resident.reveal", target=resident, area=resident.area)
    return {"id_number": resident.id_number, "phone": resident.phone}


def record_export(*, actor, area, what, filters, rows):
    """Every export leaves a row: who, which list, with which filter, how many rows."""
    if not actor.has_perm("people.export_resident"):
        raise PermissionDenied(_("You may not export lists."))
    return record(
        actor=actor, action="export", target=area, area=area, list=what, filters=filters, rows=rows
    )
