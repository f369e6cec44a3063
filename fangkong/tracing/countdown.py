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
    return feed_countdowns([case])[0]


def feed_countdowns(cases):
    """`feed_countdown` for many cases at once (a case list), one query for all their
    levels: [the codes of the areas whose countdown each case restarted], in the order of
    `cases`, as feeding them one after the other would answer; each changed level is saved
    once."""
    wanted = [set(ancestor_paths(case.area_path)) for case in cases]
    with system_scope():
        risks = list(
            AreaRisk.objects.select_for_update()
            .filter(area_path__in=set().union(*wanted), building=None, rank__gt=0)
            .select_related("area")
        )
    changed = {}
    answers = []
    for case, paths in zip(cases, wanted, strict=True):
        day, fed = case.reported_on, []
        for risk in risks:
            if risk.area_path not in paths:
                continue
            fields = changed.setdefault(risk.pk, (risk, set()))[1]
            moved = False
            if risk.last_case_on is None or risk.last_case_on < day:
                risk.last_case_on = day
                fields.add("last_case_on")
                moved = True
            if risk.countdown_from is None or risk.countdown_from < day:
                risk.countdown_from = day
                fields.add("countdown_from")
                moved = True
            if moved:
                fed.append(risk.area.code)
        answers.append(fed)
    for risk, fields in changed.values():
        if fields:
            risk.save(update_fields=sorted(fields))
    return answers
