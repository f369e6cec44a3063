"""Passes (出入证): issuing them in bulk and one by one, revoking, the signed code of their
QR, and their use at the gate (the quota of exits, the return, the overdue return).

The code is compact and signed (HMAC-SHA256 over the pass id, household, holder, validity and
quota, with `FANGKONG_PASS_SECRET` or a key derived from SECRET_KEY), so a gate holding the
key tells a forged or altered pass without asking the server; the server also refuses a
revoked one at once."""

import base64
import datetime
import hmac

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import formats, timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from fangkong.areas.models import Building
from fangkong.audit.services import record
from fangkong.checkpoints import selectors
from fangkong.checkpoints.models import GateAlert, Passage
from fangkong.checkpoints.passes import Pass, PassExit
from fangkong.checkpoints.permissions import ISSUE_PASSES, REVOKE_PASS
from fangkong.people.models import Household, Resident
from fangkong.scope import system_scope

PREFIX = "FKP1"
LONGEST = datetime.timedelta(days=90)


def refused():
    return PermissionDenied(_("You may not do this here."))


# ------------------------------------------------------------------------------ the code


def _signature(payload):
    secret = getattr(settings, "FANGKONG_PASS_SECRET", None) or None
    digest = salted_hmac("fangkong.checkpoints.pass", payload, secret=secret, algorithm="sha256")
    return base64.urlsafe_b64encode(digest.digest()[:12]).decode()


def _fields(pass_):
    quota = (
        f"{pass_.exits}-{pass_.per_days}-{pass_.return_minutes or 0}" if pass_.has_quota else "0"
    )
    return [
        PREFIX,
        str(pass_.pk),
        f"H{pass_.household_id}" if pass_.household_id else f"R{pass_.resident_id}",
        f"{pass_.valid_from:%Y%m%d}",
        f"{pass_.valid_until:%Y%m%d}",
        quota,
    ]


def code_of(pass_):
    """The text of the pass's QR: `FKP1.<id>.<H household|R resident>.<from>.<until>.<quota>.
    <signature>`, quota `exits-days-minutes` or 0."""
    payload = ".".join(_fields(pass_))
    return f"{payload}.{_signature(payload)}"


def forged():
    return ValidationError({"code": _("This pass is not valid (forged or altered): refuse it.")})


def read_code(code, today=None):
    """The fields of a signed pass code, checked without the database: the signature and the
    validity on `today`. Raises a ValidationError in Chinese for a forged or expired code."""
    parts = "".join(str(code or "").split()).split(".")
    if len(parts) != 7 or parts[0] != PREFIX:
        raise forged()
    payload, signature = ".".join(parts[:6]), parts[6]
    if not hmac.compare_digest(_signature(payload), signature):
        raise forged()
    try:
        valid_from = datetime.datetime.strptime(parts[3], "%Y%m%d").date()
        valid_until = datetime.datetime.strptime(parts[4], "%Y%m%d").date()
        pk = int(parts[1])
    except ValueError:
        raise forged() from None
    today = today or timezone.localdate()
    if today > valid_until:
        raise ValidationError(
            {
                "code": _("This pass expired on %(date)s.")
                % {"date": formats.date_format(valid_until)}
            }
        )
    if today < valid_from:
        raise ValidationError(
            {
                "code": _("This pass is valid only from %(date)s.")
                % {"date": formats.date_format(valid_from)}
            }
        )
    return {"pk": pk, "holder": parts[2], "valid_from": valid_from, "valid_until": valid_until}


def pass_for_code(checkpoint, code, today=None):
    """The pass of a code shown at this checkpoint: signed, valid today, not revoked, and of a
    household (or holder) this checkpoint serves."""
    fields = read_code(code, today)
    with system_scope():  # the staff verify any pass shown at their gate
        pass_ = (
            Pass.objects.filter(pk=fields["pk"])
            .select_related("household__building", "resident")
            .first()
        )
    if pass_ is None or code_of(pass_) != "".join(str(code).split()):
        raise forged()
    if pass_.revoked_at:
        raise ValidationError({"code": _("This pass has been revoked: refuse it.")})
    served = selectors.community_of(checkpoint)
    if not pass_.area_path.startswith(served.path) or (
        checkpoint.building_id
        and pass_.household_id
        and pass_.household.building_id != checkpoint.building_id
    ):
        raise ValidationError({"code": _("This pass is not for this checkpoint.")})
    return pass_


def holder_label(pass_):
    if pass_.household_id:
        return selectors.household_label(pass_.household)
    return pass_.resident.name if pass_.resident_id else ""


def members(pass_):
    """The people who may go out with the pass: its household's active residents, or its
    holder."""
    with system_scope():  # names only, for the staff's choice at the gate (see `lookup`)
        people = Resident.objects.filter(status=Resident.Status.ACTIVE)
        if pass_.household_id:
            return list(people.filter(household=pass_.household_id).order_by("name"))
        return list(people.filter(pk=pass_.resident_id))


def latest_exits(pass_, limit=20):
    """The last exits made with a pass, for whoever may see the pass."""
    with system_scope():  # the pass's own exits, wherever its gate lies
        exits = PassExit.objects.filter(pass_record=pass_).select_related(
            "exit_passage__checkpoint"
        )
        return list(exits[:limit])


# ------------------------------------------------------------------------------- issuing


def clean_validity(valid_from, valid_until):
    if not valid_from or not valid_until or valid_until < valid_from:
        raise ValidationError({"valid_until": _("The pass must end on or after its first day.")})
    if valid_until - valid_from > LONGEST:
        raise ValidationError({"valid_until": _("A pass is valid for at most 90 days.")})
    if valid_until < timezone.localdate():
        raise ValidationError({"valid_until": _("This period is already over.")})


def closed_area_households(area, building=None):
    households = Household.objects.within(area)
    if building is not None:
        if building.kind == Building.Kind.BUILDING or not building.area_path.startswith(area.path):
            raise ValidationError({"building": _("Choose a compound of this community.")})
        households = households.filter(building=building)
    return households


@transaction.atomic
def issue_household_passes(
    *,
    actor,
    area,
    valid_from,
    valid_until,
    exits,
    per_days,
    return_minutes,
    building=None,
):
    """A household pass for every household of the community `area` (or of its compound
    `building`) that has none starting on `valid_from`; a retried issue adds none. Returns
    how many were issued."""
    if not actor.has_perm(ISSUE_PASSES, area):
        raise refused()
    clean_validity(valid_from, valid_until)
    clean_quota(exits, per_days, return_minutes)
    with system_scope():  # every household of the area the actor may issue passes in
        households = closed_area_households(area, building)
        having = Pass.objects.filter(
            kind=Pass.Kind.HOUSEHOLD, valid_from=valid_from, revoked_at__isnull=True
        ).values("household")
        rows = households.exclude(pk__in=having).values_list("pk", "area_id", "area_path")
        passes = [
            Pass(
                kind=Pass.Kind.HOUSEHOLD,
                household_id=pk,
                area_id=area_id,
                area_path=area_path,
                valid_from=valid_from,
                valid_until=valid_until,
                exits=exits,
                per_days=per_days,
                return_minutes=return_minutes,
                issued_by=actor,
            )
            for pk, area_id, area_path in rows.iterator(chunk_size=2000)
        ]
        # `bulk_create` skips `save()`, which sets area_path: it is copied from the household.
        Pass.objects.bulk_create(passes, batch_size=1000, ignore_conflicts=True)
    record(
        actor=actor,
        action="checkpoints.passes_issue",
        target=building or area,
        area=area,
        count=len(passes),
        valid_from=valid_from.isoformat(),
        valid_until=valid_until.isoformat(),
    )
    return len(passes)


def clean_quota(exits, per_days, return_minutes):
    if not (1 <= (exits or 0) <= 20 and 1 <= (per_days or 0) <= 30):
        raise ValidationError(_("Enter the quota: 1 to 20 exits in 1 to 30 days."))
    if not 10 <= (return_minutes or 0) <= 24 * 60:
        raise ValidationError({"return_minutes": _("Enter a return time of 10 to 1440 minutes.")})


@transaction.atomic
def revoke_pass(*, actor, pass_):
    """Revoke a pass: the gate refuses it from now on."""
    found = Pass.objects.visible_to(actor, REVOKE_PASS).select_for_update().filter(pk=pass_.pk)
    pass_ = found.first()
    if pass_ is None:
        raise refused()
    if pass_.revoked_at:
        return pass_
    pass_.revoked_at, pass_.revoked_by = timezone.now(), actor
    pass_.save(update_fields=["revoked_at", "revoked_by"])
    record(actor=actor, action="checkpoints.pass_revoke", target=pass_, area=pass_.area)
    return pass_


# ------------------------------------------------------------------------------ at the gate


def check_pass(checkpoint, code, *, resident, direction, at):
    """The pass a passage is made with, refused (ValidationError in Chinese) if forged,
    expired, revoked, not the person's, or an exit beyond its household's quota."""
    pass_ = pass_for_code(checkpoint, code, timezone.localdate(at))
    if resident is None or resident not in members(pass_):
        raise ValidationError({"code": _("This pass is not this person's.")})
    if direction == Passage.Direction.OUT and pass_.has_quota:
        with system_scope():  # the household's exits, whichever gate recorded them
            # A household's passes share its quota; a work pass has its own.
            same = (
                {"pass_record__household": pass_.household_id}
                if pass_.kind == Pass.Kind.HOUSEHOLD
                else {"pass_record": pass_.pk}
            )
            made = list(
                PassExit.objects.filter(
                    **same,
                    pass_record__kind=pass_.kind,
                    out_at__gt=at - datetime.timedelta(days=pass_.per_days),
                    out_at__lte=at,
                )
                .order_by("out_at")
                .values_list("out_at", flat=True)
            )
        if len(made) >= pass_.exits:
            times = "、".join(
                formats.date_format(timezone.localtime(t), "SHORT_DATETIME_FORMAT") for t in made
            )
            if pass_.kind == Pass.Kind.WORK:
                raise ValidationError(
                    {
                        "code": ngettext(
                            "This work pass allows %(exits)d exit in %(days)d days; "
                            "already out at %(times)s.",
                            "This work pass allows %(exits)d exits in %(days)d days; "
                            "already out at %(times)s.",
                            pass_.exits,
                        )
                        % {"exits": pass_.exits, "days": pass_.per_days, "times": times}
                    }
                )
            raise ValidationError(
                {
                    "code": ngettext(
                        "This household's pass allows %(exits)d exit in %(days)d days; "
                        "already out at %(times)s.",
                        "This household's pass allows %(exits)d exits in %(days)d days; "
                        "already out at %(times)s.",
                        pass_.exits,
                    )
                    % {"exits": pass_.exits, "days": pass_.per_days, "times": times}
                }
            )
    return pass_


def use_pass(pass_, passage):
    """An exit with a pass opens a `PassExit`. A resident's return closes their open exit,
    whether the staff took the pass again or found them by name (`pass_` None); with a pass
    and no exit of that person, the pass's oldest open exit."""
    if passage.direction == Passage.Direction.OUT:
        if pass_ is None:
            return None
        minutes = pass_.return_minutes
        return PassExit.objects.create(
            pass_record=pass_,
            exit_passage=passage,
            area=pass_.area,
            out_at=passage.recorded_at,
            due_back=passage.recorded_at + datetime.timedelta(minutes=minutes) if minutes else None,
        )
    if pass_ is None and not passage.resident_id:
        return None
    with system_scope():  # the person's exits, whichever gate recorded them
        open_exits = PassExit.objects.filter(
            returned_at__isnull=True, out_at__lte=passage.recorded_at
        ).order_by("out_at")
        if pass_ is not None:
            open_exits = open_exits.filter(pass_record=pass_)
        exit_ = (
            open_exits.filter(exit_passage__resident=passage.resident_id)
            .select_for_update()
            .first()
        )
        if exit_ is None and pass_ is not None:
            exit_ = open_exits.select_for_update().first()
    if exit_ is not None:
        exit_.return_passage, exit_.returned_at = passage, passage.recorded_at
        exit_.save(update_fields=["return_passage", "returned_at"])
    return exit_


def raise_overdue(now=None):
    """A gate alert (`overdue_return`) for each exit made with a pass and not back in time,
    once: the alert of the exit passage, added to if it has one. Returns how many."""
    from fangkong.checkpoints.services import tell_workers

    now = now or timezone.now()
    raised = 0
    with system_scope():  # a scheduled job acts for nobody: the exits of every area
        due = PassExit.objects.filter(
            returned_at__isnull=True, overdue_alerted_at__isnull=True, due_back__lt=now
        ).select_related("exit_passage__checkpoint")
        for exit_ in due:
            with transaction.atomic():
                passage = exit_.exit_passage
                alert = GateAlert.objects.filter(passage=passage).select_for_update().first()
                reason = GateAlert.Reason.OVERDUE_RETURN.value
                if alert is None:
                    alert = GateAlert.objects.create(
                        passage=passage, area=exit_.area, reasons=[reason]
                    )
                elif reason not in alert.reasons:
                    alert.reasons = [*alert.reasons, reason]
                    alert.closed_at, alert.disposition = None, ""
                    alert.save(update_fields=["reasons", "closed_at", "disposition"])
                exit_.overdue_alerted_at = now
                exit_.save(update_fields=["overdue_alerted_at"])
                checkpoint = passage.checkpoint
                transaction.on_commit(lambda a=alert, c=checkpoint: tell_workers(a, c))
                raised += 1
    return raised
