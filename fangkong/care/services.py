"""Writes of service requests: a request made (by the resident or a worker on their behalf),
dispatched to a provider who serves the area, started, done, confirmed and rated, or
cancelled; and the escalation of those past their deadline (`escalate_overdue`, one of
FANGKONG_REMINDERS). Each is one transaction with its audit row; notifications go out on
commit."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from fangkong.areas.models import Area, Level, RoleKind, Worker
from fangkong.audit.services import record
from fangkong.care.models import Channel, Provider, ServiceRequest, ServiceType, deadline_of
from fangkong.care.permissions import ADD, CHANGE, DELIVER, VIEW
from fangkong.care.selectors import ancestor_paths, responsible_users, serves
from fangkong.notifications.services import notify
from fangkong.people.models import Resident
from fangkong.pii import clean_phone
from fangkong.scope import for_uniqueness, system_scope


def refused():
    return PermissionDenied(_("You may not do this here."))


def clean_text(value, limit):
    return " ".join(str(value or "").split())[:limit]


# ----------------------------------------------------------------------------- requests


def request_service(
    *,
    actor,
    household,
    service_type,
    details,
    channel,
    client_uuid,
    resident=None,
    contact_name="",
    contact_phone="",
):
    """A household's request. `actor` None: the resident on their own page (the caller has
    checked the page's community or link). Idempotent by `client_uuid`: the same form sent
    again answers the request already made (`created` False)."""
    earlier = for_uniqueness(ServiceRequest).filter(client_uuid=client_uuid).first()
    if earlier is not None:
        if earlier.household_id != household.pk:
            raise ValidationError(_("This form was already sent for another household."))
        earlier.created = False
        return earlier
    if actor is not None and not actor.has_perm(ADD, household):
        raise refused()
    if actor is None:
        channel = Channel.ONLINE
    errors = {}
    if service_type not in ServiceType.values:
        errors["service_type"] = _("Choose a service.")
    details = clean_text(details, 500)
    if not details:
        errors["details"] = _("Say what is needed.")
    if channel not in Channel.values:
        errors["channel"] = _("Choose how the request came in.")
    phone = ""
    try:
        phone = clean_phone(contact_phone or "")
    except ValidationError as error:
        errors["contact_phone"] = error.messages
    if resident is not None and resident.household_id != household.pk:
        errors["resident"] = _("This person does not live in this household.")
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    service = ServiceRequest(
        client_uuid=client_uuid,
        household=household,
        resident=resident,
        service_type=service_type,
        details=details,
        contact_name=clean_text(contact_name, 50),
        contact_phone=phone,
        channel=channel,
        created_by=actor if actor is not None else None,
        due_at=now + deadline_of(service_type) if service_type in ServiceType.values else now,
    )
    service.area = household.area
    try:
        with transaction.atomic():
            service.save()
            record(
                actor=actor,
                action="care.request",
                target=service,
                area=service.area,
                service_type=service_type,
                channel=channel,
            )
            notify(
                responsible_users(household, VIEW),
                key=f"care-request:{service.pk}",
                message=_("New service request (%(type)s) from %(household)s: %(details)s")
                % {
                    "type": service.get_service_type_display(),
                    "household": household,
                    "details": details[:60],
                },
                link=reverse("care_request", args=[service.pk]),
            )
    except IntegrityError:  # the same form sent twice at the same moment
        earlier = for_uniqueness(ServiceRequest).get(client_uuid=client_uuid)
        earlier.created = False
        return earlier
    service.created = True
    return service


def locked(actor, service, perm):
    """The request locked for a change, if the actor may make it (else 404-like refusal)."""
    found = (
        ServiceRequest.objects.visible_to(actor, perm)
        .select_for_update()
        .filter(pk=service.pk)
        .first()
    )
    if found is None:
        raise refused()
    return found


def locked_for_delivery(actor, service):
    """The request locked for its provider's worker, or for a worker who may change it."""
    if actor.has_perm(CHANGE, service):
        return locked(actor, service, CHANGE)
    found = (
        ServiceRequest.objects.visible_to(actor, DELIVER)
        .select_for_update()
        .filter(pk=service.pk, provider__worker__user=actor)
        .first()
    )
    if found is None:
        raise refused()
    return found


@transaction.atomic
def dispatch(*, actor, service_request, provider):
    """Give the request to a provider who takes its type and serves its area (a new request,
    or one dispatched before and not yet started: re-dispatching is a change of provider)."""
    service = locked(actor, service_request, CHANGE)
    if service.status not in (ServiceRequest.Status.NEW, ServiceRequest.Status.DISPATCHED):
        raise ValidationError(_("Only a new or dispatched request can be dispatched."))
    if provider is None or not provider.is_active:
        raise ValidationError({"provider": _("Choose a provider in use.")})
    if not provider.takes(service.service_type):
        raise ValidationError({"provider": _("This provider does not offer this service.")})
    if not serves(provider, service.area_path):
        raise ValidationError({"provider": _("This provider does not serve this area.")})
    previous = service.provider_id
    service.provider, service.status = provider, ServiceRequest.Status.DISPATCHED
    service.dispatched_at = timezone.now()
    service.save(update_fields=["provider", "status", "dispatched_at"])
    record(
        actor=actor,
        action="care.dispatch",
        target=service,
        area=service.area,
        provider=provider.name,
        previous=previous,
    )
    user = provider_user(provider)
    if user is not None:
        notify(
            [user],
            key=f"care-dispatch:{service.pk}:{provider.pk}:{service.dispatched_at.timestamp()}",
            message=_(
                "A service request was given to you (%(type)s, %(household)s), due by %(due)s."
            )
            % {
                "type": service.get_service_type_display(),
                "household": service.household,
                "due": timezone.localtime(service.due_at).strftime("%m-%d %H:%M"),
            },
            link=reverse("care_request", args=[service.pk]),
        )
    return service


def provider_user(provider):
    if provider.worker_id is None:
        return None
    with system_scope():  # the provider's own worker, to tell them
        worker = Worker.objects.select_related("user").filter(pk=provider.worker_id).first()
    if worker is None or not worker.is_active or worker.user is None or not worker.user.is_active:
        return None
    return worker.user


@transaction.atomic
def start(*, actor, service_request):
    """The provider has started (on the way, buying, at the door)."""
    service = locked_for_delivery(actor, service_request)
    if service.status != ServiceRequest.Status.DISPATCHED:
        raise ValidationError(_("Only a dispatched request can be started."))
    service.status, service.started_at = ServiceRequest.Status.IN_PROGRESS, timezone.now()
    service.save(update_fields=["status", "started_at"])
    record(actor=actor, action="care.start", target=service, area=service.area)
    return service


@transaction.atomic
def complete(*, actor, service_request, delivered):
    """Delivered: what was brought or done. The resident then confirms."""
    service = locked_for_delivery(actor, service_request)
    if service.status not in (ServiceRequest.Status.DISPATCHED, ServiceRequest.Status.IN_PROGRESS):
        raise ValidationError(_("Only a dispatched or started request can be marked done."))
    delivered = clean_text(delivered, 500)
    if not delivered:
        raise ValidationError({"delivered": _("Say what was delivered or done.")})
    now = timezone.now()
    service.status, service.done_at, service.delivered = ServiceRequest.Status.DONE, now, delivered
    service.started_at = service.started_at or now
    service.save(update_fields=["status", "done_at", "delivered", "started_at"])
    record(actor=actor, action="care.done", target=service, area=service.area, delivered=delivered)
    return service


@transaction.atomic
def confirm(*, actor, service_request, rating=None, comment=""):
    """The resident confirms it was done and may rate it (1–5): `actor` None on their own
    page (the caller has checked the link), or a worker on their behalf."""
    if actor is None:
        with system_scope():  # the request the resident's signed link names
            service = ServiceRequest.objects.select_for_update().get(pk=service_request.pk)
    else:
        service = locked(actor, service_request, CHANGE)
    if service.status != ServiceRequest.Status.DONE:
        raise ValidationError(_("Only a request marked done can be confirmed."))
    if service.confirmed_at is not None:
        raise ValidationError(_("This request has already been confirmed."))
    if rating in ("", None):
        rating = None
    else:
        try:
            rating = int(rating)
        except (TypeError, ValueError):
            rating = 0
        if not 1 <= rating <= 5:
            raise ValidationError({"rating": _("Rate from 1 to 5 stars.")})
    service.confirmed_at, service.confirmed_by = timezone.now(), actor
    service.rating, service.comment = rating, clean_text(comment, 200)
    service.save(update_fields=["confirmed_at", "confirmed_by", "rating", "comment"])
    record(
        actor=actor,
        action="care.confirm",
        target=service,
        area=service.area,
        rating=rating,
        on_behalf=actor is not None,
    )
    return service


@transaction.atomic
def cancel(*, actor, service_request, reason):
    service = locked(actor, service_request, CHANGE)
    if not service.is_open:
        raise ValidationError(_("Only an open request can be cancelled."))
    reason = clean_text(reason, 200)
    if not reason:
        raise ValidationError({"reason": _("Say why the request is cancelled.")})
    service.status, service.cancelled_reason = ServiceRequest.Status.CANCELLED, reason
    service.save(update_fields=["status", "cancelled_reason"])
    record(actor=actor, action="care.cancel", target=service, area=service.area, reason=reason)
    return service


def resident_of(household, resident_id):
    """A member of the household by id (a form's choice), or None."""
    if not resident_id:
        return None
    with system_scope():  # narrowed to the household the caller holds
        return Resident.objects.filter(pk=resident_id, household_id=household.pk).first()


# --------------------------------------------------------------------------- escalation

# Who hears of a request past its deadline, level by level: after one missed period the
# community's workers, after two the township's supervisors, after three the county's.
ESCALATION = [
    (Level.COMMUNITY, RoleKind.COMMUNITY_WORKER),
    (Level.TOWNSHIP, RoleKind.SUPERVISOR),
    (Level.COUNTY, RoleKind.SUPERVISOR),
]


def escalation_due(service, now):
    """How many levels should have heard of the request by `now` (0 while on time)."""
    if not service.is_open or service.due_at >= now:
        return 0
    period = deadline_of(service.service_type)
    missed = 1 + int((now - service.due_at) / period)
    return min(missed, len(ESCALATION))


def escalate_overdue(now):
    """Tell the next level's supervisors of each open request past its deadline, once per
    level (a reminder of FANGKONG_REMINDERS); returns how many were told."""
    told = 0
    with system_scope():  # a scheduled job: every open request past its deadline
        late = list(
            ServiceRequest.objects.filter(status__in=ServiceRequest.OPEN, due_at__lt=now)
            .select_related("household__building")
            .order_by("due_at")[:5000]
        )
        for service in late:
            due = escalation_due(service, now)
            for step in range(service.escalation + 1, due + 1):
                told += tell_level(service, step)
            if due > service.escalation:
                ServiceRequest.objects.filter(pk=service.pk).update(escalation=due)
    return told


def tell_level(service, step):
    level, kind = ESCALATION[step - 1]
    paths = [p for p in ancestor_paths(service.area_path)]
    area = Area.objects.filter(path__in=paths, level=level).first()
    if area is None:
        return 0
    workers = Worker.objects.filter(
        roles__area=area, roles__kind=kind, is_active=True, user__is_active=True
    ).select_related("user")
    users = [w.user for w in workers.distinct()]
    hours = int(deadline_of(service.service_type).total_seconds() // 3600)
    return notify(
        users,
        key=f"care-escalate:{service.pk}:{step}",
        message=_(
            "A service request (%(type)s, %(household)s) is past its deadline of %(hours)s "
            "hours and not done: please follow it up."
        )
        % {
            "type": service.get_service_type_display(),
            "household": service.household,
            "hours": hours,
        },
        link=reverse("care_request", args=[service.pk]),
    )


def provider_choices(service):
    """The providers in use who take the request's type and serve its area, wherever they are
    registered (a county's transport company serves its communities)."""
    paths = ancestor_paths(service.area_path)
    with system_scope():  # narrowed to the providers serving this request's area
        found = (
            Provider.objects.filter(is_active=True, service_areas__path__in=paths)
            .distinct()
            .order_by("name")
        )
        return [p for p in found if p.takes(service.service_type)]
