"""Closed management follows the emergency response (issue 14, point 11).

The response app sends `response_changed` inside the level change's transaction (it never
imports checkpoints); `CheckpointsConfig.ready()` connects `on_response_changed`. A response
starting or rising puts the active checkpoints of its place and below under closed
management; its end opens them again. A checkpoint whose mode a worker set by hand after the
response started keeps it (the trail says so, `checkpoints.mode_kept`); a checkpoint still
covered by another active response stays closed.
"""

from fangkong.areas.models import Building
from fangkong.audit.models import AuditEvent
from fangkong.audit.services import record
from fangkong.checkpoints.models import Checkpoint
from fangkong.checkpoints.services import set_mode
from fangkong.response.selectors import active_response
from fangkong.scope import system_scope


def _set_by_hand_since(checkpoints, moment):
    """The ids of those whose mode a worker set (`checkpoints.mode`) at `moment` or later."""
    with system_scope():
        return set(
            AuditEvent.objects.filter(
                action="checkpoints.mode",
                target_type=Checkpoint._meta.model_name,
                target_id__in=[checkpoint.pk for checkpoint in checkpoints],
                at__gte=moment,
            ).values_list("target_id", flat=True)
        )


def follow_response(*, actor, response, place, level):
    """Switch the checkpoints of `place` (an area: its subtree; a building: its own) to what
    the response asks: closed while it is active at any level (`level` medium or high),
    open when it ends (`level` None)."""
    mode = Checkpoint.Mode.OPEN if level is None else Checkpoint.Mode.CLOSED
    with system_scope():  # the level's author acts on the whole place, whatever their roles
        gates = Checkpoint.objects.filter(is_active=True).exclude(mode=mode)
        if isinstance(place, Building):
            gates = gates.filter(building=place)
        else:
            gates = gates.filter(area_path__under=place.path)
        gates = list(gates.select_related("area", "building"))
    by_hand = _set_by_hand_since(gates, response.started_at)
    for checkpoint in gates:
        if checkpoint.pk in by_hand:
            record(
                actor=actor,
                action="checkpoints.mode_kept",
                target=checkpoint,
                area=checkpoint.area,
                mode=checkpoint.mode,
                response=response.pk,
            )
        elif mode == Checkpoint.Mode.CLOSED or not active_response(
            checkpoint.building or checkpoint.area
        ):
            set_mode(actor=actor, checkpoint=checkpoint, mode=mode, response=response)


def on_response_changed(sender, *, response, place, level, actor, **kwargs):
    follow_response(actor=actor, response=response, place=place, level=level)
