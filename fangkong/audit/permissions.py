"""The audit trail (操作记录): read by those who oversee an area's workers."""

READ = {"audit.view_auditevent"}

GRANTS = {"system_admin": READ, "supervisor": READ, "community_worker": READ}
