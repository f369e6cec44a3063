"""Who may do what with cases and contacts (issue 15 point 7).

Cases and contacts are managed by county/township supervisors and medical workers within
their scope (a contact is seen from both its ends, `ContactQuerySet.visible_to`). A contact
living in another community becomes a `TracingTask` there: its community and grid workers
see and close the tasks of their areas and the persons they concern, never the source's
name or record."""

from fangkong.areas.models import RoleKind

VIEW_PERSON = "tracing.view_tracedperson"
REVEAL = "tracing.reveal_tracedperson"
VIEW_CASE = "tracing.view_case"
ADD_CASE = "tracing.add_case"
CHANGE_CASE = "tracing.change_case"
EXPORT = "tracing.export_case"
VIEW_CONTACT = "tracing.view_contact"
ADD_CONTACT = "tracing.add_contact"
VIEW_TASK = "tracing.view_tracingtask"
DO_TASK = "tracing.change_tracingtask"
# Case lists uploaded (imported with ADD_CASE), read with their problems.
VIEW_IMPORT = "tracing.view_caseimport"
# The log of category changes is read with the person it is about.
VIEW_RANK = "tracing.view_rankchange"

MANAGERS = {
    VIEW_PERSON,
    REVEAL,
    VIEW_CASE,
    ADD_CASE,
    CHANGE_CASE,
    EXPORT,
    VIEW_CONTACT,
    ADD_CONTACT,
    VIEW_TASK,
    DO_TASK,
    VIEW_RANK,
    VIEW_IMPORT,
}
TRACERS = {VIEW_PERSON, VIEW_TASK, DO_TASK, VIEW_RANK}

GRANTS = {
    RoleKind.SYSTEM_ADMIN.value: MANAGERS,
    RoleKind.SUPERVISOR.value: MANAGERS,
    RoleKind.MEDICAL_WORKER.value: MANAGERS,
    RoleKind.COMMUNITY_WORKER.value: TRACERS,
    RoleKind.GRID_WORKER.value: TRACERS,
}
