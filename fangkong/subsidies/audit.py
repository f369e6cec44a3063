"""The subsidies app's audit actions and records, registered in `SubsidiesConfig.ready()`."""

from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from fangkong.audit.registry import register_actions, register_details, register_target
from fangkong.subsidies.models import Subsidy, SubsidyRule

register_actions(
    {
        "subsidies.rule": _("Subsidy rule set"),
        "subsidies.compute": _("Subsidies computed"),
        "subsidies.approve": _("Subsidy approved"),
        "subsidies.approve_all": _("Subsidies approved"),
        "subsidies.adjust": _("Subsidy adjusted"),
        "subsidies.export": _("Subsidy table exported"),
    }
)
register_target(
    "subsidy",
    _("subsidy"),
    model=Subsidy,
    related=["area", "worker"],
    url=lambda s: reverse("subsidy_detail", args=[s.pk]),
)
register_target(
    "subsidyrule",
    _("subsidy rule"),
    model=SubsidyRule,
    related=["area"],
    url=lambda rule: reverse("subsidy_rules", args=[rule.area.code]),
)
register_details(
    "subsidies.adjust",
    lambda detail, name_of: [
        gettext("%(before)s → %(after)s yuan: %(reason)s")
        % {
            "before": detail.get("before"),
            "after": detail.get("after"),
            "reason": detail.get("reason", ""),
        }
    ],
)
register_details(
    "subsidies.compute",
    lambda detail, name_of: [
        gettext("%(start)s: %(created)s new, %(updated)s updated, %(removed)s removed")
        % {
            "start": detail.get("period_start"),
            "created": detail.get("created"),
            "updated": detail.get("updated"),
            "removed": detail.get("removed"),
        }
    ],
)
