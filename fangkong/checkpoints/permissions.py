"""Checkpoints: the community worker and supervisors set them up and switch closed
management and issue and revoke its passes (出入证); checkpoint staff record passages and
look people up at their gate (name, masked ID number and household only: they do not read the resident registry, docs/roles.md); grid
and community workers deal with the gate alerts of their people."""

VIEW = "checkpoints.view_checkpoint"
ADD = "checkpoints.add_checkpoint"
CHANGE = "checkpoints.change_checkpoint"
VIEW_PASSAGES = "checkpoints.view_passage"
RECORD = "checkpoints.add_passage"
VIEW_ALERTS = "checkpoints.view_gatealert"
DISPOSE = "checkpoints.change_gatealert"
VIEW_PASS = "checkpoints.view_pass"
ISSUE_PASSES = "checkpoints.add_pass"
REVOKE_PASS = "checkpoints.change_pass"
# Visitors' own registrations (自助登记), confirmed or rejected at the gate.
VIEW_REGISTRATIONS = "checkpoints.view_registration"
CONFIRM = "checkpoints.change_registration"

RUN_GATE = {VIEW, VIEW_PASSAGES, RECORD, VIEW_REGISTRATIONS, CONFIRM}
ALERTS = {VIEW_ALERTS, DISPOSE}
PASSES = {VIEW_PASS, ISSUE_PASSES, REVOKE_PASS}

GRANTS = {
    "system_admin": RUN_GATE | ALERTS | PASSES | {ADD, CHANGE},
    "supervisor": {VIEW, VIEW_PASSAGES, VIEW_ALERTS, VIEW_REGISTRATIONS, ADD, CHANGE} | PASSES,
    "community_worker": RUN_GATE | ALERTS | PASSES | {ADD, CHANGE},
    "grid_worker": {VIEW, VIEW_PASS} | ALERTS,
    "checkpoint_staff": RUN_GATE | {VIEW_PASS},
}
