"""A facility whose door is a checkpoint refuses an entry there while it is full or
suspended (docs/facilities.md): the check `fangkong.checkpoints.entry_checks` puts to an
entry at a checkpoint marked `entry_limited`, which `mark_doors` keeps in step with the
facilities in use that name it.

The check is one statement (the gate records hundreds of passages a second): the
facilities at the checkpoint with, in subqueries, the level of their place (its own and an
active response's, as `response.selectors.levels_at`) and who is inside (today's entries
less exits there, as `selectors.inside_by_checkpoint`)."""

from django.core.exceptions import ValidationError
from django.db.models import Count, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone
from django.utils.translation import gettext as _

from fangkong.areas.models import Area
from fangkong.checkpoints.models import Checkpoint, Passage
from fangkong.facilities import rules
from fangkong.facilities.models import Facility
from fangkong.response.models import LEVEL_OF_RANK
from fangkong.response.selectors import with_effective_rank, with_response_rank
from fangkong.scope import system_scope

IN, OUT = Passage.Direction.IN, Passage.Direction.OUT


def check_entry(checkpoint, at):
    """Refuse an entry at `checkpoint` while a facility in use behind it is suspended (by
    hand or by its place's level) or holds as many as it may now."""
    day = timezone.localdate(at)
    with system_scope():  # the gate's facilities and counts, whoever stands at the gate
        inside = (
            Passage.objects.filter(checkpoint_id=checkpoint.pk, recorded_at__date=day)
            .order_by()
            .values("checkpoint_id")
            .annotate(n=Count("id", filter=Q(direction=IN)) - Count("id", filter=Q(direction=OUT)))
            .values("n")[:1]
        )
        place = with_response_rank(with_effective_rank(Area.objects.filter(pk=OuterRef("area_id"))))
        rank = place.annotate(rank=Greatest(F("effective_rank"), F("response_rank")))
        rows = list(
            Facility.objects.filter(checkpoint_id=checkpoint.pk, is_active=True).annotate(
                inside_now=Coalesce(Subquery(inside), 0),
                rank=Subquery(rank.values("rank")[:1]),
            )
        )
    for facility in rows:
        facility.inside_now = max(0, facility.inside_now)  # exits of people counted yesterday
        state = rules.state_of(facility, LEVEL_OF_RANK[facility.rank or 0])
        if not state.open:
            raise ValidationError(
                _("%(facility)s is closed: %(reason)s The entry was not recorded.")
                % {"facility": facility.name, "reason": state.reason}
            )
        if facility.inside_now >= state.limit:
            raise ValidationError(
                _(
                    "%(facility)s is full: %(inside)d inside, at most %(limit)d now. "
                    "The entry was not recorded."
                )
                % {"facility": facility.name, "inside": facility.inside_now, "limit": state.limit}
            )


def mark_doors(checkpoint_ids):
    """Mark each of the checkpoints `entry_limited` when a facility in use names it as its
    door, and clear it when none does any more."""
    ids = {pk for pk in checkpoint_ids if pk}
    if not ids:
        return
    with system_scope():  # a checkpoint's mark follows every facility naming it
        doors = set(
            Facility.objects.filter(checkpoint_id__in=ids, is_active=True).values_list(
                "checkpoint_id", flat=True
            )
        )
        Checkpoint.objects.filter(pk__in=ids & doors).update(entry_limited=True)
        Checkpoint.objects.filter(pk__in=ids - doors).update(entry_limited=False)
