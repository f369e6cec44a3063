"""Lists written as print-ready workbooks. Whole numbers only when asked for and allowed.

`reveal` is the area paths below which the exporter may read whole ID numbers and phones
(`scope_paths(user, "people.reveal_resident")`), empty for a masked list: a person outside
them is written masked even in a list exported with whole numbers."""

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from fangkong.people.models import KeyGroup
from fangkong.spreadsheets import Column, write_table

# Above this the list is for a database tool, not a spreadsheet; narrow the filter.
EXPORT_LIMIT = 200_000
CHUNK = 2000


def identity(resident, reveal):
    if any(resident.area_path.startswith(path) for path in reveal):
        return resident.id_number, resident.phone
    return resident.id_number_masked, resident.phone_masked


def place_columns():
    return [Column(_("Grid"), 16), Column(_("Building"), 16), Column(_("house number"), 10)]


def place_of(area, household):
    if household is None:  # waiting for a household (待落户)
        return [area.name, _("Waiting for a household"), ""]
    return [area.name, household.building.name, household.number]


def write_residents(stream, residents, *, reveal=()):
    columns = [
        *place_columns(),
        Column(pgettext("person", "name"), 10),
        Column(_("sex"), 6),
        Column(_("age"), 6),
        Column(_("ID number"), 21, text=True),
        Column(_("phone"), 14, text=True),
        Column(_("relation to head"), 10),
        Column(_("residence status"), 16),
        Column(_("status"), 8),
        Column(_("Key groups"), 24),
    ]

    def rows():
        for resident in residents.iterator(chunk_size=CHUNK):
            id_number, phone = identity(resident, reveal)
            yield [
                *place_of(resident.area, resident.household),
                resident.name,
                resident.get_sex_display(),
                resident.age,
                id_number,
                phone,
                resident.get_relation_to_head_display(),
                resident.get_residence_display(),
                resident.get_status_display(),
                "、".join(str(tag.get_kind_display()) for tag in resident.key_groups.all()),
            ]

    return write_table(stream, title=_("Residents"), columns=columns, rows=rows())


def write_households(stream, households, *, reveal=()):
    columns = [
        *place_columns(),
        Column(_("address"), 30),
        Column(_("responsible worker"), 12),
    ]

    def rows():
        for household in households.iterator(chunk_size=CHUNK):
            assignment = getattr(household, "assignment", None)
            yield [
                *place_of(household.area, household),
                household.address,
                assignment.worker.name if assignment else "",
            ]

    return write_table(stream, title=_("Households"), columns=columns, rows=rows())


def write_key_groups(stream, tags, *, reveal=()):
    columns = [
        *place_columns(),
        Column(pgettext("person", "name"), 10),
        Column(_("age"), 6),
        Column(_("ID number"), 21, text=True),
        Column(_("phone"), 14, text=True),
        Column(_("key group"), 16),
        Column(_("found on"), 12),
        Column(_("ended on"), 12),
        Column(_("note"), 24),
    ]

    def rows():
        for tag in tags.iterator(chunk_size=CHUNK):
            resident = tag.resident
            id_number, phone = identity(resident, reveal)
            yield [
                *place_of(tag.area, resident.household),
                resident.name,
                resident.age,
                id_number,
                phone,
                KeyGroup.Kind(tag.kind).label,
                tag.found_on.isoformat(),
                tag.ended_on.isoformat() if tag.ended_on else "",
                tag.note,
            ]

    return write_table(stream, title=_("Key groups"), columns=columns, rows=rows())
