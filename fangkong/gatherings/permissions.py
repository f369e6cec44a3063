"""Gatherings, meetings and sanitation (docs/gatherings.md).

Grid workers, building heads and group leaders register the family events of their
households and give the advice; community workers do as well, register meetings and hand
out sanitation tasks; supervisors read it all, set their county's meeting limits and start
sanitation campaigns. Whoever may own a sanitation task (volunteers too) completes it."""

VIEW_GATHERING = "gatherings.view_gathering"
REGISTER_GATHERING = "gatherings.add_gathering"
VIEW_MEETING = "gatherings.view_meeting"
REGISTER_MEETING = "gatherings.add_meeting"
VIEW_LIMITS = "gatherings.view_meetinglimit"
SET_LIMITS = "gatherings.change_meetinglimit"
VIEW_TASK = "gatherings.view_sanitationtask"
ASSIGN_TASK = "gatherings.add_sanitationtask"
DO_TASK = "gatherings.change_sanitationtask"
VIEW_CAMPAIGN = "gatherings.view_sanitationcampaign"
START_CAMPAIGN = "gatherings.add_sanitationcampaign"

READING = {VIEW_GATHERING, VIEW_MEETING, VIEW_LIMITS, VIEW_TASK, VIEW_CAMPAIGN}
FIELD = {VIEW_GATHERING, REGISTER_GATHERING, VIEW_MEETING, VIEW_LIMITS, VIEW_TASK, DO_TASK}

GRANTS = {
    "system_admin": READING | {SET_LIMITS},
    "supervisor": READING | {SET_LIMITS, ASSIGN_TASK, START_CAMPAIGN},
    "community_worker": READING | FIELD | {REGISTER_MEETING, ASSIGN_TASK, START_CAMPAIGN},
    "grid_worker": FIELD,
    "building_head": FIELD,
    "group_leader": FIELD,
    "volunteer": {VIEW_TASK, DO_TASK},
}
