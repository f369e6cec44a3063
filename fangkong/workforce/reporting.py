"""What the duty roster adds to the daily report: the hours of the day's duty a required
role was uncovered (the coverage check of that day, holidays included)."""

from django.utils.translation import gettext_lazy as _

from fangkong.reports.registry import Figure, Section
from fangkong.scope import system_scope
from fangkong.workforce.coverage import coverage
from fangkong.workforce.models import DutyPost, DutyShift


def figures():
    return [
        Figure("duty_gap_hours", _("Uncovered duty hours"), _("Duty roster"), trend=True),
    ]


def compute(community, day, now):
    """The community's duty gaps of `day`, whoever asks (see monitoring's `compute`)."""
    with system_scope():
        found = coverage(
            DutyPost.objects.filter(area=community),
            DutyShift.objects.filter(area=community),
            day,
            day,
        )
    return {"duty_gap_hours": sum(gap.hours for gap in found)}


SECTION = Section("workforce", _("Duty roster"), figures, compute, position=50)
