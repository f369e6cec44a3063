"""The directives app's audit actions and records, registered in `DirectivesConfig.ready()`."""

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from fangkong.audit.registry import register_actions, register_details, register_target
from fangkong.directives.models import Directive, DirectiveReceipt, ImplementationReport

register_actions(
    {
        "directives.issue": _("Directive issued"),
        "directives.acknowledge": _("Directive acknowledged"),
        "directives.forward": _("Directive forwarded"),
        "directives.report": _("Implementation report sent"),
        "directives.approve": _("Implementation report approved"),
        "directives.send_back": _("Implementation report sent back"),
    }
)
register_target(
    "directive",
    _("directive"),
    model=Directive,
    related=["area"],
    url=lambda directive: directive.get_absolute_url(),
)
register_target(
    "directivereceipt",
    _("received directive"),
    model=DirectiveReceipt,
    related=["area"],
    url=lambda receipt: receipt.get_absolute_url(),
)
register_target(
    "implementationreport",
    _("implementation report"),
    model=ImplementationReport,
    related=["area"],
    url=lambda report: report.receipt.get_absolute_url(),
)


def _sent_to(detail, name_of):
    return [
        " ".join(part for part in (detail.get("doc_number", ""), detail.get("title", "")) if part),
        gettext("sent to %(n)s areas") % {"n": detail.get("receivers", 0)},
    ]


register_details("directives.issue", _sent_to)
register_details(
    "directives.forward",
    lambda detail, name_of: [
        gettext("sent to %(n)s areas") % {"n": detail.get("receivers", 0)},
        detail.get("addition", ""),
    ],
)
register_details(
    "directives.acknowledge",
    lambda detail, name_of: [gettext("late")] if detail.get("late") else [],
)
register_details(
    "directives.report",
    lambda detail, name_of: [
        *([gettext("late")] if detail.get("late") else []),
        *(
            [gettext("version %(n)s") % {"n": detail["version"]}]
            if detail.get("version", 1) > 1
            else []
        ),
    ],
)
register_details("directives.send_back", lambda detail, name_of: [detail.get("reason", "")])
