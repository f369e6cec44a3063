"""Reads of elections: every list and count through `visible_to(user, perm)`."""

from django.db.models import Count, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from fangkong.areas.models import Area
from fangkong.elections import rules
from fangkong.elections.models import (
    ContingencyItem,
    Election,
    ElectionStaff,
    HealthDeclaration,
    PollingStation,
    ProxyVote,
    Voter,
    VotingSlot,
)
from fangkong.elections.permissions import (
    VIEW_DECLARATION,
    VIEW_ELECTION,
    VIEW_ITEM,
    VIEW_PROXY,
    VIEW_SLOT,
    VIEW_STAFF,
    VIEW_STATION,
    VIEW_VOTER,
)
from fangkong.elections.services import subject_of
from fangkong.facilities.models import DisinfectionLog
from fangkong.facilities.permissions import VIEW_DISINFECTION
from fangkong.response.selectors import with_effective_rank
from fangkong.scope import system_scope
from fangkong.training.models import Attendance, Training


def elections(user):
    return Election.objects.visible_to(user, VIEW_ELECTION).select_related("area")


def stations(user, election):
    return PollingStation.objects.visible_to(user, VIEW_STATION).filter(election=election)


def slots(user, election):
    """The election's slots with `taken`, the voters allotted to each."""
    return (
        VotingSlot.objects.visible_to(user, VIEW_SLOT)
        .filter(election=election)
        .select_related("station")
        .annotate(taken=Count("voters"))
        .order_by("starts_at", "station", "id")
    )


def voters(user):
    return Voter.objects.visible_to(user, VIEW_VOTER).select_related(
        "resident", "slot", "slot__station", "election"
    )


def declarations(user):
    return HealthDeclaration.objects.visible_to(user, VIEW_DECLARATION).select_related(
        "voter__resident", "staff__worker", "election"
    )


def to_assess(records):
    return records.filter(abnormal=True, decision="")


def proxies(user):
    return ProxyVote.objects.visible_to(user, VIEW_PROXY).select_related(
        "voter__resident", "proxy__resident"
    )


def staff(user, election):
    return (
        ElectionStaff.objects.visible_to(user, VIEW_STAFF)
        .filter(election=election)
        .select_related("worker")
    )


def items(user, election):
    return ContingencyItem.objects.visible_to(user, VIEW_ITEM).filter(election=election)


def trained_workers(workers):
    """The ids of `workers` who attended an election staff training (fangkong.training,
    4.1): read whole, for the staff the caller already sees."""
    with system_scope():
        return set(
            Attendance.objects.filter(
                worker__in=workers, training__category=Training.Category.ELECTION_STAFF
            ).values_list("worker_id", flat=True)
        )


def disinfections(user, station_list):
    """The disinfection logs of the stations (fangkong.facilities, by `subject`)."""
    subjects = [subject_of(s) for s in station_list]
    if not subjects or not user.has_perm(VIEW_DISINFECTION):
        return DisinfectionLog.objects.none()
    return DisinfectionLog.objects.visible_to(user, VIEW_DISINFECTION).filter(subject__in=subjects)


def _count(model, **filters):
    """A correlated count of `model` rows of the outer election (one subquery per figure,
    never a join that would multiply the rows)."""
    with system_scope():  # a subquery below elections already scoped by the caller
        rows = (
            model.objects.filter(election=OuterRef("pk"), **filters)
            .order_by()
            .values("election")
            .annotate(n=Count("id"))
            .values("n")
        )
    return Coalesce(Subquery(rows, output_field=IntegerField()), Value(0))


def with_progress(records):
    """Elections annotated with the figures of their progress."""
    return records.annotate(
        voters_total=_count(Voter),
        voters_allotted=_count(Voter, slot__isnull=False),
        voters_special=_count(Voter, special__gt=""),
        proxies_total=_count(ProxyVote),
        to_assess=_count(HealthDeclaration, abnormal=True, decision=""),
        items_total=_count(ContingencyItem),
        items_done=_count(ContingencyItem, done=True),
    )


def progress_counts(records):
    """{open, suspended, preparing, closed} of elections (flagged by `rules.flag_blocked`)."""
    counts = {"preparing": 0, "open": 0, "suspended": 0, "closed": 0}
    for election in rules.flag_blocked(records):
        counts[rules.state_of(election)] += 1
    return counts


def waiting_voters(records):
    return records.filter(slot=None, special="", proxy_given__isnull=True)


def unassessed_q():
    return Q(abnormal=True, decision="")


def _raised_areas(records):
    with system_scope():  # the levels of the communities of elections already scoped
        return (
            with_effective_rank(Area.objects.filter(pk__in=records.values("area_id")))
            .filter(effective_rank__gt=0)
            .values("pk")
        )


def suspended(records):
    """Elections not closed whose community's effective level is medium or high."""
    return records.exclude(status=Election.Status.CLOSED).filter(
        area_id__in=_raised_areas(records.order_by())
    )


def running(records):
    """Open elections at low risk."""
    return records.filter(status=Election.Status.OPEN).exclude(
        area_id__in=_raised_areas(records.order_by())
    )


def preparing(records):
    return records.filter(status=Election.Status.PREPARING).exclude(
        area_id__in=_raised_areas(records.order_by())
    )


def slip_text(voter):
    """The text of a voter's slip, also what an SMS to them says (4.6): when and where to
    vote, or how they vote when they do not come in person."""
    return compose_slip(
        voter.election,
        voter.resident.name,
        voter.slot if voter.slot_id else None,
        voter.special,
        voter.special_method,
    )


def compose_slip(election, name, slot, special="", method=""):
    """A slip's words from its parts (`slot` with its station, or None)."""
    return slip_composer(election)(name, slot, special, method)


def slip_composer(election):
    """`compose(name, slot, special, method)` for the voters of one election: the sentences
    translated and each slot's times written once, not once per voter (a roll of 20,000 is
    composed in a fraction of a second: `fangkong.elections.slips`)."""
    names = {
        "community": election.area.name,
        "term": election.term,
        "day": election.voting_day.isoformat(),
    }
    in_slot = _(
        "%(community)s %(term)s: %(name)s, please vote on %(day)s from %(start)s to "
        "%(end)s at %(station)s (%(place)s). Wear a mask, keep one metre apart and "
        "declare your health before you come."
    )
    in_special = _(
        "%(community)s %(term)s: %(name)s, on %(day)s you vote by %(method)s; the "
        "election staff will contact you."
    )
    waiting = _(
        "%(community)s %(term)s: %(name)s, your voting time on %(day)s will be sent to you."
    )
    slots, ways = {}, {}

    def words_of(slot):
        if slot.pk not in slots:
            slots[slot.pk] = {
                **names,
                "start": timezone.localtime(slot.starts_at).strftime("%H:%M"),
                "end": timezone.localtime(slot.ends_at).strftime("%H:%M"),
                "station": slot.station.name,
                "place": slot.station.place,
            }
        return slots[slot.pk]

    def compose(name, slot, special="", method=""):
        if slot is not None:
            return in_slot % {**words_of(slot), "name": name}
        if special:
            if (special, method) not in ways:
                label = Voter.Method(method).label if method else Voter.Special(special).label
                ways[special, method] = str(label)
            return in_special % {**names, "name": name, "method": ways[special, method]}
        return waiting % {**names, "name": name}

    return compose
