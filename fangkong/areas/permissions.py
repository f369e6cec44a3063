"""What each role may do, and where: Django's permission API answered from roles on areas.

`user.has_perm(perm)` is true when any of the user's roles grants it;
`user.has_perm(perm, record)` only when a role whose subtree holds the record grants it.
"""

from fangkong.areas.models import Level, RoleKind
from fangkong.areas.scope import roles_of

READ = {
    "areas.view_area",
    "areas.view_building",
    "areas.view_worker",
    "areas.view_role",
    "people.view_household",
    "people.view_resident",
}
EDIT_PLACES = {
    "areas.add_area",
    "areas.change_area",
    "areas.add_building",
    "areas.change_building",
    "areas.delete_building",
}
EDIT_PEOPLE = {
    "people.add_household",
    "people.change_household",
    "people.add_resident",
    "people.change_resident",
    "people.add_keygroup",
    "people.delete_keygroup",
    "people.add_importjob",
}
# Whole ID numbers and phones: those who call and visit people, one click and one audit row each.
REVEAL = {"people.reveal_resident"}
EXPORT = {"people.export_resident"}
ASSIGN_HOUSEHOLDS = {"people.add_householdassignment"}
READ_AUDIT = {"audit.view_auditevent"}
# Health monitoring (key persons' temperatures and symptoms): who watches, who records.
READ_MONITORING = {
    "monitoring.view_monitoringplan",
    "monitoring.view_healthcheck",
    "monitoring.view_alert",
}
RECORD_CHECKS = {"monitoring.add_healthcheck", "monitoring.change_alert"}
RUN_MONITORING = RECORD_CHECKS | {
    "monitoring.add_monitoringplan",
    "monitoring.change_monitoringplan",
}
# Verification lists (协查名单): supervisors upload and watch them, workers verify the tasks.
WATCH_VERIFICATION = {
    "verification.view_verificationlist",
    "verification.view_verificationtask",
}
UPLOAD_VERIFICATION = WATCH_VERIFICATION | {
    "verification.add_verificationlist",
    "verification.export_verificationlist",
    "verification.assign_verificationtask",
}
VERIFY = {
    "verification.view_verificationtask",
    "verification.change_verificationtask",
}
PASS_DOWN = {"verification.assign_verificationtask"}
# Daily reports: read by those who send them and those above; who sends which level's
# report is the reports service's rule (community workers theirs, supervisors above).
READ_REPORTS = {"reports.view_dailyreport"}
SEND_REPORTS = READ_REPORTS | {"reports.add_dailyreport", "reports.change_dailyreport"}
MANAGE_WORKERS = {
    "areas.add_worker",
    "areas.change_worker",
    "areas.add_role",
    "areas.delete_role",
}

ROLE_PERMISSIONS = {
    RoleKind.SYSTEM_ADMIN: READ
    | EDIT_PLACES
    | EDIT_PEOPLE
    | MANAGE_WORKERS
    | REVEAL
    | EXPORT
    | ASSIGN_HOUSEHOLDS
    | READ_AUDIT
    | READ_MONITORING
    | RUN_MONITORING
    | UPLOAD_VERIFICATION
    | VERIFY
    | SEND_REPORTS,
    RoleKind.SUPERVISOR: READ
    | EDIT_PLACES
    | MANAGE_WORKERS
    | EXPORT
    | READ_AUDIT
    | READ_MONITORING
    | UPLOAD_VERIFICATION
    | SEND_REPORTS,
    RoleKind.COMMUNITY_WORKER: READ
    | EDIT_PLACES
    | EDIT_PEOPLE
    | MANAGE_WORKERS
    | REVEAL
    | EXPORT
    | ASSIGN_HOUSEHOLDS
    | READ_AUDIT
    | READ_MONITORING
    | RUN_MONITORING
    | VERIFY
    | PASS_DOWN
    | SEND_REPORTS,
    RoleKind.GRID_WORKER: READ
    | EDIT_PEOPLE
    | REVEAL
    | EXPORT
    | READ_MONITORING
    | RUN_MONITORING
    | VERIFY
    | {"areas.add_building", "areas.change_building"},
    RoleKind.BUILDING_HEAD: READ,
    RoleKind.GROUP_LEADER: READ,
    RoleKind.MEDICAL_WORKER: READ | REVEAL | READ_MONITORING | RECORD_CHECKS,
    RoleKind.CHECKPOINT_STAFF: {"areas.view_area", "areas.view_building"},
    RoleKind.VOLUNTEER: {"areas.view_area", "areas.view_building"},
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


def record_path(record):
    return getattr(record, record.scope_path_field)


class RoleBackend:
    """An authentication backend that authenticates nobody and answers permissions from roles."""

    def authenticate(self, request, **credentials):
        return None

    def get_user(self, user_id):
        return None

    def has_perm(self, user_obj, perm, obj=None):
        path = record_path(obj) if obj is not None else ""
        return any(
            perm in ROLE_PERMISSIONS[kind] and (obj is None or path.startswith(role_path))
            for role_path, kind in roles_of(user_obj)
        )

    def has_module_perms(self, user_obj, app_label):
        return any(
            p.startswith(f"{app_label}.")
            for _path, kind in roles_of(user_obj)
            for p in ROLE_PERMISSIONS[kind]
        )


def grantable_kinds(user, area):
    """The role kinds the user may grant (or revoke) on this area."""
    kinds = set()
    for role_path, kind in roles_of(user):
        if area.path.startswith(role_path):
            kinds |= GRANTABLE.get(kind, set())
            if area.path == role_path:
                kinds.discard(kind)
    return {k for k in kinds if area.level in ROLE_LEVELS[k]}


def can_manage_worker(user, worker):
    """Whether the user outranks the worker everywhere the worker holds a role."""
    if worker.user_id is not None and worker.user_id == user.pk:
        return False
    return all(
        role.kind in grantable_kinds(user, role.area)
        for role in worker.roles.select_related("area")
    )
