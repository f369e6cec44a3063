"""What a directive asks an area to report: the figures the issuer asked, then those each
level above added when forwarding it (层层加码 of figures, each marked by the level that
added it), so that reports, sums and exports list one set of figures in one order.

A figure the system knows is a key of the daily-report registry; a typed one is keyed
`asked-<i>` (the issuer's i-th) or `asked-<receipt>-<i>` (the i-th a level added when
forwarding its receipt): every typed key starts with `asked-`."""

from typing import NamedTuple

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from fangkong.reports.registry import all_figures

TYPED_PREFIX = "asked-"


def issuer_key(index):
    return f"{TYPED_PREFIX}{index}"


def added_key(receipt_pk, index):
    return f"{TYPED_PREFIX}{receipt_pk}-{index}"


class Ask(NamedTuple):
    key: str
    label: str
    typed: bool
    by: object = None  # the Area of the level that added it; None: the issuer


class Row(NamedTuple):
    key: str
    label: str
    value: int
    typed: bool
    by: object = None


def asks_of(directive, levels=()):
    """The figures asked by the directive and by the forwarding `levels` (receipts, from the
    top down), in that order; a figure asked twice is listed once, as first asked."""
    keys = [*directive.figures, *(key for level in levels for key in level.figures)]
    labels = {figure.key: figure.label for figure in all_figures()} if keys else {}
    found = [Ask(key, str(labels.get(key, key)), False) for key in directive.figures]
    found += [Ask(issuer_key(i), label, True) for i, label in enumerate(directive.asked)]
    for level in levels:
        found += [Ask(key, str(labels.get(key, key)), False, level.area) for key in level.figures]
        found += [
            Ask(added_key(level.pk, i), label, True, level.area)
            for i, label in enumerate(level.asked)
        ]
    seen = set()
    return [ask for ask in found if not (ask.key in seen or seen.add(ask.key))]


def rows(asks, values):
    """[Row] of `asks` with their values (0 when none)."""
    return [Row(a.key, a.label, values.get(a.key, 0), a.typed, a.by) for a in asks]


def check_added(directive, above, figures, asked):
    """Refuse a figure a forwarding level adds that is already asked of it (by the issuer or a
    level above): the same figure is never asked twice ("ten offices asking the same")."""
    asked_above = asks_of(directive, above)
    known = {a.key: a for a in asked_above if not a.typed}
    labels = {a.label: a for a in asked_above if a.typed}
    for key in figures:
        if key in known:
            raise _twice("figures", known[key], directive)
    for label in asked:
        if label in labels:
            raise _twice("asked", labels[label], directive)
    if len(set(asked)) != len(asked):
        raise ValidationError({"asked": _("A figure is listed twice.")})


def _twice(field, ask, directive):
    area = ask.by or directive.area
    return ValidationError(
        {
            field: _("%(label)s is already asked by %(area)s: it is not asked twice.")
            % {"label": ask.label, "area": area.name}
        }
    )


def mark_added(levels, asked):
    """Give each forwarding level (a receipt) `added`: the asks of `asked` it added, for its
    page to show beside its text."""
    for level in levels:
        level.added = [ask for ask in asked if ask.by is not None and ask.by.pk == level.area_id]
    return levels
