"""What the roles may do with areas, buildings, workers and roles, and who may grant which role.

The areas app grants its own permissions (`GRANTS`, registered in `AreasConfig.ready()`);
every other app grants its own in the same way (`fangkong.permissions`).
"""

from fangkong.areas.models import Level, RoleKind
from fangkong.scope import roles_of

READ_PLACES = {"areas.view_area", "areas.view_building"}
READ_WORKERS = {"areas.view_worker", "areas.view_role"}
EDIT_BUILDINGS = {"areas.add_building", "areas.change_building"}
EDIT_PLACES = EDIT_BUILDINGS | {"areas.add_area", "areas.change_area", "areas.delete_building"}
MANAGE_WORKERS = {
    "areas.add_worker",
    "areas.change_worker",
    "areas.add_role",
    "areas.delete_role",
}

GRANTS = {
    RoleKind.SYSTEM_ADMIN: READ_PLACES | READ_WORKERS | EDIT_PLACES | MANAGE_WORKERS,
    RoleKind.SUPERVISOR: READ_PLACES | READ_WORKERS | EDIT_PLACES | MANAGE_WORKERS,
    RoleKind.COMMUNITY_WORKER: READ_PLACES | READ_WORKERS | EDIT_PLACES | MANAGE_WORKERS,
    RoleKind.GRID_WORKER: READ_PLACES | READ_WORKERS | EDIT_BUILDINGS,
    RoleKind.MEDICAL_WORKER: READ_PLACES | READ_WORKERS,
    RoleKind.BUILDING_HEAD: READ_PLACES | READ_WORKERS,
    RoleKind.GROUP_LEADER: READ_PLACES | READ_WORKERS,
    RoleKind.CHECKPOINT_STAFF: READ_PLACES,
    RoleKind.VOLUNTEER: READ_PLACES,
}

# Which roles a holder of a role may hand out, on areas inside their own subtree. A role of
# one's own kind only strictly below one's own area: a county supervisor appoints township
# supervisors, a township supervisor community workers, nobody a peer or a superior.
GRANTABLE = {
    RoleKind.SYSTEM_ADMIN: set(RoleKind),
    RoleKind.SUPERVISOR: set(RoleKind) - {RoleKind.SYSTEM_ADMIN},
    RoleKind.COMMUNITY_WORKER: set(RoleKind)
    - {RoleKind.SYSTEM_ADMIN, RoleKind.SUPERVISOR, RoleKind.COMMUNITY_WORKER},
}

# The levels a role may stand on.
ROLE_LEVELS = {
    RoleKind.SYSTEM_ADMIN: set(Level),
    RoleKind.SUPERVISOR: {Level.PROVINCE, Level.CITY, Level.COUNTY, Level.TOWNSHIP},
    RoleKind.COMMUNITY_WORKER: {Level.COMMUNITY},
    RoleKind.MEDICAL_WORKER: {Level.TOWNSHIP, Level.COMMUNITY},
    RoleKind.GRID_WORKER: {Level.GRID},
    RoleKind.BUILDING_HEAD: {Level.GRID},
    RoleKind.GROUP_LEADER: {Level.GRID},
    RoleKind.CHECKPOINT_STAFF: {Level.COMMUNITY, Level.GRID},
    RoleKind.VOLUNTEER: {Level.COMMUNITY, Level.GRID},
}


def grantable_kinds(user, area):
    """The role kinds the user may grant (or revoke) on this area."""
    kinds = set()
    for role_path, kind in roles_of(user):
        if area.path.startswith(role_path):
            kinds |= GRANTABLE.get(kind, set())
            if area.path == role_path:
                kinds.discard(kind)
    return {k for k in kinds if area.level in ROLE_LEVELS[k]}


def can_manage_worker(user, worker, roles):
    """Whether the user outranks the worker everywhere the worker holds a role (`roles`: all
    of the worker's roles, read by the caller in the system scope, none hidden)."""
    if worker.user_id is not None and worker.user_id == user.pk:
        return False
    return all(role.kind in grantable_kinds(user, role.area) for role in roles)
