"""A family's own report of its event (红白喜事自主报备), from its community's public page with no
login (docs/gatherings.md), and what a worker then does with it.

The family gives its name, phone, the kind of event, the day, the place and how many are
expected: the report is stored as a gathering reported by the family (status reported), the
advice of the place's risk level is shown to the family at once and recorded as given (by
nobody: the page gave it), and the responsible workers are told. A worker calls the family
back and confirms the report (it is then a planned gathering like any other, followed up after
its day) or dismisses it (not a real event, or reported twice). Sent again with the same
`client_uuid`, a report answers the one it made."""

import time

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from fangkong.areas.models import Level, RoleKind, Worker
from fangkong.audit.services import record
from fangkong.gatherings.models import Gathering
from fangkong.gatherings.permissions import REGISTER_GATHERING
from fangkong.gatherings.services import (
    COMING_DAY,
    MOST_AT_A_GATHERING,
    PLACE_LEVELS,
    advise,
    check_headcount,
    once,
    refused,
)
from fangkong.monitoring.self_report import WINDOW_SECONDS
from fangkong.monitoring.self_report import _bump as count_post
from fangkong.notifications.services import notify
from fangkong.people.models import Resident
from fangkong.pii import clean_phone, lookup_digest
from fangkong.scope import system_scope

# Reports one client address may send in an hour: a family's one or two events, or a
# village's shared network, not a script (counted as the checkpoints' self-registration and
# the care pages count theirs: per process with the default local-memory cache).
POSTS_PER_ADDRESS_PER_HOUR = 10
NAME_LENGTH, PLACE_LENGTH, NOTE_LENGTH, REASON_LENGTH = 50, 200, 500, 200


def seconds_until_allowed(address, *, now=None):
    """Count one report from `address`; 0 when it may go on, else the seconds until the
    hour's window ends."""
    now = time.time() if now is None else now
    window = int(now // WINDOW_SECONDS)
    if count_post(f"family-event:{address or ''}", window) > POSTS_PER_ADDRESS_PER_HOUR:
        return max(1, int((window + 1) * WINDOW_SECONDS - now))
    return 0


def coming_day_refusal(value, today=None):
    """Why a family's day is refused ("" if it is not): a day gone by is said in so many
    words, a day more than a year ahead as the window of any gathering."""
    today = today or timezone.localdate()
    if value < today:
        return _("The day of the event has passed: give the day it will be held.")
    return COMING_DAY.refusal(value, today) or ""


def coming_day(value):
    """The form's validator of the day (the service checks it again)."""
    message = coming_day_refusal(value)
    if message:
        raise ValidationError(message, code="date_window")


def clean_text(value, most):
    return " ".join(str(value or "").split())[:most]


def household_by_phone(community, phone):
    """The household in `community` of the one resident with this phone, if exactly one
    household has it: the report then lies in that household's grid and goes to its
    responsible worker. Nothing of it is shown to the family (the page reveals no match)."""
    digest = lookup_digest(phone)
    if not digest:
        return None
    # A public page, no user: narrowed to the page's community and the phone the family gave.
    with system_scope():
        households = list(
            Resident.objects.within(community)
            .filter(phone_hash=digest, status=Resident.Status.ACTIVE)
            .exclude(household=None)
            .values_list("household_id", flat=True)
            .distinct()[:2]
        )
        if len(households) != 1:
            return None
        resident = (
            Resident.objects.filter(household_id=households[0])
            .select_related("household__area")
            .first()
        )
    return resident.household


def report_gathering(
    *,
    community,
    client_uuid,
    host,
    phone,
    kind,
    held_on,
    place,
    expected_headcount,
    grid=None,
    note="",
):
    """A family's report of its event in `community` (in `grid` of it, when the family chose
    one), waiting for a worker. Every field is checked at once, each refusal on its field;
    nothing is stored unless all are right."""
    if client_uuid is None:
        raise ValidationError(_("This form is incomplete: reload the page and send it again."))

    def make():
        errors = {}
        host_clean = clean_text(host, NAME_LENGTH)
        if not host_clean:
            errors["host"] = _("Enter the name of the family's host.")
        try:
            phone_clean = clean_phone(phone or "")
            if not phone_clean:
                errors["phone"] = _("Enter your phone number: the worker calls you back on it.")
        except ValidationError as error:
            phone_clean, errors["phone"] = "", error.messages
        if kind not in Gathering.Kind.values:
            errors["kind"] = _("Choose the kind of gathering.")
        if held_on is None:
            errors["held_on"] = _("Enter the day of the event.")
        elif message := coming_day_refusal(held_on):
            errors["held_on"] = message
        try:
            check_headcount(expected_headcount, "expected_headcount", MOST_AT_A_GATHERING)
        except ValidationError as error:
            errors.update(error.message_dict)
        place_clean = clean_text(place, PLACE_LENGTH)
        if not place_clean:
            errors["place"] = _("Enter where the event is held.")
        if grid is not None and (grid.level != Level.GRID or grid.parent_id != community.pk):
            errors["grid"] = _("Choose a grid of this community.")
        if errors:
            raise ValidationError(errors)
        household = household_by_phone(community, phone_clean)
        area = household.area if household is not None else (grid or community)
        gathering = Gathering(
            area=area,
            kind=kind,
            host=host_clean,
            household=household,
            held_on=held_on,
            place=place_clean,
            expected_headcount=expected_headcount,
            note=clean_text(note, NOTE_LENGTH),
            status=Gathering.Status.REPORTED,
            by_family=True,
            phone=phone_clean,
            client_uuid=client_uuid,
        )
        advise(gathering, None)
        gathering.full_clean(exclude=["area", "household", "advice_given_by", "registered_by"])
        gathering.save()
        record(
            actor=None,
            action="gatherings.reported",
            target=gathering,
            area=area,
            kind=kind,
            held_on=held_on.isoformat(),
            headcount=expected_headcount,
            advice=gathering.advice,
            level=gathering.advice_level,
        )
        tell_responsible(gathering)
        return gathering

    made = once(Gathering, client_uuid, make)
    if not made.by_family or not made.area_path.startswith(community.path):
        raise ValidationError(_("This form was already sent for another community."))
    return made


def community_of(area):
    return area.parent if area.level == Level.GRID else area


def responsible_users(gathering):
    """Who hears of a family's report: the worker responsible for its household (包片联户),
    else the grid workers of its grid, else the community workers of its community (a
    report placed in no grid: they place it); of those, the active workers with a login who
    may confirm it there."""
    # A public page, no user: narrowed to this gathering's household, grid and community.
    with system_scope():
        steps = []
        if gathering.household_id is not None:
            steps.append(
                Worker.objects.filter(household_assignments__household_id=gathering.household_id)
            )
        if gathering.area.level == Level.GRID:
            steps.append(
                Worker.objects.filter(
                    roles__kind=RoleKind.GRID_WORKER, roles__area=gathering.area_id
                )
            )
        steps.append(
            Worker.objects.filter(
                roles__kind=RoleKind.COMMUNITY_WORKER, roles__area=community_of(gathering.area)
            )
        )
        for workers in steps:
            workers = workers.filter(is_active=True, user__is_active=True).select_related("user")
            users = [
                w.user for w in workers.distinct() if w.user.has_perm(REGISTER_GATHERING, gathering)
            ]
            if users:
                return users
    return []


def tell_responsible(gathering):
    """Tell the responsible workers of a family's report (in the caller's transaction; the
    channels carry it once that commits), in the site's language whichever the family chose."""
    with translation.override(settings.LANGUAGE_CODE):
        message = _(
            "%(host)s reported a %(kind)s on %(day)s at %(place)s (%(n)d expected): call "
            "them back and confirm it."
        ) % {
            "host": gathering.host,
            "kind": gathering.get_kind_display(),
            "day": gathering.held_on.isoformat(),
            "place": gathering.place,
            "n": gathering.expected_headcount,
        }
    return notify(
        responsible_users(gathering),
        key=f"gathering-reported:{gathering.pk}",
        message=message,
        link=reverse("gathering_detail", args=[gathering.pk]),
    )


# ------------------------------------------------------------------------ the worker's side


def waiting(actor, gathering):
    """The family's report locked for a decision, if the actor may decide it; None when it was
    already decided the same way (a retried request)."""
    found = (
        Gathering.objects.visible_to(actor, REGISTER_GATHERING)
        .select_for_update()
        .filter(pk=gathering.pk)
        .select_related("area")
        .first()
    )
    if found is None:
        raise refused()
    if not found.by_family:
        raise ValidationError(_("This gathering was registered by a worker, not reported."))
    return found


@transaction.atomic
def confirm_report(*, actor, gathering, area=None):
    """Confirm a family's report after calling them back: it becomes a planned gathering
    (followed up after its day). `area`: a grid or the community of the report, to place it
    where it belongs. Confirming it again changes nothing."""
    found = waiting(actor, gathering)
    if found.status == Gathering.Status.PLANNED and found.confirmed_at:
        return found
    if found.status != Gathering.Status.REPORTED:
        raise ValidationError(_("This report has already been dealt with."))
    before = found.area
    if area is not None and area.pk != before.pk:
        community = community_of(before)
        if area.level not in PLACE_LEVELS or community_of(area).pk != community.pk:
            raise ValidationError({"area": _("Choose a grid of the report's community.")})
        if not actor.has_perm(REGISTER_GATHERING, area):
            raise refused()
        if found.household_id is not None and not found.household.area_path.startswith(area.path):
            raise ValidationError({"area": _("The household does not live in this area.")})
        found.area = area
    found.status = Gathering.Status.PLANNED
    found.confirmed_at, found.confirmed_by = timezone.now(), actor
    found.save(update_fields=["area", "area_path", "status", "confirmed_at", "confirmed_by"])
    record(
        actor=actor,
        action="gatherings.confirm",
        target=found,
        area=found.area,
        moved_from=before.code if before.pk != found.area_id else "",
    )
    return found


@transaction.atomic
def dismiss_report(*, actor, gathering, reason):
    """Dismiss a family's report that is no real event (a test, a joke, reported twice), with
    the reason. Dismissing it again changes nothing."""
    found = waiting(actor, gathering)
    if found.status == Gathering.Status.DISMISSED:
        return found
    if found.status != Gathering.Status.REPORTED:
        raise ValidationError(_("This report has already been dealt with."))
    reason = clean_text(reason, REASON_LENGTH)
    if not reason:
        raise ValidationError({"reason": _("Say why the report is dismissed.")})
    found.status, found.dismissal = Gathering.Status.DISMISSED, reason
    found.confirmed_at, found.confirmed_by = timezone.now(), actor
    found.save(update_fields=["status", "dismissal", "confirmed_at", "confirmed_by"])
    record(actor=actor, action="gatherings.dismiss", target=found, area=found.area, reason=reason)
    return found
