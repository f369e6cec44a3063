"""Health monitoring (key persons' temperatures and symptoms): who watches, who records."""

READ = {
    "monitoring.view_monitoringplan",
    "monitoring.view_healthcheck",
    "monitoring.view_alert",
}
RECORD_CHECKS = {"monitoring.add_healthcheck", "monitoring.change_alert"}
RUN = RECORD_CHECKS | {"monitoring.add_monitoringplan", "monitoring.change_monitoringplan"}

GRANTS = {
    "system_admin": READ | RUN,
    "supervisor": READ,
    "community_worker": READ | RUN,
    "grid_worker": READ | RUN,
    "medical_worker": READ | RECORD_CHECKS,
}
