"""Public notices (docs/notices.md). Notices are public once published, so the workers of
communities and above read those of their areas (a grid worker reads the public page, as
residents do); community workers and supervisors write, publish and withdraw them."""

VIEW = "notices.view_notice"
WRITE = "notices.add_notice"

GRANTS = {
    "system_admin": {VIEW, WRITE},
    "supervisor": {VIEW, WRITE},
    "community_worker": {VIEW, WRITE},
    "medical_worker": {VIEW},
    "checkpoint_staff": {VIEW},
}
