"""Daily reports: read by those who send them and those above; who sends which level's
report is the reports service's rule (community workers theirs, supervisors above)."""

READ = {"reports.view_dailyreport"}
SEND = READ | {"reports.add_dailyreport", "reports.change_dailyreport"}

GRANTS = {"system_admin": SEND, "supervisor": SEND, "community_worker": SEND}
