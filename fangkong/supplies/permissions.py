"""Supplies (docs/supplies.md).

Community workers keep their community's stock (and its grids'): they receive, issue,
transfer down to grids, count and set minimum levels. Supervisors do the same for their
township or county and transfer down to the communities. Grid workers read the stock of
their grid and issue from it (masks handed to households). Everyone above reads the
roll-up."""

VIEW_STOCK = "supplies.view_stock"
VIEW_MOVEMENT = "supplies.view_stockmovement"
ISSUE = "supplies.issue_stock"
MANAGE = "supplies.change_stock"

READING = {VIEW_STOCK, VIEW_MOVEMENT}

GRANTS = {
    "system_admin": READING,
    "supervisor": READING | {ISSUE, MANAGE},
    "community_worker": READING | {ISSUE, MANAGE},
    "grid_worker": READING | {ISSUE},
}
