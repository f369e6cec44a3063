"""Audit events in words: who, what, which record (linked when it is still in scope), details.

What each app's actions and records look like is registered by that app
(`fangkong.audit.registry`). A page of events is presented with one query per kind of
record named, whatever its length.
"""

from collections import defaultdict

from django.core.exceptions import FieldDoesNotExist
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from fangkong.audit import registry
from fangkong.web import view_perm


def present(events, user):
    """The events with `label`, `actor_name`, `target_name`, `target_url` and `details` set."""
    events = list(events)
    wanted = defaultdict(set)
    for event in events:
        wanted[event.target_type].add(event.target_id)
        described = registry.details(event.action)
        if described and described.mentions:
            for kind, ids in described.mentions(event.detail or {}).items():
                wanted[kind] |= set(ids)
    found = {}
    for kind, target in registry.targets().items():
        ids = {i for i in wanted.get(kind, ()) if isinstance(i, int)}
        if target.model is None or not ids:
            continue
        records = (
            target.model.objects.visible_to(user, view_perm(target.model))
            .select_related(*target.related)
            .filter(pk__in=ids)
        )
        found[kind] = {record.pk: record for record in records}

    def name_of(kind, pk):
        record = found.get(kind, {}).get(pk)
        return str(record) if record is not None else f"#{pk}"

    for event in events:
        event.label = registry.action_label(event.action)
        worker = getattr(event.actor, "worker", None) if event.actor else None
        event.actor_name = worker.name if worker else (event.actor.username if event.actor else "")
        record = found.get(event.target_type, {}).get(event.target_id)
        target = registry.targets().get(event.target_type)
        if record is not None:
            event.target_name = str(record)
            event.target_url = target.url(record) if target.url else ""
        else:
            # Gone, or moved out of the reader's areas: its kind and number only.
            event.target_name = f"{registry.target_label(event.target_type)} #{event.target_id}"
            event.target_url = ""
        event.details = describe(event, name_of)
    return events


def describe(event, name_of):
    """The event's detail as short sentences; never a whole number (`record` masks them)."""
    detail = dict(event.detail or {})
    # Any change made through an API token names it (fangkong.audit.services.record).
    token = detail.pop("token", None)
    described = registry.details(event.action)
    if described:
        lines = described.describe(detail, name_of)
    else:
        lines = [f"{key}: {value}" for key, value in sorted(detail.items())]
    if token is not None:
        lines.append(_("Through API token #%(id)s") % {"id": token})
    return lines


def describe_export(detail, name_of=None):
    """An export's list, filters (in the list's own labels) and number of rows."""
    exported = registry.export_list(detail.get("list"))
    filterset = exported.filterset if exported else None
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
        _("List: %(list)s") % {"list": exported.title if exported else detail.get("list", "")},
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


def choice_detail(choices, key="kind"):
    """A describer showing one choice of the detail by its label (a role, a key group)."""
    return lambda detail, name_of: [choice_label(choices, detail.get(key))]
