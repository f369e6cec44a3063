"""What supplies add to the daily report (issue 18, point 8): the community's stocks below
their minimum level. A stock's level is kept now, not per day: the figure is the state
when the report is computed (a report is submitted on its day or the next morning)."""

from django.utils.translation import gettext_lazy as _

from fangkong.reports.registry import Figure, Section
from fangkong.scope import system_scope
from fangkong.supplies.models import Stock
from fangkong.supplies.selectors import below_minimum


def figures():
    return [
        Figure(
            "supplies_below_minimum",
            _("Supplies below the minimum level"),
            _("Prevention supplies"),
            trend=True,
        )
    ]


def compute(community, day, now):
    """The stocks of the community's subtree below their minimum, whoever asks."""
    with system_scope():
        return {"supplies_below_minimum": below_minimum(Stock.objects.within(community)).count()}


SECTION = Section("supplies", _("Prevention supplies"), figures, compute, position=58)
