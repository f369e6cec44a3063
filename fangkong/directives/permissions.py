"""Directives and implementation reports (docs/directives.md).

Supervisors and community workers issue directives to the areas below theirs, and receive,
acknowledge, forward and report on those their areas receive; grid workers receive what
their community forwards to their grid. System administrators read."""

VIEW_DIRECTIVE = "directives.view_directive"
ISSUE = "directives.add_directive"
VIEW_RECEIPT = "directives.view_directivereceipt"
# Acknowledge, forward and report on a directive one's own area received.
ACT = "directives.change_directivereceipt"
VIEW_REPORT = "directives.view_implementationreport"
# Reviewing a report (approve, send back) is acting on the directive as the level above
# the report: the same permission, exercised on the reviewing area itself (the issuer's
# roles hold it beside ISSUE); report_services.reviews says which area that is.
REVIEW = ACT

READING = {VIEW_DIRECTIVE, VIEW_RECEIPT, VIEW_REPORT}

GRANTS = {
    "system_admin": READING,
    "supervisor": READING | {ISSUE, ACT},
    "community_worker": READING | {ISSUE, ACT},
    "grid_worker": {VIEW_RECEIPT, VIEW_REPORT, ACT},
}
