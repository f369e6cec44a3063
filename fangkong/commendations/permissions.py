"""Commendations (docs/commendations.md), designed like gatherings' GRANTS.

Community workers propose the exemplary workers of their areas and choose what their
community's public page shows; township and county supervisors decide (award or decline)
and publish as well. Every worker who stands in an area reads its commendations: they are
the area's pride, and the public page shows the published ones to anyone."""

VIEW = "commendations.view_commendation"
PROPOSE = "commendations.add_commendation"
DECIDE = "commendations.change_commendation"
PUBLISH = "commendations.publish_commendation"

GRANTS = {
    "system_admin": {VIEW},
    "supervisor": {VIEW, PROPOSE, DECIDE, PUBLISH},
    "community_worker": {VIEW, PROPOSE, PUBLISH},
    "medical_worker": {VIEW},
    "grid_worker": {VIEW},
}
