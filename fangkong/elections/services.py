"""Writes of an election, its checklist, stations, slots, counting, staff and disinfection,
one transaction each (docs/elections.md). The roll, the allotment, declarations and proxies
are in `voter_services`.

Every write is the community workers' (`RUN_ELECTION` on the election's community); a
closed election changes no more. Opening is refused while the community's effective risk
level is medium or high (`rules.blocked`), with the reason."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from fangkong.areas.models import Level
from fangkong.audit.services import record
from fangkong.elections import rules
from fangkong.elections.models import (
    ContingencyItem,
    Election,
    ElectionStaff,
    PollingStation,
    VotingSlot,
)
from fangkong.elections.permissions import ADD_ELECTION, RUN_ELECTION
from fangkong.facilities.services import log_disinfection as facilities_log_disinfection
from fangkong.scope import for_uniqueness
from fangkong.writes import once, refused

# The contingency checklist every election starts with (4.2), in the language of the one
# who creates it; the committee adds its own.
DEFAULT_CHECKLIST = [
    gettext_noop("Prevention plan of the election made and filed with the township"),
    gettext_noop("Venues set: more polling stations, one-metre lines, entry and exit apart"),
    gettext_noop("Temperature and health-code checks at every entrance"),
    gettext_noop("Masks, hand sanitiser and disinfectant ready at every station"),
    gettext_noop("Isolation point and medical staff on call for a voter with a fever"),
    gettext_noop("Mobile ballot boxes and staff for special voting"),
    gettext_noop("Staggered voting slots published to voters"),
    gettext_noop("Plan for suspending the vote if the risk level rises"),
]


def _text(value):
    return (value or "").strip()


def check_may_run(actor, election):
    if not actor.has_perm(RUN_ELECTION, election):
        raise refused()
    if election.status == Election.Status.CLOSED:
        raise ValidationError(_("This election is closed: nothing more can be changed."))


def _check_hours(opens_at, closes_at, slot_minutes):
    if opens_at >= closes_at:
        raise ValidationError({"closes_at": _("Voting must close after it opens.")})
    if not isinstance(slot_minutes, int) or not 10 <= slot_minutes <= 240:
        raise ValidationError({"slot_minutes": _("A voting slot lasts from 10 to 240 minutes.")})


def create_election(
    *,
    actor,
    area,
    term,
    voting_day,
    plan="",
    opens_at=datetime.time(8, 0),
    closes_at=datetime.time(18, 0),
    slot_minutes=30,
    max_proxies=3,
    client_uuid=None,
):
    """A community's election with the default contingency checklist."""

    def make():
        if area.level != Level.COMMUNITY:
            raise ValidationError({"area": _("An election is held by a community.")})
        if not actor.has_perm(ADD_ELECTION, area):
            raise refused()
        rules.VOTING_DAY.check(voting_day, field="voting_day")
        _check_hours(opens_at, closes_at, slot_minutes)
        election = Election(
            area=area,
            term=_text(term),
            voting_day=voting_day,
            plan=_text(plan),
            opens_at=opens_at,
            closes_at=closes_at,
            slot_minutes=slot_minutes,
            max_proxies=max_proxies,
            client_uuid=client_uuid,
            created_by=actor,
        )
        election.full_clean(exclude=["area", "created_by", "opened_by"])
        # The area is left out of full_clean above, and with it the unique (area, term).
        if for_uniqueness(Election).filter(area=area, term=election.term).exists():
            raise ValidationError(
                {"term": _("This community already has an election of this term.")}
            )
        election.save()
        ContingencyItem.objects.bulk_create(
            ContingencyItem(
                election=election, area=area, area_path=area.path, text=_(text), position=i
            )
            for i, text in enumerate(DEFAULT_CHECKLIST)
        )
        record(actor=actor, action="elections.create", target=election, area=area, term=term)
        return election

    return once(Election, client_uuid, make, area_id=area.pk)


@transaction.atomic
def change_plan(
    *, actor, election, term, voting_day, plan, opens_at, closes_at, slot_minutes, max_proxies
):
    """The plan and the settings: day, hours (longer hours: open earlier, close later),
    slot length, the most authorisations a proxy holds. Slots already made stay."""
    check_may_run(actor, election)
    if voting_day != election.voting_day:
        rules.VOTING_DAY.check(voting_day, field="voting_day")
    _check_hours(opens_at, closes_at, slot_minutes)
    held = (
        election.proxies.visible_to(actor, RUN_ELECTION)
        .values("proxy")
        .annotate(n=Count("id"))
        .order_by("-n")
        .first()
    )
    most_held = held["n"] if held else 0
    if max_proxies < most_held:
        raise ValidationError(
            {
                "max_proxies": _(
                    "A proxy already holds %(n)d authorisations: the limit cannot be lower."
                )
                % {"n": most_held}
            }
        )
    for name, value in {
        "term": _text(term),
        "voting_day": voting_day,
        "plan": _text(plan),
        "opens_at": opens_at,
        "closes_at": closes_at,
        "slot_minutes": slot_minutes,
        "max_proxies": max_proxies,
    }.items():
        setattr(election, name, value)
    election.full_clean(exclude=["area", "created_by", "opened_by"])
    election.save()
    record(actor=actor, action="elections.plan", target=election, area=election.area)
    return election


@transaction.atomic
def add_item(*, actor, election, text):
    check_may_run(actor, election)
    text = _text(text)
    if not text:
        raise ValidationError({"text": _("Say what the measure is.")})
    last = election.items.visible_to(actor, RUN_ELECTION).order_by("-position").first()
    item = ContingencyItem(
        election=election,
        area=election.area,
        text=text,
        position=(last.position + 1) if last else 0,
    )
    item.full_clean(exclude=["area", "election", "done_by"])
    item.save()
    record(actor=actor, action="elections.item", target=item, area=election.area, text=text)
    return item


@transaction.atomic
def mark_item(*, actor, item, done):
    check_may_run(actor, item.election)
    item.done = bool(done)
    item.done_at = timezone.now() if item.done else None
    item.done_by = actor if item.done else None
    item.save(update_fields=["done", "done_at", "done_by"])
    record(actor=actor, action="elections.item_done", target=item, area=item.area, done=item.done)
    return item


@transaction.atomic
def open_election(*, actor, election):
    """Voting opens: refused while the community is at medium or high risk (the reason
    says which level, set where and since when), or without a plan."""
    check_may_run(actor, election)
    if election.status != Election.Status.PREPARING:
        raise ValidationError(_("Only an election in preparation can be opened."))
    if not election.plan.strip():
        raise ValidationError({"plan": _("Write the election's plan before opening it.")})
    reason = rules.blocked(election)
    if reason:
        raise ValidationError(reason)
    election.status = Election.Status.OPEN
    election.opened_at = timezone.now()
    election.opened_by = actor
    election.save(update_fields=["status", "opened_at", "opened_by"])
    record(actor=actor, action="elections.open", target=election, area=election.area)
    return election


@transaction.atomic
def close_election(*, actor, election):
    check_may_run(actor, election)
    if election.status != Election.Status.OPEN:
        raise ValidationError(_("Only an open election can be closed."))
    election.status = Election.Status.CLOSED
    election.closed_at = timezone.now()
    election.save(update_fields=["status", "closed_at"])
    record(actor=actor, action="elections.close", target=election, area=election.area)
    return election


@transaction.atomic
def add_station(*, actor, election, name, place, capacity):
    check_may_run(actor, election)
    if not isinstance(capacity, int) or not 1 <= capacity <= rules.MOST_AT_A_STATION:
        raise ValidationError(
            {
                "capacity": _("Give how many voters it holds at once, from 1 to %(most)d.")
                % {"most": rules.MOST_AT_A_STATION}
            }
        )
    station = PollingStation(
        election=election,
        area=election.area,
        name=_text(name),
        place=_text(place),
        capacity=capacity,
    )
    station.full_clean(exclude=["area", "election"])
    station.save()
    record(actor=actor, action="elections.station", target=station, area=election.area, name=name)
    return station


def _check_slot_capacity(station, capacity):
    if not isinstance(capacity, int) or capacity < 1:
        raise ValidationError({"capacity": _("A slot takes at least one voter.")})
    if capacity > station.capacity:
        raise ValidationError(
            {
                "capacity": _(
                    "A slot of %(n)d voters is over the capacity of %(station)s "
                    "(%(most)d voters at once)."
                )
                % {"n": capacity, "station": station.name, "most": station.capacity}
            }
        )


@transaction.atomic
def add_slot(*, actor, station, starts_at, ends_at, capacity):
    """One slot of a station on the voting day, within the election's hours."""
    election = station.election
    check_may_run(actor, election)
    _check_slot_capacity(station, capacity)
    day = election.voting_day
    if timezone.localtime(starts_at).date() != day or starts_at >= ends_at:
        raise ValidationError(
            {"starts_at": _("A slot starts and ends on the voting day, %(day)s.") % {"day": day}}
        )
    if starts_at < rules.at(day, election.opens_at) or ends_at > rules.at(day, election.closes_at):
        raise ValidationError(
            {
                "ends_at": _(
                    "A slot lies within the voting hours, %(opens)s to %(closes)s: "
                    "set longer hours first."
                )
                % {
                    "opens": election.opens_at.strftime("%H:%M"),
                    "closes": election.closes_at.strftime("%H:%M"),
                }
            }
        )
    slot = VotingSlot(
        election=election,
        station=station,
        area=station.area,
        starts_at=starts_at,
        ends_at=ends_at,
        capacity=capacity,
    )
    slot.full_clean(exclude=["area", "election", "station"])
    slot.save()
    record(actor=actor, action="elections.slot", target=slot, area=station.area)
    return slot


@transaction.atomic
def make_slots(*, actor, station, capacity):
    """Slots of the station over the election's hours, one per `slot_minutes`, each taking
    `capacity` voters; the times it already has a slot at are left as they are. Returns the
    number made."""
    election = station.election
    check_may_run(actor, election)
    _check_slot_capacity(station, capacity)
    day, step = election.voting_day, datetime.timedelta(minutes=election.slot_minutes)
    start, close = rules.at(day, election.opens_at), rules.at(day, election.closes_at)
    taken = set(station.slots.visible_to(actor, RUN_ELECTION).values_list("starts_at", flat=True))
    slots = []
    while start + step <= close and len(slots) < rules.MOST_SLOTS:
        if start not in taken:
            slots.append(
                VotingSlot(
                    election=election,
                    station=station,
                    area=station.area,
                    area_path=station.area_path,
                    starts_at=start,
                    ends_at=start + step,
                    capacity=capacity,
                )
            )
        start += step
    if not slots:
        raise ValidationError(
            _("No slot to add: the voting hours are shorter than a slot, or all are made.")
        )
    VotingSlot.objects.bulk_create(slots)
    record(
        actor=actor,
        action="elections.slots",
        target=station,
        area=station.area,
        slots=len(slots),
        capacity=capacity,
    )
    return len(slots)


@transaction.atomic
def record_counting(
    *, actor, election, place, limit, headcount, witness, representatives="", video=""
):
    """The counting site (4.7): at most `limit` people, `headcount` there, witnessed by
    voters' representatives, a live video, or both (each named)."""
    check_may_run(actor, election)
    if not isinstance(limit, int) or limit < 1:
        raise ValidationError({"limit": _("Give the most people allowed at the counting site.")})
    if headcount is not None and (not isinstance(headcount, int) or headcount < 0):
        raise ValidationError({"headcount": _("Give how many people are there.")})
    if headcount is not None and headcount > limit:
        raise ValidationError(
            {
                "headcount": _(
                    "%(n)d people are over the counting site's limit of %(most)d: "
                    "follow it by live video instead."
                )
                % {"n": headcount, "most": limit}
            }
        )
    if witness not in Election.Witness.values:
        raise ValidationError({"witness": _("Say how the count is witnessed.")})
    representatives, video = _text(representatives), _text(video)
    if witness in ("representatives", "both") and not representatives:
        raise ValidationError({"representatives": _("Name the representatives present.")})
    if witness in ("live_video", "both") and not video:
        raise ValidationError({"video": _("Say where the live video is shown.")})
    election.counting_place = _text(place)
    election.counting_limit = limit
    election.counting_headcount = headcount
    election.counting_witness = witness
    election.counting_representatives = representatives
    election.counting_video = video
    election.counting_recorded_at = timezone.now()
    election.full_clean(exclude=["area", "created_by", "opened_by"])
    election.save()
    record(
        actor=actor,
        action="elections.counting",
        target=election,
        area=election.area,
        limit=limit,
        headcount=headcount,
        witness=witness,
    )
    return election


@transaction.atomic
def add_staff(*, actor, election, worker, duty):
    """A worker of the community (or above it) on the election's staff."""
    check_may_run(actor, election)
    if not election.area.path.startswith(worker.area_path) and not worker.area_path.startswith(
        election.area.path
    ):
        raise ValidationError({"worker": _("The worker does not serve in this community.")})
    if duty not in ElectionStaff.Duty.values:
        raise ValidationError({"duty": _("Choose the duty.")})
    staff = ElectionStaff(election=election, area=election.area, worker=worker, duty=duty)
    staff.full_clean(exclude=["area", "election", "worker"])
    staff.save()
    record(actor=actor, action="elections.staff", target=staff, area=election.area, duty=duty)
    return staff


def subject_of(record_):
    """How a disinfection log names a record of this app (fangkong.facilities)."""
    return f"{record_._meta.label_lower}:{record_.pk}"


def log_disinfection(*, actor, station, disinfectant, disinfected_by, items="", note=""):
    """A station's venue and shared items (pens, ballot boxes, booths) disinfected (4.8):
    logged in fangkong.facilities, under the station (`subject`)."""
    check_may_run(actor, station.election)
    return facilities_log_disinfection(
        actor=actor,
        area=station.area,
        place=f"{station.name} {station.place}".strip(),
        items=items,
        disinfectant=disinfectant,
        disinfected_by=disinfected_by,
        note=note,
        subject=subject_of(station),
    )
