"""Self-registration (自助登记) at a checkpoint: its poster's signed link, the public form's
rate limit, and the services that register, confirm and reject.

A visitor scans the poster (场所码) with their own phone and registers without a login; the
registration waits as pending until the checkpoint's staff confirm it, taking the temperature
and the health code as at the gate (it then becomes a passage through `record_passage`, with
its gate alerts), or reject it. A pending registration older than `PENDING_FOR` is no longer
shown nor confirmed: the visitor registers again at the gate."""

import datetime
import uuid

from django.core import signing
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from fangkong.audit.services import record
from fangkong.checkpoints import services
from fangkong.checkpoints.models import Checkpoint, HealthCode, Passage
from fangkong.checkpoints.permissions import CONFIRM, VIEW_REGISTRATIONS
from fangkong.checkpoints.registrations import Registration
from fangkong.monitoring.self_report import _bump as count_post
from fangkong.pii import lookup_digest
from fangkong.scope import for_uniqueness, system_scope

SALT = "fangkong.checkpoints.self-registration"
PENDING_FOR = datetime.timedelta(hours=2)
# Posts one client address may make in an hour: a family registering one by one, or a
# village's shared network, not a script (counted as the self-report page counts, per process
# with the default local-memory cache).
POSTS_PER_ADDRESS_PER_HOUR = 20
WINDOW_SECONDS = 3600


def poster_token(checkpoint):
    return signing.dumps(checkpoint.pk, salt=SALT, compress=True)


def register_url(checkpoint):
    return reverse("checkpoint_register", args=[poster_token(checkpoint)])


def open_poster(token):
    """The checkpoint in use a poster's link names, or None for a forged or altered link."""
    try:
        pk = signing.loads(token, salt=SALT)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    if not isinstance(pk, int):
        return None
    # Public page, no user: the signature is what grants this one checkpoint.
    with system_scope():
        return Checkpoint.objects.filter(pk=pk, is_active=True).select_related("area").first()


def seconds_until_allowed(address, *, now=None):
    """Count one post from `address`; 0 when it may go on, else the seconds until the hour's
    window ends."""
    now = timezone.now().timestamp() if now is None else now
    window = int(now // WINDOW_SECONDS)
    if count_post(f"registration:{address or ''}", window) > POSTS_PER_ADDRESS_PER_HOUR:
        return max(1, int((window + 1) * WINDOW_SECONDS - now))
    return 0


# ----------------------------------------------------------------------------------- reads


def pending(user, checkpoint=None):
    """The registrations still waiting (not older than PENDING_FOR) the user may confirm."""
    rows = Registration.objects.visible_to(user, VIEW_REGISTRATIONS).filter(
        status=Registration.Status.PENDING, submitted_at__gte=timezone.now() - PENDING_FOR
    )
    if checkpoint is not None:
        rows = rows.filter(checkpoint=checkpoint)
    return rows.select_related("checkpoint").order_by("submitted_at", "pk")


# ---------------------------------------------------------------------------------- writes


def register(*, checkpoint, client_uuid, name, id_number, phone, reason, direction, household=""):
    """A visitor's own registration, pending. Idempotent by `client_uuid`: the same form sent
    again answers the registration already made (`created` False)."""
    earlier = for_uniqueness(Registration).filter(client_uuid=client_uuid).first()
    if earlier is not None:
        if earlier.checkpoint_id != checkpoint.pk:
            raise ValidationError(_("This form was already sent at another checkpoint."))
        earlier.created = False
        return earlier
    visitor = services.clean_visitor(
        checkpoint, {"name": name, "id_number": id_number, "phone": phone, "reason": reason}
    )
    if not visitor["visitor_phone"]:
        raise ValidationError({"phone": _("Enter your phone number.")})
    if not visitor["reason"]:
        raise ValidationError({"reason": _("Say why you come.")})
    if direction not in Passage.Direction.values:
        raise ValidationError({"direction": _("Choose in or out.")})
    registration = Registration(
        client_uuid=client_uuid,
        checkpoint=checkpoint,
        area=checkpoint.area,
        name=visitor["visitor_name"],
        id_number=visitor["visitor_id_number"],
        id_hash=lookup_digest(visitor["visitor_id_number"]),
        phone=visitor["visitor_phone"],
        reason=visitor["reason"][:200],
        direction=direction,
        household_text=" ".join(str(household or "").split())[:50],
    )
    try:
        with transaction.atomic():
            registration.save()
    except IntegrityError:  # the same form sent twice at the same moment
        return register(
            checkpoint=checkpoint,
            client_uuid=client_uuid,
            name=name,
            id_number=id_number,
            phone=phone,
            reason=reason,
            direction=direction,
            household=household,
        )
    registration.created = True
    return registration


def _waiting(actor, registration):
    """The registration locked for a decision, if the actor may decide it and it still waits."""
    found = (
        Registration.objects.visible_to(actor, CONFIRM)
        .select_for_update()
        .filter(pk=registration.pk)
        .first()
    )
    if found is None:
        raise services.refused()
    if found.status != Registration.Status.PENDING:
        raise ValidationError(_("This registration has already been dealt with."))
    if found.submitted_at < timezone.now() - PENDING_FOR:
        raise ValidationError(
            _("This registration is more than 2 hours old: register the visitor at the gate.")
        )
    return found


def passage_uuid(registration):
    """The passage's identifier, made from the registration's: a confirmation sent twice
    records one passage, and the visitor's form cannot choose it."""
    return uuid.uuid5(uuid.NAMESPACE_URL, f"fangkong:registration:{registration.pk}")


@transaction.atomic
def confirm(*, actor, registration, temperature, health_code=HealthCode.GREEN):
    """Confirm a visitor's registration at the gate: it becomes their passage (its gate
    alerts raised as for any passage)."""
    registration = _waiting(actor, registration)
    with system_scope():
        checkpoint = Checkpoint.objects.select_related("area").get(pk=registration.checkpoint_id)
    reason = registration.reason
    if registration.household_text:
        reason = f"{reason}（{registration.household_text}）"
    passage = services.record_passage(
        actor=actor,
        checkpoint=checkpoint,
        direction=registration.direction,
        temperature=temperature,
        health_code=health_code,
        client_uuid=passage_uuid(registration),
        visitor={
            "name": registration.name,
            "id_number": registration.id_number,
            "phone": registration.phone,
            "reason": reason,
        },
    )
    decide(
        actor,
        registration,
        Registration.Status.CONFIRMED,
        "checkpoints.registration_confirmed",
        passage=passage,
    )
    return passage


@transaction.atomic
def reject(*, actor, registration):
    """Turn a visitor's registration down (not let in, or not the person)."""
    registration = _waiting(actor, registration)
    decide(actor, registration, Registration.Status.REJECTED, "checkpoints.registration_rejected")
    return registration


def decide(actor, registration, status, action, passage=None):
    registration.status, registration.passage = status, passage
    registration.decided_at, registration.decided_by = timezone.now(), actor
    registration.save(update_fields=["status", "passage", "decided_at", "decided_by"])
    record(
        actor=actor,
        action=action,
        target=registration,
        area=registration.area,
    )
