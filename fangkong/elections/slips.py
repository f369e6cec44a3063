"""Voters' slips sent by SMS (4.6: each voter's slot printable and sendable).

`send_slips` queues the slips of a slot, a station or the whole roll as text messages in the
outbox of `fangkong.notifications.texts`, in one transaction, once per request id; they are
sent once it commits. A voter whose resident has no mobile number (none, or a landline) is
counted and listed to print instead; a voter still without a slot (and not voting in a
special way) gets nothing yet: their slip says nothing to act on. The same words to the same
number are never queued twice, so sending the slips again sends only the slips that changed
(a voter moved to another slot) and those that failed.

The roll is read in one query (the names, the encrypted numbers, the slots), the words are
put together in Python and the messages written a thousand rows a statement: 20,000 voters
queue in about a second (docs/elections.md).
"""

from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.utils.translation import gettext as _

from fangkong.audit.services import record
from fangkong.elections import rules, selectors
from fangkong.elections.models import Election, Voter, VotingSlot
from fangkong.elections.permissions import RUN_ELECTION
from fangkong.elections.services import check_may_run
from fangkong.notifications import texts
from fangkong.notifications.models import TextBatch, TextMessage
from fangkong.notifications.sms import is_mobile
from fangkong.scope import system_scope
from fangkong.writes import once

PURPOSE = "elections.slip"
SOURCE = "elections.voter"
State = TextMessage.State


def subject_of(election):
    return f"elections.election:{election.pk}"


def _check_part(election, station, slot):
    if station is not None and station.election_id != election.pk:
        raise ValidationError({"station": _("The polling station is not of this election.")})
    if slot is not None and slot.election_id != election.pk:
        raise ValidationError({"slot": _("The slot is not of this election.")})


def chosen_voters(election, *, station=None, slot=None):
    """The voters of the election (of one station or one slot), for a service that checked
    that its actor runs the election."""
    with system_scope():
        voters = Voter.objects.filter(election=election)
    if slot is not None:
        return voters.filter(slot=slot)
    if station is not None:
        return voters.filter(slot__station=station)
    return voters


def outgoing_of(election, voters):
    """(texts to queue, ids of the voters without a mobile number, voters without a slot):
    the voters read in one query, their slips composed from the slots read in another."""
    with system_scope():
        slots = {
            slot.pk: slot
            for slot in VotingSlot.objects.filter(election=election).select_related("station")
        }
        rows = voters.order_by("slot__starts_at", "household_order", "pk").values_list(
            "pk",
            "resident_id",
            "resident__name",
            "resident__phone",
            "slot_id",
            "special",
            "special_method",
        )
        outgoing, print_instead, waiting = [], [], 0
        compose = selectors.slip_composer(election)
        for pk, resident_id, name, phone, slot_id, special, method in rows:
            if slot_id is None and not special:
                waiting += 1
                continue
            text = compose(name, slots.get(slot_id), special, method)
            if is_mobile(phone):
                outgoing.append(texts.Outgoing(resident_id, phone, text, pk))
            else:
                print_instead.append(pk)
    return outgoing, print_instead, waiting


def preview(*, actor, election, station=None, slot=None):
    """What sending would do, written nowhere: {to_send, unchanged, without_phone, waiting}."""
    check_may_run(actor, election)
    _check_part(election, station, slot)
    outgoing, print_instead, waiting = outgoing_of(
        election, chosen_voters(election, station=station, slot=slot)
    )
    new, again, unchanged = texts.plan(purpose=PURPOSE, source_type=SOURCE, outgoing=outgoing)
    return {
        "to_send": len(new) + len(again),
        "unchanged": unchanged,
        "without_phone": len(print_instead),
        "waiting": waiting,
    }


def send_slips(*, actor, election, station=None, slot=None, client_uuid=None):
    """Queue the slips of a slot, a station or the whole roll as text messages, sent when the
    transaction commits. Once per `client_uuid`: sent again, the request answers its batch.
    Refused while the election is suspended by the risk level, and once it is closed.
    Returns the `TextBatch` (queued, unchanged, without_phone, print_instead,
    detail["waiting"])."""
    check_may_run(actor, election)
    subject = subject_of(election)

    def make():
        check_may_run(actor, election)
        rules.check_not_blocked(election)
        _check_part(election, station, slot)
        # One sending at a time per election: the second sees the first's messages.
        Election.objects.visible_to(actor, RUN_ELECTION).select_for_update().get(pk=election.pk)
        outgoing, print_instead, waiting = outgoing_of(
            election, chosen_voters(election, station=station, slot=slot)
        )
        part = {"station": station.pk if station else None, "slot": slot.pk if slot else None}
        batch = texts.queue_batch(
            actor=actor,
            area=election.area,
            purpose=PURPOSE,
            subject=subject,
            source_type=SOURCE,
            outgoing=outgoing,
            print_instead=print_instead,
            client_uuid=client_uuid,
            detail={"waiting": waiting, **part},
        )
        record(
            actor=actor,
            action="elections.texts",
            target=election,
            area=election.area,
            queued=batch.queued,
            unchanged=batch.unchanged,
            without_phone=batch.without_phone,
            waiting=waiting,
            **part,
        )
        return batch

    return once(TextBatch, client_uuid, make, subject=subject)


def with_text_state(voters):
    """Voters annotated with `text_state`: the state of their latest slip by SMS (None: none
    sent)."""
    return voters.annotate(text_state=texts.latest_state(PURPOSE, SOURCE))


def text_state_of(voter):
    """The state of a voter's latest slip by SMS (None: none sent), for the voter's page."""
    with system_scope():  # a voter the caller sees (fetched in scope)
        return (
            TextMessage.objects.filter(purpose=PURPOSE, source_type=SOURCE, source_id=voter.pk)
            .values_list("state", flat=True)
            .first()
        )


def text_summary(election):
    """How the election's slips by SMS stand, by voter: {sent, waiting, failed, none}, and the
    latest batch (its `without_phone`, who sent it and when), for the election's page."""
    counts = {"sent": 0, "waiting": 0, "failed": 0, "none": 0}
    with system_scope():  # an election the caller sees (fetched in scope)
        rows = (
            with_text_state(Voter.objects.filter(election=election))
            .order_by()
            .values("text_state")
            .annotate(n=Count("pk"))
        )
        for row in rows:
            state = row["text_state"]
            name = {
                State.SENT: "sent",
                State.FAILED: "failed",
                State.QUEUED: "waiting",
                State.SENDING: "waiting",
            }.get(state, "none")
            counts[name] += row["n"]
        latest = (
            TextBatch.objects.filter(subject=subject_of(election))
            .select_related("created_by")
            .first()
        )
    return counts, latest


def by_text_state(voters, value):
    """Voters whose slip by SMS is `value`: sent, waiting, failed, or unreached (none queued
    or sent, or the last failed: their slip is to be printed)."""
    voters = with_text_state(voters)
    if value == "sent":
        return voters.filter(text_state=State.SENT)
    if value == "waiting":
        return voters.filter(text_state__in=[State.QUEUED, State.SENDING])
    if value == "failed":
        return voters.filter(text_state=State.FAILED)
    return voters.filter(Q(text_state__isnull=True) | Q(text_state=State.FAILED))
