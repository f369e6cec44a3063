"""Who is entitled to services (5.4, 应保尽保): groups of residents derived from the records,
which any app registers (`register(EntitledGroup(...))` in its `ready()`), so that the "to
serve" list grows with the apps and names none of them.

`residents(user, perm)` returns the residents of the group the user may read with `perm`
(a `Resident.objects.visible_to(user, perm)` narrowed to the group); the list then narrows
it to one area."""

from dataclasses import dataclass


@dataclass(frozen=True)
class EntitledGroup:
    key: str
    label: object
    residents: object  # (user, perm) -> Resident queryset
    order: int = 50


_GROUPS = {}


def register(*groups):
    for group in groups:
        _GROUPS[group.key] = group


def registered():
    return sorted(_GROUPS.values(), key=lambda g: (g.order, g.key))


def group(key):
    return _GROUPS.get(key)
