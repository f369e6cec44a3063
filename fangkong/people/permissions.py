"""What the roles may do with households, residents, key groups and survey imports."""

READ = {"people.view_household", "people.view_resident", "people.view_keygroup"}
EDIT = {
    "people.add_household",
    "people.change_household",
    "people.add_resident",
    "people.change_resident",
    "people.add_keygroup",
    "people.delete_keygroup",
    "people.add_importjob",
    "people.view_importjob",
}
# Whole ID numbers and phones: those who call and visit people, one click and one audit row each.
REVEAL = {"people.reveal_resident"}
EXPORT = {"people.export_resident"}
ASSIGN_HOUSEHOLDS = {"people.add_householdassignment"}

GRANTS = {
    "system_admin": READ | EDIT | REVEAL | EXPORT | ASSIGN_HOUSEHOLDS,
    "supervisor": READ | EXPORT,
    "community_worker": READ | EDIT | REVEAL | EXPORT | ASSIGN_HOUSEHOLDS,
    "grid_worker": READ | EDIT | REVEAL | EXPORT,
    "medical_worker": READ | REVEAL,
    "building_head": READ,
    "group_leader": READ,
}
