"""Committee elections (docs/elections.md).

The community workers of a community run its election: the plan and its contingency
checklist, the polling stations and slots, the voter roll and its allotment, health
declarations and their assessment, special and proxy voting, the counting, the staff and the
disinfection of the venues. Supervisors (the township's organisation office, the county)
read every record of their subtree and follow the progress; they change nothing. An
election's records stand in its community, so grid workers and volunteers see none of them
(the roll names every voter of the community)."""

VIEW_ELECTION = "elections.view_election"
ADD_ELECTION = "elections.add_election"
RUN_ELECTION = "elections.change_election"
VIEW_ITEM = "elections.view_contingencyitem"
VIEW_STATION = "elections.view_pollingstation"
VIEW_SLOT = "elections.view_votingslot"
VIEW_VOTER = "elections.view_voter"
VIEW_DECLARATION = "elections.view_healthdeclaration"
VIEW_PROXY = "elections.view_proxyvote"
VIEW_STAFF = "elections.view_electionstaff"

READING = {
    VIEW_ELECTION,
    VIEW_ITEM,
    VIEW_STATION,
    VIEW_SLOT,
    VIEW_VOTER,
    VIEW_DECLARATION,
    VIEW_PROXY,
    VIEW_STAFF,
}

GRANTS = {
    "system_admin": READING,
    "supervisor": READING,
    "community_worker": READING | {ADD_ELECTION, RUN_ELECTION},
}
