"""Writes of quarantines, one transaction each: start one by rule, place it in a room (or a
batch in a site's rooms), check in, record its tests, release it (which hands a person from
central quarantine to their home community's next stage), end it otherwise.

Bad input is refused with a Chinese message and changes nothing; the room rules are
`allocation`'s, and a refusal names the rule that refused."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from fangkong import dates
from fangkong.audit.services import record
from fangkong.notifications.services import notify
from fangkong.quarantine import allocation, plans
from fangkong.quarantine.models import STRICTNESS, Category, QuarantineRule, Room
from fangkong.quarantine.permissions import ADD, CHANGE, RECORD_TEST
from fangkong.quarantine.quarantines import Quarantine, TestResult
from fangkong.quarantine.rooms import occupant, slots_of, vacate
from fangkong.scope import system_scope

OPEN = Quarantine.OPEN


def today():
    return timezone.localdate()


def refused():
    return PermissionDenied(_("You may not do this here."))


def locked_quarantine(quarantine):
    with system_scope():  # the actor's permission on it is checked by the caller
        return (
            Quarantine.objects.select_for_update()
            .select_related("person", "rule")
            .get(pk=quarantine.pk)
        )


def rule_for(category):
    rule = QuarantineRule.objects.filter(category=category).first()
    if rule is None or not rule.stages():
        raise ValidationError({"category": _("No quarantine rule is set for this category.")})
    return rule


def stage_span(rule, kind):
    """(first day number, number of days) of a rule's stage."""
    offset = 0
    for stage, days in rule.stages():
        if stage == kind:
            return offset + 1, days
        offset += days
    return None


def open_quarantine_of(person):
    with system_scope():  # one open quarantine per person, wherever it is kept
        return Quarantine.objects.filter(person=person, status__in=OPEN).first()


@transaction.atomic
def start_quarantine(
    *,
    actor,
    person,
    category,
    source,
    kind=None,
    source_note="",
    starts_on=None,
    batch="",
    care="",
    companion_of=None,
    needs_accessible=False,
    follows=None,
    verification=None,
):
    """Put a person (a `tracing.TracedPerson`) under the rule of their category: the rule's
    first stage unless `kind` names another of its stages."""
    if follows is None and not actor.has_perm(ADD, person):
        raise refused()
    if category not in Category.values:
        raise ValidationError({"category": _("Choose a category.")})
    if source not in Quarantine.Source.values:
        raise ValidationError({"source": _("Say what this quarantine was started from.")})
    rule = rule_for(category)
    kind = kind or rule.stages()[0][0]
    # A kind the rule does not name (a secondary contact sent to a site because home
    # quarantine is impossible) lasts as long as the rule's first stage, with its tests.
    span = stage_span(rule, kind) or stage_span(rule, rule.stages()[0][0])
    if open_quarantine_of(person) is not None:
        raise ValidationError(
            _("%(name)s is already in quarantine: release or end that one first.")
            % {"name": person.name}
        )
    starts_on = dates.PLAN_START.check(starts_on or today(), field="starts_on")
    first_day, days = span
    if companion_of is not None and (companion_of.site_id is None or not companion_of.is_open):
        raise ValidationError({"companion_of": _("Choose a person in central quarantine.")})
    central = kind == Quarantine.Kind.CENTRAL
    quarantine = Quarantine(
        person=person,
        area=person.area,
        kind=kind,
        category=category,
        rule=rule,
        source=source,
        source_note=(source_note or "").strip(),
        status=Quarantine.Status.WAITING if central else Quarantine.Status.ACTIVE,
        starts_on=starts_on,
        ends_on=starts_on + datetime.timedelta(days=days - 1),
        batch=(batch or "").strip() if central else "",
        care=care or "",
        companion_of=companion_of,
        needs_accessible=bool(needs_accessible),
        follows=follows,
        verification=verification,
        created_by=actor,
    )
    quarantine.full_clean(exclude=["person", "rule", "follows", "companion_of", "verification"])
    quarantine.save()
    schedule_tests(quarantine, rule, first_day, days)
    plans.attach_plan(actor=actor, quarantine=quarantine)
    record(
        actor=actor,
        action="quarantine.start",
        target=quarantine,
        area=quarantine.area,
        kind=kind,
        category=category,
        rule={"central": rule.central_days, "home": rule.home_days, "tests": rule.test_days},
    )
    return quarantine


def schedule_tests(quarantine, rule, first_day, days):
    """The stage's tests: the rule's test days falling in it, numbered from the stage's start."""
    TestResult.objects.bulk_create(
        TestResult(
            quarantine=quarantine,
            area=quarantine.area,
            area_path=quarantine.area_path,
            day_number=day - first_day + 1,
            due_on=quarantine.starts_on + datetime.timedelta(days=day - first_day),
        )
        for day in sorted(set(rule.test_days))
        if first_day <= day < first_day + days
    )


# --------------------------------------------------------------------------------- rooms


@transaction.atomic
def place(*, actor, quarantine, room):
    """Put a person of central quarantine into a room, if every allocation rule allows it."""
    quarantine = locked_quarantine(quarantine)
    if not actor.has_perm(CHANGE, quarantine):
        raise refused()
    if quarantine.kind != Quarantine.Kind.CENTRAL or not quarantine.is_open:
        raise ValidationError(_("Only a person in central quarantine is placed in a room."))
    with system_scope():
        room = Room.objects.select_for_update().select_related("site").get(pk=room.pk)
    if quarantine.room_id == room.pk:
        return quarantine
    if not room.site.is_active:
        raise ValidationError({"room": _("This site is no longer in use.")})
    slot, floor_people = slots_of(room.site, only_floor=room.floor_id, excluding=quarantine.pk)
    target = next(s for s in slot if s.id == room.pk)
    problem = allocation.refusal(target, [occupant(quarantine)], floor_people)
    if problem:
        raise ValidationError({"room": problem.text})
    previous = quarantine.room
    quarantine.room, quarantine.site = room, room.site
    quarantine.save(update_fields=["room", "site"])
    if room.state != Room.State.OCCUPIED:
        room.state = Room.State.OCCUPIED
        room.save(update_fields=["state"])
    if previous is not None:
        vacate(previous)
    record(
        actor=actor,
        action="quarantine.place",
        target=quarantine,
        area=quarantine.area,
        site=room.site.name,
        room=room.number,
    )
    return quarantine


@transaction.atomic
def check_in(*, actor, quarantine):
    """The person arrived at the site and is in their room: the quarantine is under way."""
    quarantine = locked_quarantine(quarantine)
    if not actor.has_perm(CHANGE, quarantine):
        raise refused()
    if quarantine.status != Quarantine.Status.WAITING:
        raise ValidationError(_("This person has already been checked in."))
    if quarantine.room_id is None:
        raise ValidationError(_("Place the person in a room before checking them in."))
    quarantine.status, quarantine.checked_in_at = Quarantine.Status.ACTIVE, timezone.now()
    quarantine.save(update_fields=["status", "checked_in_at"])
    record(actor=actor, action="quarantine.check_in", target=quarantine, area=quarantine.area)
    return quarantine


# --------------------------------------------------------------------------------- tests


@transaction.atomic
def record_test(*, actor, test, result, sampled_on=None, client_uuid=None):
    """Record a scheduled test's result; sent again with the same `client_uuid`, the test
    already recorded is returned unchanged."""
    if client_uuid is not None:
        with system_scope():
            done = TestResult.objects.filter(client_uuid=client_uuid).first()
        if done is not None:
            if not actor.has_perm(RECORD_TEST, done):
                raise refused()
            return done
    with system_scope():
        test = TestResult.objects.select_for_update().select_related("quarantine").get(pk=test.pk)
    if not actor.has_perm(RECORD_TEST, test):
        raise refused()
    if result not in (TestResult.Result.NEGATIVE, TestResult.Result.POSITIVE):
        raise ValidationError({"result": _("Choose negative or positive.")})
    if test.result:
        raise ValidationError(_("This test's result has already been recorded."))
    sampled_on = dates.RECORDED_DAY.check(sampled_on or today(), field="sampled_on")
    test.result, test.sampled_on = result, sampled_on
    test.client_uuid, test.recorded_by, test.recorded_at = client_uuid, actor, timezone.now()
    test.save()
    record(
        actor=actor,
        action="quarantine.test",
        target=test.quarantine,
        area=test.area,
        day=test.day_number,
        result=result,
    )
    if result == TestResult.Result.POSITIVE:
        transaction.on_commit(lambda: tell_positive(test))
    return test


def tell_positive(test):
    from fangkong.quarantine.selectors import responsible_users

    quarantine = test.quarantine
    notify(
        responsible_users(quarantine),
        key=f"quarantine-positive:{test.pk}",
        message=_("%(name)s tested positive on day %(day)s of quarantine.")
        % {"name": quarantine.person.name, "day": test.day_number},
        link=reverse("quarantine", args=[quarantine.pk]),
    )


# ------------------------------------------------------------------------------- release


def release_refusal(quarantine, day):
    """Why the quarantine may not be released on `day`, or None."""
    if not quarantine.is_open:
        return _("This quarantine is not under way.")
    if day < quarantine.ends_on:
        return _("The quarantine period is not over: %(name)s may be released from %(day)s.") % {
            "name": quarantine.person.name,
            "day": quarantine.ends_on,
        }
    tests = list(quarantine.tests.all())
    if tests:
        last = max(tests, key=lambda t: t.day_number)
        if last.result != TestResult.Result.NEGATIVE:
            return _(
                "The last test (day %(day)s) is not recorded negative: release needs a negative last test."
            ) % {"day": last.day_number}
    return None


@transaction.atomic
def release(*, actor, quarantine):
    """Release a person whose period is over and whose last test was negative. From central
    quarantine, the rule's next stage starts in their home community, its monitoring plan
    given to their grid worker."""
    quarantine = locked_quarantine(quarantine)
    if not actor.has_perm(CHANGE, quarantine):
        raise refused()
    with system_scope():  # the quarantine's own tests
        problem = release_refusal(quarantine, today())
    if problem:
        raise ValidationError(problem)
    quarantine.status, quarantine.released_on = Quarantine.Status.RELEASED, today()
    quarantine.closed_by = actor
    quarantine.save(update_fields=["status", "released_on", "closed_by"])
    plans.end_plan(
        quarantine=quarantine, day=today() + datetime.timedelta(days=1), reason=_("Released")
    )
    if quarantine.room_id:
        vacate(quarantine.room)
    record(actor=actor, action="quarantine.release", target=quarantine, area=quarantine.area)
    return next_stage(actor=actor, quarantine=quarantine) or quarantine


def next_stage(*, actor, quarantine):
    """The stage after this one in the rule, started the day after this one's end (or today)."""
    stages = [kind for kind, _days in quarantine.rule.stages()]
    if quarantine.kind not in stages or stages[-1] == quarantine.kind:
        return None
    kind = stages[stages.index(quarantine.kind) + 1]
    follow = start_quarantine(
        actor=actor,
        person=quarantine.person,
        category=quarantine.category,
        source=Quarantine.Source.RELEASE,
        source_note=_("Released from %(kind)s") % {"kind": quarantine.get_kind_display()},
        kind=kind,
        starts_on=max(quarantine.ends_on + datetime.timedelta(days=1), today()),
        follows=quarantine,
    )
    record(
        actor=actor,
        action="quarantine.handed_home",
        target=follow,
        area=follow.area,
        previous=quarantine.pk,
    )
    return follow


@transaction.atomic
def end_quarantine(*, actor, quarantine, reason, check=True):
    """End a quarantine otherwise than by release (the person became a case, was taken to
    hospital, the contact was ruled out), saying why."""
    quarantine = locked_quarantine(quarantine)
    if check and not actor.has_perm(CHANGE, quarantine):
        raise refused()
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the quarantine ends.")})
    if not quarantine.is_open:
        raise ValidationError(_("This quarantine is not under way."))
    quarantine.status, quarantine.end_reason = Quarantine.Status.ENDED, reason
    quarantine.released_on, quarantine.closed_by = today(), actor
    quarantine.save(update_fields=["status", "end_reason", "released_on", "closed_by"])
    plans.end_plan(quarantine=quarantine, day=today(), reason=reason)
    if quarantine.room_id:
        vacate(quarantine.room)
    record(
        actor=actor, action="quarantine.end", target=quarantine, area=quarantine.area, reason=reason
    )
    return quarantine


def stricter(new, old):
    return STRICTNESS.get(new, -1) > STRICTNESS.get(old, -1)
