"""Writes of an election's roll: registering the voters, allotting them to slots (错时投票),
special voting, health declarations and their assessment, proxy authorisations
(docs/elections.md). One transaction each.

The roll and the allotment are set-based: one INSERT … SELECT-like bulk insert and one
UPDATE, whatever the number of voters (bench/elections.py: 20,000 voters allotted well
under two seconds on SQLite and PostgreSQL)."""

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import CharField, IntegerField, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from fangkong.audit.services import record
from fangkong.elections import rules
from fangkong.elections.models import (
    Election,
    HealthDeclaration,
    ProxyVote,
    Voter,
    VotingSlot,
)
from fangkong.elections.permissions import RUN_ELECTION
from fangkong.elections.services import check_may_run
from fangkong.people.models import Resident
from fangkong.scope import system_scope
from fangkong.writes import once

REGISTERED = (Resident.Residence.REGISTERED_LIVING, Resident.Residence.REGISTERED_AWAY)


def eligible(election):
    """The community's registered residents living (not moved out or deceased) who are 18 on
    the voting day: the whole community, whoever runs the election (a rule of the law, not a
    list the actor reads), hence the system scope."""
    with system_scope():
        return Resident.objects.within(election.area).filter(
            status=Resident.Status.ACTIVE,
            residence__in=REGISTERED,
            birth_date__lte=rules.adult_on(election.voting_day),
        )


@transaction.atomic
def register_voters(*, actor, election):
    """Put every eligible resident not yet on the roll on it, in one INSERT … SELECT.
    Returns how many were added; registering again adds only those who became eligible
    since."""
    check_may_run(actor, election)
    Election.objects.visible_to(actor, RUN_ELECTION).select_for_update().get(pk=election.pk)
    area = election.area
    with system_scope():
        on_roll = Voter.objects.filter(election=election).values("resident_id")
        new = (
            eligible(election)
            .exclude(pk__in=on_roll)
            .order_by()
            .annotate(
                e=Value(election.pk, output_field=IntegerField()),
                a=Value(area.pk, output_field=IntegerField()),
                p=Value(area.path, output_field=CharField()),
                blank=Value("", output_field=CharField()),
                family=Coalesce("household_id", 0),
            )
            .values_list("e", "pk", "a", "p", "family", "blank", "blank", "blank")
        )
        select, params = new.query.sql_with_params()
        before = Voter.objects.filter(election=election).count()
    columns = ", ".join(
        Voter._meta.get_field(name).column
        for name in (
            "election",
            "resident",
            "area",
            "area_path",
            "household_order",
            "special",
            "special_method",
            "special_note",
        )
    )
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {Voter._meta.db_table} ({columns}) {select}", params)
        if connection.vendor == "postgresql":
            # A roll of thousands written at once: the planner's statistics of the table
            # follow now, not at autovacuum's next pass (the allotment is planned on them).
            cursor.execute(f"ANALYZE {Voter._meta.db_table}")
    with system_scope():
        added = Voter.objects.filter(election=election).count() - before
    record(actor=actor, action="elections.roll", target=election, area=area, added=added)
    return added


def _allot_statement():
    voter, slot, proxy = (m._meta.db_table for m in (Voter, VotingSlot, ProxyVote))
    # Voters to come in person (no slot, no special voting, no proxy given) are numbered in
    # the order of their households, so a family comes together; the slots with room, laid
    # end to end in the order of time, each end at `upto` (the places up to and including
    # it). Voter n goes to the first slot whose `upto` is at least n: both lists are sorted
    # together from the last place down, each slot opening a group, and a voter takes the
    # slot of their group. Sorting only, no join of voters with slots: a planner without
    # statistics (a roll just written) cannot turn it into voters × slots. One UPDATE …
    # FROM, which SQLite (3.35+) and PostgreSQL both run; MATERIALIZED keeps PostgreSQL
    # from running a CTE again for each row that reads it.
    return f"""
        WITH ranked AS MATERIALIZED (
            SELECT v.id AS voter_id,
                   ROW_NUMBER() OVER (ORDER BY v.household_order, v.resident_id) AS n
            FROM {voter} v
            WHERE v.election_id = %s AND v.slot_id IS NULL AND v.special = ''
              AND NOT EXISTS (SELECT 1 FROM {proxy} p WHERE p.voter_id = v.id)
        ),
        taken AS MATERIALIZED (
            SELECT slot_id, COUNT(*) AS n FROM {voter}
            WHERE election_id = %s AND slot_id IS NOT NULL GROUP BY slot_id
        ),
        bounds AS MATERIALIZED (
            SELECT id,
                   CAST(SUM(room) OVER (ORDER BY starts_at, station_id, id) AS INTEGER) AS upto
            FROM (
                SELECT s.id, s.starts_at, s.station_id,
                       s.capacity - COALESCE(t.n, 0) AS room
                FROM {slot} s LEFT JOIN taken t ON t.slot_id = s.id
                WHERE s.election_id = %s
            ) AS free
            WHERE room > 0
        ),
        events AS MATERIALIZED (
            SELECT n AS place, 0 AS is_slot, voter_id, NULL AS slot_id FROM ranked
            UNION ALL
            SELECT upto, 1, NULL, id FROM bounds
        ),
        grouped AS MATERIALIZED (
            SELECT voter_id, slot_id, is_slot,
                   SUM(is_slot) OVER (
                       ORDER BY place DESC, is_slot DESC ROWS UNBOUNDED PRECEDING
                   ) AS grp
            FROM events
        ),
        chosen AS MATERIALIZED (
            SELECT voter_id, MAX(slot_id) OVER (PARTITION BY grp) AS slot_id, is_slot, grp
            FROM grouped
        )
        UPDATE {voter} SET slot_id = chosen.slot_id
        FROM chosen
        WHERE chosen.is_slot = 0 AND chosen.grp > 0 AND {voter}.id = chosen.voter_id
    """


def allot_waiting(election):
    """The allotment itself, for the service and for system code (demo, bench): (allotted,
    left without a slot)."""
    before = waiting(election).count()
    with connection.cursor() as cursor:
        # (SQLite's driver gives no row count for a statement opening with WITH.)
        cursor.execute(_allot_statement(), [election.pk] * 3)
    left = waiting(election).count()
    return before - left, left


def waiting(election):
    """The voters to come in person who have no slot yet."""
    with system_scope():
        return Voter.objects.filter(
            election=election, slot=None, special="", proxy_given__isnull=True
        )


@transaction.atomic
def allot(*, actor, election):
    """Allot every voter to come in person who has no slot to the slots with room, within
    each slot's capacity, in one statement. Returns (allotted, left without a slot); those
    left need more slots or longer hours. Refused while the election is suspended."""
    check_may_run(actor, election)
    rules.check_not_blocked(election)
    # One allotment at a time per election: the second waits for the first's slots.
    Election.objects.visible_to(actor, RUN_ELECTION).select_for_update().get(pk=election.pk)
    allotted, left = allot_waiting(election)
    record(
        actor=actor,
        action="elections.allot",
        target=election,
        area=election.area,
        allotted=allotted,
        left=left,
    )
    return allotted, left


def _lock_slot(slot):
    with system_scope():  # a row lock on a slot the caller was given
        return VotingSlot.objects.select_for_update().get(pk=slot.pk)


@transaction.atomic
def move_voter(*, actor, voter, slot):
    """One voter to a slot of the same election with room (or out of any slot: None)."""
    check_may_run(actor, voter.election)
    if slot is not None:
        if slot.election_id != voter.election_id:
            raise ValidationError({"slot": _("The slot is not of this election.")})
        if voter.special or hasattr(voter, "proxy_given"):
            raise ValidationError(
                {"slot": _("This voter votes in a special way or by proxy, not in a slot.")}
            )
        slot = _lock_slot(slot)
        with system_scope():
            taken = Voter.objects.filter(slot=slot).exclude(pk=voter.pk).count()
        if taken >= slot.capacity:
            raise ValidationError(
                {
                    "slot": _("The slot %(slot)s is full (%(n)d of %(most)d voters).")
                    % {"slot": slot, "n": taken, "most": slot.capacity}
                }
            )
    voter.slot = slot
    voter.save(update_fields=["slot"])
    record(
        actor=actor,
        action="elections.move",
        target=voter,
        area=voter.area,
        slot=str(slot) if slot else "",
    )
    return voter


@transaction.atomic
def mark_special(*, actor, voter, special, method="", note=""):
    """A confirmed, suspected or otherwise unable voter votes in a special way (a mobile
    ballot box, a proxy …) and leaves their slot; `special` "" takes them back."""
    check_may_run(actor, voter.election)
    if special and special not in Voter.Special.values:
        raise ValidationError({"special": _("Choose why the voter cannot come.")})
    if special and method not in Voter.Method.values:
        raise ValidationError({"special_method": _("Choose how the voter votes.")})
    voter.special = special or ""
    voter.special_method = method if special else ""
    voter.special_note = (note or "").strip() if special else ""
    if special:
        voter.slot = None
    voter.full_clean(exclude=["area", "election", "resident", "slot"])
    voter.save(update_fields=["special", "special_method", "special_note", "slot"])
    record(
        actor=actor,
        action="elections.special",
        target=voter,
        area=voter.area,
        special=voter.special,
        method=voter.special_method,
    )
    return voter


def declare(
    *,
    actor,
    election,
    declared_on,
    temperature,
    voter=None,
    staff=None,
    symptoms=False,
    risk_contact=False,
    health_code="green",
    client_uuid=None,
):
    """A voter's or staff member's health declaration; abnormal (fever, symptoms, a risk
    contact or trip, a code not green) it waits for a risk assessment."""

    def make():
        check_may_run(actor, election)
        if (voter is None) == (staff is None):
            raise ValidationError({"voter": _("Choose the voter or the staff member declaring.")})
        person = voter or staff
        if person.election_id != election.pk:
            raise ValidationError({"voter": _("The person is not of this election.")})
        rules.DECLARATION_DAY.check(declared_on, field="declared_on")
        try:
            degrees = float(temperature)
        except (TypeError, ValueError):
            degrees = 0.0
        if not 34.0 <= degrees <= 43.0:
            raise ValidationError(
                {"temperature": _("Give a body temperature from 34.0 to 43.0 °C.")}
            )
        if health_code not in HealthDeclaration.Code.values:
            raise ValidationError({"health_code": _("Choose the colour of the health code.")})
        declaration = HealthDeclaration(
            election=election,
            area=election.area,
            voter=voter,
            staff=staff,
            declared_on=declared_on,
            temperature=temperature,
            symptoms=bool(symptoms),
            risk_contact=bool(risk_contact),
            health_code=health_code,
            abnormal=rules.is_abnormal(temperature, symptoms, risk_contact, health_code),
            client_uuid=client_uuid,
            recorded_by=actor,
        )
        declaration.full_clean(
            exclude=["area", "election", "voter", "staff", "recorded_by", "assessed_by"]
        )
        declaration.save()
        record(
            actor=actor,
            action="elections.declare",
            target=declaration,
            area=election.area,
            abnormal=declaration.abnormal,
        )
        return declaration

    return once(HealthDeclaration, client_uuid, make, election_id=election.pk)


@transaction.atomic
def assess(*, actor, declaration, decision, reason):
    """The risk assessment of an abnormal declaration: whether the person takes part, votes
    in a special way, or does not take part, and why. A voter who does not come in person
    leaves their slot and is marked unable to come."""
    check_may_run(actor, declaration.election)
    if not declaration.abnormal:
        raise ValidationError(_("Only an abnormal declaration is assessed."))
    if decision not in HealthDeclaration.Decision.values:
        raise ValidationError({"decision": _("Choose the decision on participation.")})
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"decision_reason": _("Give the reason of the decision.")})
    if decision == HealthDeclaration.Decision.SPECIAL and declaration.staff_id:
        raise ValidationError({"decision": _("A staff member works or stands down.")})
    declaration.decision = decision
    declaration.decision_reason = reason
    declaration.assessed_at = timezone.now()
    declaration.assessed_by = actor
    declaration.full_clean(
        exclude=["area", "election", "voter", "staff", "recorded_by", "assessed_by"]
    )
    declaration.save()
    voter = declaration.voter
    if voter is not None and decision != HealthDeclaration.Decision.ATTEND:
        # Not in person: out of their slot and of later allotments, unable to come unless
        # already marked a case (a proxy or another way may still carry their vote).
        voter.slot = None
        if not voter.special:
            voter.special = Voter.Special.UNABLE
            voter.special_method = (
                Voter.Method.MOBILE_BOX
                if decision == HealthDeclaration.Decision.SPECIAL
                else Voter.Method.OTHER
            )
            voter.special_note = reason[:300]
        voter.save(update_fields=["slot", "special", "special_method", "special_note"])
    record(
        actor=actor,
        action="elections.assess",
        target=declaration,
        area=declaration.area,
        decision=decision,
    )
    return declaration


def _lock_voter(voter):
    with system_scope():  # a row lock on a voter the caller was given
        return Voter.objects.select_for_update().get(pk=voter.pk)


@transaction.atomic
def authorise_proxy(*, actor, voter, proxy, note=""):
    """`voter` authorises `proxy` to vote for them (委托投票): both on this election's roll,
    never oneself, one authorisation per voter, at most `max_proxies` per proxy (the law's
    three unless the election set fewer), and a proxy who gave their own vote away holds
    none."""
    election = voter.election
    check_may_run(actor, election)
    if proxy.pk == voter.pk:
        raise ValidationError({"proxy": _("A voter cannot be their own proxy.")})
    if proxy.election_id != election.pk:
        raise ValidationError({"proxy": _("The proxy is not a registered voter of this election.")})
    if ProxyVote.objects.visible_to(actor, RUN_ELECTION).filter(voter=voter).exists():
        raise ValidationError({"voter": _("This voter has already authorised a proxy.")})
    # Locked, so that two authorisations given at once cannot both pass the count.
    voter, proxy = _lock_voter(voter), _lock_voter(proxy)
    held = ProxyVote.objects.visible_to(actor, RUN_ELECTION).filter(proxy=proxy)
    if ProxyVote.objects.visible_to(actor, RUN_ELECTION).filter(voter=proxy).exists():
        raise ValidationError(
            {
                "proxy": _("%(name)s gave their own vote to a proxy and cannot hold one.")
                % {"name": proxy.resident.name}
            }
        )
    if held.filter(voter__isnull=False).count() >= election.max_proxies:
        raise ValidationError(
            {
                "proxy": ngettext(
                    "%(name)s already holds %(n)d authorisation: the most one proxy may hold.",
                    "%(name)s already holds %(n)d authorisations: the most one proxy may hold.",
                    election.max_proxies,
                )
                % {"name": proxy.resident.name, "n": election.max_proxies}
            }
        )
    vote = ProxyVote(
        election=election,
        area=election.area,
        voter=voter,
        proxy=proxy,
        note=(note or "").strip(),
        recorded_by=actor,
    )
    vote.full_clean(exclude=["area", "election", "voter", "proxy", "recorded_by"])
    vote.save()
    # The voter no longer comes: their place in a slot is freed.
    if voter.slot_id:
        voter.slot = None
        voter.save(update_fields=["slot"])
    record(
        actor=actor,
        action="elections.proxy",
        target=vote,
        area=election.area,
        voter=voter.pk,
        proxy=proxy.pk,
    )
    return vote


@transaction.atomic
def revoke_proxy(*, actor, vote):
    check_may_run(actor, vote.election)
    record(
        actor=actor,
        action="elections.proxy_revoked",
        target=vote,
        area=vote.area,
        voter=vote.voter_id,
        proxy=vote.proxy_id,
    )
    with system_scope():  # the deletion's cascade looks for rows of the scoped models
        vote.delete()
    return vote
