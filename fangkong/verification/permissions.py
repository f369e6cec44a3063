"""Verification lists (协查名单): supervisors upload and watch them, workers verify the tasks."""

WATCH = {"verification.view_verificationlist", "verification.view_verificationtask"}
UPLOAD = WATCH | {
    "verification.add_verificationlist",
    "verification.export_verificationlist",
    "verification.assign_verificationtask",
}
VERIFY = {"verification.view_verificationtask", "verification.change_verificationtask"}
PASS_DOWN = {"verification.assign_verificationtask"}

GRANTS = {
    "system_admin": UPLOAD | VERIFY,
    "supervisor": UPLOAD,
    "community_worker": VERIFY | PASS_DOWN,
    "grid_worker": VERIFY,
}
