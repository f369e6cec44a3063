"""The response app's audit actions and records, registered in `ResponseConfig.ready()`."""

from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from fangkong.areas.models import RoleKind
from fangkong.audit.presentation import choice_label
from fangkong.audit.registry import register_actions, register_details, register_target
from fangkong.response.models import (
    AreaTrait,
    EmergencyResponse,
    Measure,
    MeasureTask,
    PlanDocument,
    RiskLevel,
    RiskLevelChange,
)

register_actions(
    {
        "risk.set": _("Risk level set"),
        "risk.traits": _("Area traits marked"),
    }
)
register_target(
    "risklevelchange",
    _("risk level change"),
    model=RiskLevelChange,
    related=["area", "building"],
    url=lambda change: (
        reverse("risk_building", args=[change.building_id])
        if change.building_id
        else reverse("risk_area", args=[change.area.code])
    ),
)


def level_detail(detail, name_of):
    lines = [
        gettext("%(before)s → %(after)s")
        % {
            "before": choice_label(RiskLevel, detail.get("previous")),
            "after": choice_label(RiskLevel, detail.get("level")),
        },
        gettext("Effective from %(day)s") % {"day": detail.get("effective_on", "")},
    ]
    if detail.get("doc_number"):
        lines.append(gettext("Notice number: %(n)s") % {"n": detail["doc_number"]})
    return lines


register_details("risk.set", level_detail)
register_details(
    "risk.traits",
    lambda detail, name_of: [
        "、".join(str(choice_label(AreaTrait.Kind, kind)) for kind in detail.get("traits", []))
        or gettext("None")
    ],
)

# ---------------------------------------------------------------- plans and responses

register_actions(
    {
        "plan.measure": _("Measure added to a plan"),
        "plan.document": _("Plan document uploaded"),
        "response.start": _("Emergency response started"),
        "response.raise": _("Emergency response raised"),
        "response.lower": _("Emergency response lowered"),
        "response.end": _("Emergency response ended"),
        "response.task_done": _("Measure task done"),
        "response.task_reassigned": _("Measure task reassigned"),
    }
)
register_target(
    "measure",
    _("measure"),
    model=Measure,
    related=["area"],
    url=lambda measure: reverse("response_plan", args=[measure.area.code]),
)
register_target(
    "plandocument",
    _("plan document"),
    model=PlanDocument,
    related=["area"],
    url=lambda document: reverse("response_plan", args=[document.area.code]),
)
register_target(
    "emergencyresponse",
    _("emergency response"),
    model=EmergencyResponse,
    related=["area", "building"],
    url=lambda response: reverse("response_detail", args=[response.pk]),
)
register_target(
    "measuretask",
    _("measure task"),
    model=MeasureTask,
    related=["area"],
    url=lambda task: reverse("response_task", args=[task.pk]),
)


def response_detail(detail, name_of):
    lines = []
    if detail.get("level"):
        lines.append(
            gettext("%(before)s → %(after)s")
            % {
                "before": choice_label(RiskLevel, detail.get("previous")),
                "after": choice_label(RiskLevel, detail.get("level")),
            }
        )
    if "tasks" in detail:
        lines.append(gettext("Tasks added: %(n)d") % {"n": detail["tasks"]})
    if detail.get("summary"):
        lines.append(detail["summary"])
    return lines


register_details(
    ["response.start", "response.raise", "response.lower", "response.end"], response_detail
)
register_details(
    ["plan.measure", "response.task_done"],
    lambda detail, name_of: (
        [detail.get("title", "")]
        + ([gettext("added beyond the plan above")] if detail.get("extra") else [])
    ),
)
register_details(
    "plan.document",
    lambda detail, name_of: [
        f"{choice_label(PlanDocument.Kind, detail.get('kind'))} v{detail.get('version')} "
        f"{detail.get('name', '')}"
    ],
)


def reassigned_detail(detail, name_of):
    def owner(name, kind):
        return name or choice_label(RoleKind, kind)

    return [
        detail.get("title", ""),
        gettext("%(before)s → %(after)s")
        % {
            "before": owner(detail.get("previous_owner"), detail.get("previous_kind")),
            "after": owner(detail.get("owner"), detail.get("kind")),
        },
        gettext("Due: %(before)s → %(after)s")
        % {"before": detail.get("previous_due", ""), "after": detail.get("due", "")},
        detail.get("reason", ""),
    ]


register_details("response.task_reassigned", reassigned_detail)
