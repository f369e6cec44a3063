"""The notices app's audit actions and records, registered in `NoticesConfig.ready()`."""

from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from fangkong.audit.registry import register_actions, register_details, register_target
from fangkong.notices.models import Notice

register_actions(
    {
        "notices.create": _("Public notice written"),
        "notices.draft": _("Public notice draft saved"),
        "notices.publish": _("Public notice published"),
        "notices.withdraw": _("Public notice withdrawn"),
    }
)
register_target(
    "notice",
    _("public notice"),
    model=Notice,
    related=["area"],
    url=lambda notice: reverse("notice_detail", args=[notice.pk]),
)
register_details("notices.create", lambda detail, name_of: [detail.get("title", "")])
register_details(
    "notices.draft",
    lambda detail, name_of: [
        gettext("Version %(n)s: %(title)s")
        % {"n": detail.get("version", ""), "title": detail.get("title", "")}
    ],
)
register_details(
    "notices.publish",
    lambda detail, name_of: [
        gettext("Version %(n)s from %(when)s")
        % {"n": detail.get("version", ""), "when": detail.get("published_at", "")[:16]}
    ],
)
register_details("notices.withdraw", lambda detail, name_of: [detail.get("reason", "")])
