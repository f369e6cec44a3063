"""The duty roster's audit actions and records, registered in `WorkforceConfig.ready()`.
Swaps and substitutions keep who stood the shift before and after and why."""

from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from fangkong.audit.registry import register_actions, register_details, register_target
from fangkong.workforce.models import DutyDesk, DutyHoliday, DutyPost, DutyProfile, DutyShift

register_actions(
    {
        "workforce.post_add": _("Duty post added"),
        "workforce.post_change": _("Duty post changed"),
        "workforce.shift_add": _("Duty shift added"),
        "workforce.shift_remove": _("Duty shift removed"),
        "workforce.shift_substitute": _("Duty shift taken by a substitute"),
        "workforce.shift_swap": _("Duty shifts swapped"),
        "workforce.roster_copy": _("Duty roster copied"),
        "workforce.desk": _("Duty hotline changed"),
        "workforce.duty_phone": _("Duty phone changed"),
        "workforce.feed_renew": _("Calendar link renewed"),
        "workforce.holiday_add": _("Holiday added"),
        "workforce.holiday_remove": _("Holiday removed"),
    }
)
register_target(
    "dutypost",
    _("duty post"),
    model=DutyPost,
    url=lambda post: reverse("duty_posts", args=[post.area.code]),
)
register_target(
    "dutyshift",
    _("duty shift"),
    model=DutyShift,
    url=lambda shift: reverse("duty_shift", args=[shift.pk]),
)
register_target("dutydesk", _("duty desk"), model=DutyDesk)
register_target("dutyprofile", _("duty profile"), model=DutyProfile)
register_target("dutyholiday", _("holiday"), model=DutyHoliday)


def handover(detail, name_of):
    return [
        gettext("%(before)s → %(after)s: %(reason)s")
        % {
            "before": detail.get("before", ""),
            "after": detail.get("after", ""),
            "reason": detail.get("reason", ""),
        }
    ]


register_details(("workforce.shift_substitute", "workforce.shift_swap"), handover)
