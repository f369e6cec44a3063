"""The areas app's audit actions and records, registered in `AreasConfig.ready()`."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from fangkong.areas.models import Area, Building, RoleKind, Worker
from fangkong.audit.presentation import choice_detail
from fangkong.audit.registry import (
    register_actions,
    register_details,
    register_target,
)

register_actions(
    {
        "area.add": gettext_lazy("Area added"),
        "area.rename": gettext_lazy("Area renamed"),
        "building.add": gettext_lazy("Building added"),
        "building.change": gettext_lazy("Building changed"),
        "building.move": gettext_lazy("Building moved to another grid"),
        "worker.add": gettext_lazy("Worker added"),
        "worker.change": gettext_lazy("Worker changed"),
        "role.grant": gettext_lazy("Role granted"),
        "role.revoke": gettext_lazy("Role revoked"),
    }
)
register_target(
    "worker",
    gettext_lazy("worker"),
    model=Worker,
    url=lambda w: reverse("worker_detail", args=[w.pk]),
)
register_target(
    "area", gettext_lazy("area"), model=Area, url=lambda a: reverse("area_detail", args=[a.code])
)
register_target(
    "building",
    gettext_lazy("building"),
    model=Building,
    related=["area"],
    url=lambda b: reverse("area_detail", args=[b.area.code]),
)
register_details(["role.grant", "role.revoke"], choice_detail(RoleKind))
register_details(
    "worker.add",
    lambda detail, name_of: (
        [_("Username: %(u)s") % {"u": detail["username"]}] if detail.get("username") else []
    ),
)
register_details(
    "worker.change",
    lambda detail, name_of: (
        [_("Active") if detail["is_active"] else _("Inactive")] if "is_active" in detail else []
    ),
)
register_details(
    "area.rename", lambda detail, name_of: [_("Formerly %(name)s") % {"name": detail.get("before")}]
)
register_details("area.add", lambda detail, name_of: [])
register_details(
    "building.move",
    lambda detail, name_of: [_("From the grid %(code)s") % {"code": detail.get("source")}],
)
