"""Patrols, household visits and care visits (docs/visits.md).

Grid workers, building heads and group leaders visit the households they are responsible for
(包片联户) and patrol; community workers do as well and set their community's visiting cycle;
supervisors read it all, set cycles and care cadences and start holiday campaigns. Care plans
and care visits are personal (lone elderly, orphans…): volunteers, checkpoint staff do not
read them; medical workers do, and record counselling."""

VIEW_VISIT = "visits.view_visit"
RECORD_VISIT = "visits.add_visit"
VIEW_PATROL = "visits.view_patrol"
RECORD_PATROL = "visits.add_patrol"
SET_CYCLE = "visits.change_visitcycle"
VIEW_CARE = "visits.view_careplan"
PLAN_CARE = "visits.add_careplan"
VIEW_CARE_VISIT = "visits.view_carevisit"
RECORD_CARE = "visits.add_carevisit"
VIEW_CAMPAIGN = "visits.view_carecampaign"

VISITING = {VIEW_VISIT, RECORD_VISIT, VIEW_PATROL, RECORD_PATROL}
CARING = {VIEW_CARE, VIEW_CARE_VISIT, RECORD_CARE, VIEW_CAMPAIGN}
READING = {VIEW_VISIT, VIEW_PATROL, VIEW_CARE, VIEW_CARE_VISIT, VIEW_CAMPAIGN}

GRANTS = {
    "system_admin": READING | {SET_CYCLE, PLAN_CARE},
    "supervisor": READING | {SET_CYCLE, PLAN_CARE},
    "community_worker": VISITING | CARING | {SET_CYCLE, PLAN_CARE},
    "grid_worker": VISITING | CARING,
    "building_head": VISITING | CARING,
    "group_leader": VISITING | CARING,
    "medical_worker": CARING,
    "volunteer": {VIEW_PATROL, RECORD_PATROL},
}
