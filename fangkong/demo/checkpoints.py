"""The demo's checkpoint: one gate (东门卡点, pedestrians and vehicles) in the community of the
demo login `checkpoint` (卡点值守人员), who is on duty there through their role. Nothing is
recorded at it: passages are for the visitor to try (`checkpoint` looks residents up by name,
initials or the last 4 digits of their ID number)."""

from django.utils import timezone

from fangkong.areas.models import Role, RoleKind
from fangkong.checkpoints.models import Checkpoint


def build(stdout=None):
    role = (
        Role.objects.filter(kind=RoleKind.CHECKPOINT_STAFF, worker__user__username="checkpoint")
        .select_related("area")
        .first()
    )
    if role is None:
        return None
    checkpoint = Checkpoint.objects.create(
        area=role.area,
        name="东门卡点",
        kind=Checkpoint.Kind.BOTH,
        place=f"{role.area.name}东门",
        hours="06:00–22:00",
        mode_since=timezone.now(),
    )
    if stdout:
        stdout.write(f"checkpoint: {checkpoint.name} ({role.area.name})\n")
    return checkpoint
