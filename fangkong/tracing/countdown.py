"""A case feeds the risk-level countdown (issue 15 point 1): its report date becomes the
last case date of every raised level on its area and the areas above it, and restarts
their step-down countdown when later than where it ran from. Tracing imports response,
never the reverse: response reads `AreaRisk.countdown_from` as it always has."""

from fangkong.response.models import AreaRisk
from fangkong.scope import system_scope


def ancestor_paths(path):
    codes = path.strip("/").split("/")
    return ["/" + "/".join(codes[: i + 1]) + "/" for i in range(len(codes))]


def feed_countdown(case):
    """Move the last case date of the raised levels above the case; returns the codes of
    the areas whose countdown restarted. Called inside the case's transaction."""
    day = case.reported_on
    with system_scope():
        risks = list(
            AreaRisk.objects.select_for_update()
            .filter(area_path__in=ancestor_paths(case.area_path), building=None, rank__gt=0)
            .select_related("area")
        )
    fed = []
    for risk in risks:
        changed = []
        if risk.last_case_on is None or risk.last_case_on < day:
            risk.last_case_on = day
            changed.append("last_case_on")
        if risk.countdown_from is None or risk.countdown_from < day:
            risk.countdown_from = day
            changed.append("countdown_from")
        if changed:
            risk.save(update_fields=changed)
            fed.append(risk.area.code)
    return fed
