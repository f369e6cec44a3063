"""The duty roster: community workers and supervisors keep the posts and build the rosters
of their areas; the workers who stand duty read them (each always sees their own shifts);
the county's supervisors keep its holidays."""

VIEW = "workforce.view_dutyshift"
VIEW_POSTS = "workforce.view_dutypost"
VIEW_HOLIDAYS = "workforce.view_dutyholiday"
# The duty desk's hotline is on the public page; the permission names who reads its record.
VIEW_DESK = "workforce.view_dutydesk"
ROSTER = "workforce.change_dutyshift"
POSTS = "workforce.change_dutypost"
HOLIDAYS = "workforce.change_dutyholiday"

READ = {VIEW, VIEW_POSTS, VIEW_HOLIDAYS, VIEW_DESK}
GRANTS = {
    "system_admin": READ | {ROSTER, POSTS, HOLIDAYS},
    "supervisor": READ | {ROSTER, POSTS, HOLIDAYS},
    "community_worker": READ | {ROSTER, POSTS},
    "grid_worker": READ,
    "medical_worker": READ,
}

# Every worker reads their own shifts, chooses their duty phone and holds a calendar feed,
# whatever their role: the records are their own (never anyone else's through this one).
MINE = "workforce.view_dutyprofile"
for _kind in (
    "system_admin",
    "supervisor",
    "community_worker",
    "medical_worker",
    "grid_worker",
    "building_head",
    "group_leader",
    "checkpoint_staff",
    "volunteer",
):
    GRANTS.setdefault(_kind, set()).add(MINE)
del _kind

# The division of duties (职责分工, docs/responsibilities.md): every worker reads who leads,
# coordinates and reports in their areas; community workers and supervisors set it.
VIEW_RESPONSIBILITY = "workforce.view_responsibility"
SET_RESPONSIBILITY = "workforce.change_responsibility"
for _kind in GRANTS:
    GRANTS[_kind].add(VIEW_RESPONSIBILITY)
for _kind in ("system_admin", "supervisor", "community_worker"):
    GRANTS[_kind].add(SET_RESPONSIBILITY)
del _kind
