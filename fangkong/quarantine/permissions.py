"""Quarantine: supervisors and medical workers run the sites, the placements, the tests and
the releases; community workers start home quarantine and read the transfers' notices of
their people; grid workers read the quarantines of their grid (their people's release hands
the follow-on home monitoring to them)."""

VIEW = "quarantine.view_quarantine"
ADD = "quarantine.add_quarantine"
CHANGE = "quarantine.change_quarantine"  # place in a room, release
RECORD_TEST = "quarantine.add_testresult"
VIEW_SITE = "quarantine.view_quarantinesite"
CHANGE_SITE = "quarantine.change_quarantinesite"  # sites, floors, rooms, disinfection
VIEW_TRANSFER = "quarantine.view_transfer"
CHANGE_TRANSFER = "quarantine.change_transfer"  # plan, vehicles, trips, dispatch, check-in

# The records that come with a quarantine, a site or a transfer are read with it: their own
# view permissions (asked by `view_perm(model)`) go with the one that reads them.
VIEW_TEST = "quarantine.view_testresult"
VIEW_FLOOR = "quarantine.view_floor"
VIEW_ROOM = "quarantine.view_room"
VIEW_VEHICLE = "quarantine.view_vehicle"
VIEW_TRIP = "quarantine.view_trip"

READ = {VIEW, VIEW_TEST, VIEW_SITE, VIEW_FLOOR, VIEW_ROOM, VIEW_TRANSFER, VIEW_VEHICLE, VIEW_TRIP}
RUN = READ | {ADD, CHANGE, RECORD_TEST, CHANGE_SITE, CHANGE_TRANSFER}

GRANTS = {
    "system_admin": RUN,
    "supervisor": RUN,
    "medical_worker": READ | {ADD, CHANGE, RECORD_TEST, CHANGE_SITE},
    "community_worker": {VIEW, VIEW_TEST, ADD, VIEW_TRANSFER, VIEW_TRIP, VIEW_VEHICLE},
    "grid_worker": {VIEW, VIEW_TEST},
}
