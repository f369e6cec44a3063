"""What checkpoints add to the daily report: passages in and out, fevers and yellow or red
codes found at the gates, and the checkpoints that recorded passages that day."""

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from fangkong.checkpoints.models import HealthCode, Passage, fever_at
from fangkong.checkpoints.selectors import on_day
from fangkong.reports.registry import Figure, Section
from fangkong.scope import system_scope


def figures():
    gate = _("Checkpoints")
    return [
        Figure("passages_in", _("Passages in"), gate, trend=True),
        Figure("passages_out", _("Passages out"), gate, trend=True),
        Figure("gate_fever", _("Fevers found at the gates"), gate, trend=True),
        Figure("gate_codes", _("Yellow or red codes found at the gates"), gate),
        Figure("checkpoints_active", _("Checkpoints active"), gate),
    ]


def compute(community, day, now):
    """The community's gate figures of `day`, whoever asks (see monitoring's `compute`)."""
    with system_scope():
        day_passages = on_day(Passage.objects.within(community), day)
    counts = day_passages.order_by().aggregate(
        passages_in=Count("pk", filter=Q(direction=Passage.Direction.IN)),
        passages_out=Count("pk", filter=Q(direction=Passage.Direction.OUT)),
        gate_fever=Count("pk", filter=Q(temperature__gte=fever_at())),
        gate_codes=Count("pk", filter=~Q(health_code=HealthCode.GREEN)),
        checkpoints_active=Count("checkpoint", distinct=True),
    )
    return counts


SECTION = Section("checkpoints", _("Checkpoints"), figures, compute, position=30)
