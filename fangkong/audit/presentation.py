"""Audit events in words: who, what, which record (linked when it is still in scope), details.

A page of events is presented with one query per kind of record named, whatever its length.
"""

from collections import defaultdict

from django.core.exceptions import FieldDoesNotExist
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from fangkong.areas.models import Area, RoleKind, Worker
from fangkong.audit.actions import TARGETS, action_label
from fangkong.people.filters import HouseholdFilter, KeyGroupFilter, ResidentFilter
from fangkong.people.models import Household, KeyGroup, Resident

# target type: (model, related records to fetch with it, page URL of a record)
LINKED = {
    "resident": (Resident, [], lambda r: reverse("resident_detail", args=[r.pk])),
    "household": (Household, ["building"], lambda h: reverse("household_detail", args=[h.pk])),
    "worker": (Worker, [], lambda w: reverse("worker_detail", args=[w.pk])),
    "area": (Area, [], lambda a: reverse("area_detail", args=[a.code])),
}
EXPORT_LISTS = {
    "resident": (ResidentFilter, lambda: _("Resident list")),
    "household": (HouseholdFilter, lambda: _("Household list")),
    "key_group": (KeyGroupFilter, lambda: _("Key group list")),
}


def present(events, user):
    """The events with `label`, `actor_name`, `target_name`, `target_url` and `details` set."""
    events = list(events)
    wanted = defaultdict(set)
    for event in events:
        wanted[event.target_type].add(event.target_id)
        if event.action == "resident.move":
            wanted["household"] |= {
                event.detail.get("source_household"),
                event.detail.get("household"),
            }
    found = {}
    for kind, (model, related, _url) in LINKED.items():
        ids = {i for i in wanted.get(kind, ()) if isinstance(i, int)}
        records = model.objects.visible_to(user).select_related(*related).filter(pk__in=ids)
        found[kind] = {record.pk: record for record in records} if ids else {}
    for event in events:
        event.label = action_label(event.action)
        worker = getattr(event.actor, "worker", None) if event.actor else None
        event.actor_name = worker.name if worker else (event.actor.username if event.actor else "")
        record = found.get(event.target_type, {}).get(event.target_id)
        if record is not None:
            event.target_name = str(record)
            event.target_url = LINKED[event.target_type][2](record)
        else:
            # Gone, or moved out of the reader's areas: its kind and number only.
            event.target_name = (
                f"{TARGETS.get(event.target_type, event.target_type)} #{event.target_id}"
            )
            event.target_url = ""
        event.details = describe(event, found)
    return events


def household_name(found, pk):
    household = found["household"].get(pk)
    return str(household) if household else f"#{pk}"


def describe(event, found):
    """The event's detail as short sentences; never a whole number (`record` masks them)."""
    detail = dict(event.detail or {})
    action = event.action
    if action == "resident.change":
        names = [str(field_label(Resident, f)) for f in detail.get("fields", [])]
        return [_("Changed: %(fields)s") % {"fields": "、".join(names)}] if names else []
    if action == "resident.move":
        return [
            _("From %(source)s to %(target)s")
            % {
                "source": household_name(found, detail.get("source_household")),
                "target": household_name(found, detail.get("household")),
            }
        ]
    if action == "resident.status":
        status = choice_label(Resident.Status, detail.get("status"))
        return [_("%(status)s since %(date)s") % {"status": status, "date": detail.get("since")}]
    if action in ("key_group.add", "key_group.end"):
        return [choice_label(KeyGroup.Kind, detail.get("kind"))]
    if action in ("grant_role", "revoke_role"):
        return [choice_label(RoleKind, detail.get("kind"))]
    if action == "household.assign":
        n = len(detail.get("households", []))
        return [ngettext("%(n)d household", "%(n)d households", n) % {"n": n}]
    if action == "add_worker":
        return [_("Username: %(u)s") % {"u": detail["username"]}] if detail.get("username") else []
    if action == "change_worker" and "is_active" in detail:
        return [_("Active") if detail["is_active"] else _("Inactive")]
    if action == "export":
        return describe_export(detail)
    return [f"{key}: {value}" for key, value in sorted(detail.items())]


def describe_export(detail):
    filterset, title = EXPORT_LISTS.get(detail.get("list"), (None, None))
    filters = detail.get("filters") or {}
    shown = []
    for key, value in sorted(filters.items()):
        if key == "reveal":
            if value == "1":
                shown.append(_("with whole numbers"))
            continue
        known = filterset.base_filters.get(key) if filterset else None
        label = (known.label if known else None) or key
        choices = dict(known.extra.get("choices") or ()) if known else {}
        shown.append(f"{label}: {choices.get(value, value)}")
    rows = detail.get("rows", 0)
    return [
        _("List: %(list)s") % {"list": title() if title else detail.get("list", "")},
        _("Filter: %(filters)s") % {"filters": "; ".join(shown)} if shown else _("No filter"),
        ngettext("%(n)d row", "%(n)d rows", rows) % {"n": rows},
    ]


def field_label(model, name):
    try:
        return model._meta.get_field(name).verbose_name
    except FieldDoesNotExist:  # a field since renamed
        return name


def choice_label(choices, value):
    try:
        return choices(value).label
    except ValueError:
        return value or ""
