"""The people app's audit actions, records and exported lists, registered when
`PeopleConfig.ready()` imports this module."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from fangkong.audit.presentation import choice_detail, choice_label, field_label
from fangkong.audit.registry import (
    register_actions,
    register_details,
    register_export_list,
    register_target,
)
from fangkong.people.filters import HouseholdFilter, KeyGroupFilter, ResidentFilter
from fangkong.people.models import Household, ImportJob, KeyGroup, Resident

register_actions(
    {
        "resident.add": gettext_lazy("Resident registered"),
        "resident.change": gettext_lazy("Resident changed"),
        "resident.move": gettext_lazy("Resident moved to another household"),
        "resident.status": gettext_lazy("Resident status changed"),
        "resident.reveal": gettext_lazy("Whole numbers viewed"),
        "resident.import": gettext_lazy("Residents imported"),
        "key_group.add": gettext_lazy("Key group tagged"),
        "key_group.end": gettext_lazy("Key group ended"),
        "key_group.dismiss": gettext_lazy("Key group suggestion dismissed"),
        "household.add": gettext_lazy("Household added"),
        "household.change": gettext_lazy("Household changed"),
        "household.move": gettext_lazy("Household moved"),
        "household.assign": gettext_lazy("Households assigned"),
    }
)
register_target(
    "resident",
    gettext_lazy("resident"),
    model=Resident,
    url=lambda r: reverse("resident_detail", args=[r.pk]),
)
register_target(
    "household",
    gettext_lazy("household"),
    model=Household,
    related=["building"],
    url=lambda h: reverse("household_detail", args=[h.pk]),
)
register_target("keygroup", gettext_lazy("key group"))
register_target(
    "importjob",
    gettext_lazy("resident import"),
    model=ImportJob,
    url=lambda job: reverse("resident_import_job", args=[job.pk]),
)
register_export_list("resident", gettext_lazy("Resident list"), ResidentFilter)
register_export_list("household", gettext_lazy("Household list"), HouseholdFilter)
register_export_list("key_group", gettext_lazy("Key group list"), KeyGroupFilter)
register_export_list("rejected import rows", gettext_lazy("Rejected import rows"))


def changed_fields(detail, name_of):
    names = [str(field_label(Resident, f)) for f in detail.get("fields", [])]
    return [_("Changed: %(fields)s") % {"fields": "、".join(names)}] if names else []


def moved(detail, name_of):
    if not detail.get("source_household"):  # waiting for a household (待落户) until then
        return [
            _("Placed in %(target)s") % {"target": name_of("household", detail.get("household"))}
        ]
    return [
        _("From %(source)s to %(target)s")
        % {
            "source": name_of("household", detail.get("source_household")),
            "target": name_of("household", detail.get("household")),
        }
    ]


def households_of_move(detail):
    places = [detail.get("source_household"), detail.get("household")]
    return {"household": [pk for pk in places if pk]}


def status(detail, name_of):
    label = choice_label(Resident.Status, detail.get("status"))
    return [_("%(status)s since %(date)s") % {"status": label, "date": detail.get("since")}]


def assigned(detail, name_of):
    n = len(detail.get("households", []))
    return [ngettext("%(n)d household", "%(n)d households", n) % {"n": n}]


register_details("resident.change", changed_fields)
register_details("resident.move", moved, mentions=households_of_move)
register_details("resident.status", status)
register_details(
    ["key_group.add", "key_group.end", "key_group.dismiss"], choice_detail(KeyGroup.Kind)
)


def imported(detail, name_of):
    counts = {key: detail.get(key, 0) for key in ("new", "updated", "key_groups")}
    lines = [
        _("File: %(file)s") % {"file": detail.get("file", "")},
        _("%(new)d new, %(updated)d updated, %(key_groups)d key group tags") % counts,
    ]
    if detail.get("unplaced"):
        lines.append(_("%(n)d waiting for a household") % {"n": detail["unplaced"]})
    return lines


register_details("household.assign", assigned)
register_details("resident.import", imported)
