"""The tracing app's audit actions and records, registered in `TracingConfig.ready()`."""

from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from fangkong.audit.presentation import choice_label
from fangkong.audit.registry import register_actions, register_details, register_target
from fangkong.tracing.models import Case, CaseImport, Contact, TracedPerson, TracingTask

register_actions(
    {
        "tracing.person_added": _("Traced person added"),
        "tracing.person_matched": _("Traced person matched to a resident"),
        "tracing.case": _("Case recorded"),
        "tracing.reclassify": _("Case reclassified"),
        "tracing.rule_out": _("Suspected case ruled out"),
        "tracing.contact": _("Contact recorded"),
        "tracing.suggestion_confirmed": _("Suggested contact confirmed"),
        "tracing.suggestion_dismissed": _("Suggested contact dismissed"),
        "tracing.task_done": _("Tracing task done"),
        "tracing.export": _("Chain exported"),
        "tracing.case_import": _("Case list imported"),
        "tracing.building_suggested": _("Building residents suggested as contacts"),
    }
)
register_target(
    "tracedperson",
    _("traced person"),
    model=TracedPerson,
    related=["area"],
    url=lambda person: reverse("tracing_person", args=[person.pk]),
)
register_target(
    "case",
    _("case"),
    model=Case,
    related=["area"],
    url=lambda case: reverse("tracing_case", args=[case.pk]),
)
register_target(
    "contact",
    _("contact"),
    model=Contact,
    related=["area"],
    url=lambda contact: reverse("tracing_person", args=[contact.person_id]),
)
register_target(
    "tracingtask",
    _("tracing task"),
    model=TracingTask,
    related=["area"],
    url=lambda task: reverse("tracing_task", args=[task.pk]),
)
register_target(
    "caseimport",
    _("case list import"),
    model=CaseImport,
    related=["area"],
    url=lambda job: reverse("tracing_import", args=[job.pk]),
)


def case_detail(detail, name_of):
    lines = [detail.get("name", "")]
    if detail.get("previous"):
        lines.append(str(choice_label(Case.Classification, detail["previous"])) + " →")
    if detail.get("classification"):
        lines.append(str(choice_label(Case.Classification, detail["classification"])))
    if detail.get("countdowns"):
        lines.append(
            gettext("Step-down countdown restarted in %(areas)s")
            % {"areas": "、".join(detail["countdowns"])}
        )
    return lines


def contact_detail(detail, name_of):
    return [
        gettext("%(source)s → %(name)s")
        % {"source": detail.get("source", ""), "name": detail.get("name", "")},
        f"{choice_label(Contact.Setting, detail.get('setting'))} {detail.get('exposed_on', '')}",
    ]


register_details(["tracing.case", "tracing.reclassify"], case_detail)
register_details(["tracing.contact", "tracing.suggestion_confirmed"], contact_detail)
register_details(
    ["tracing.rule_out"],
    lambda detail, name_of: [
        detail.get("name", ""),
        f"{detail.get('ruled_out_on', '')} {detail.get('reason', '')}".strip(),
    ],
)
register_details(
    ["tracing.person_added", "tracing.person_matched", "tracing.suggestion_dismissed"],
    lambda detail, name_of: [detail.get("name", "")],
)
register_details(
    ["tracing.case_import"],
    lambda detail, name_of: [
        detail.get("list_reference", ""),
        gettext("%(cases)s cases, %(skipped)s faulty rows left out")
        % {"cases": detail.get("cases", 0), "skipped": detail.get("skipped", 0)},
    ],
)
