"""Who may do what: each app grants its permissions to role kinds in its `AppConfig.ready()`.

`grant({kind: perms})` adds to the table; nothing here names an app. The scope
(`fangkong.scope`: `visible_to(user, perm)` and Django's `has_perm` through `RoleBackend`)
reads this one table, so a page, the API and `has_perm` can never disagree.
"""

from collections import defaultdict

_GRANTS = defaultdict(set)  # role kind -> permissions


def grant(grants):
    """Give each role kind (its code, e.g. "grid_worker") the permissions listed for it."""
    for kind, perms in grants.items():
        _GRANTS[str(kind)] |= set(perms)


def permissions_of(kind):
    return frozenset(_GRANTS.get(str(kind), ()))


def all_permissions():
    return frozenset().union(*_GRANTS.values())


def kinds_granting(perm):
    """The role kinds that hold `perm`; a permission no app granted is a mistake, not a 'no'."""
    kinds = {kind for kind, perms in _GRANTS.items() if perm in perms}
    if not kinds:
        raise LookupError(f"no role kind is granted {perm!r}: is it registered in an app?")
    return kinds
