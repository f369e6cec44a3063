"""Community facilities and disinfection logs (docs/facilities.md).

Community workers register their facilities, set their capacity, suspend and reopen them;
whoever keeps a door (grid workers, volunteers) counts the visitors and logs disinfection;
supervisors read it all and may suspend or reopen a facility of their subtree."""

VIEW_FACILITY = "facilities.view_facility"
MANAGE_FACILITY = "facilities.change_facility"
SUSPEND_FACILITY = "facilities.suspend_facility"
COUNT_VISITS = "facilities.add_doortap"
VIEW_DISINFECTION = "facilities.view_disinfectionlog"
LOG_DISINFECTION = "facilities.add_disinfectionlog"

READING = {VIEW_FACILITY, VIEW_DISINFECTION}
DOOR = {VIEW_FACILITY, COUNT_VISITS, VIEW_DISINFECTION, LOG_DISINFECTION}

GRANTS = {
    "system_admin": READING,
    "supervisor": READING | {SUSPEND_FACILITY},
    "community_worker": READING | DOOR | {MANAGE_FACILITY, SUSPEND_FACILITY},
    "grid_worker": DOOR,
    "volunteer": DOOR,
}
