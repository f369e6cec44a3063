"""Subsidies (docs/subsidies.md), designed like gatherings' GRANTS.

Community workers compute the list of their community's workers (a proposal: the figures
come from the records); township and county supervisors decide: they review each figure
(approve, or adjust with a reason), export the official table and set the county's rules.
The system administrator reads everything and may set a rule."""

VIEW = "subsidies.view_subsidy"
COMPUTE = "subsidies.add_subsidy"
REVIEW = "subsidies.change_subsidy"
VIEW_RULES = "subsidies.view_subsidyrule"
SET_RULES = "subsidies.change_subsidyrule"

READING = {VIEW, VIEW_RULES}

GRANTS = {
    "system_admin": READING | {SET_RULES},
    "supervisor": READING | {COMPUTE, REVIEW, SET_RULES},
    "community_worker": READING | {COMPUTE},
}
