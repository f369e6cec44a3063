"""Risk levels: everyone reads them (they are published); supervisors set them for their
areas and below (the command headquarters' decision, docs/response.md); the community worker
and supervisors mark an area's traits.

Plans and responses (docs/response.md): every worker reads the responses of their areas and
the tasks they carry out, and the plan's measures; supervisors and community workers add
measures to their area's plan, upload its documents and follow any task of their areas to
done (a task's owner may mark their own task done whatever their role)."""

from fangkong.areas.models import RoleKind

VIEW = "response.view_risklevelchange"
SET_LEVEL = "response.add_risklevelchange"
SET_TRAITS = "response.change_areatrait"

VIEW_PLAN = "response.view_measure"
ADD_MEASURE = "response.add_measure"
VIEW_DOCUMENTS = "response.view_plandocument"
UPLOAD_DOCUMENT = "response.add_plandocument"
VIEW_RESPONSE = "response.view_emergencyresponse"
VIEW_TASK = "response.view_measuretask"
FOLLOW_TASKS = "response.change_measuretask"

PLANNERS = {VIEW_DOCUMENTS, UPLOAD_DOCUMENT, ADD_MEASURE, FOLLOW_TASKS}

GRANTS = {
    **{kind.value: {VIEW, VIEW_PLAN, VIEW_RESPONSE, VIEW_TASK} for kind in RoleKind},
    "system_admin": {VIEW, SET_LEVEL, SET_TRAITS, VIEW_PLAN, VIEW_RESPONSE, VIEW_TASK, *PLANNERS},
    "supervisor": {VIEW, SET_LEVEL, SET_TRAITS, VIEW_PLAN, VIEW_RESPONSE, VIEW_TASK, *PLANNERS},
    "community_worker": {VIEW, SET_TRAITS, VIEW_PLAN, VIEW_RESPONSE, VIEW_TASK, *PLANNERS},
}
