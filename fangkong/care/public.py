"""What the public pages rest on: a community's page (by its code, no login) and a
household's personal link (signed), the household a form names, and the rate limit, counted
as checkpoints' self-registration and monitoring's self-report count theirs (one cache
counter per client address and hour)."""

import time

from django.core import signing
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext as _

from fangkong.areas.models import Area, Building, Level
from fangkong.care.models import ServiceRequest
from fangkong.monitoring.self_report import WINDOW_SECONDS
from fangkong.monitoring.self_report import _bump as count_post
from fangkong.people.models import Household, Resident
from fangkong.scope import system_scope

SALT = "fangkong.care.household-link"
STATUS_SALT = "fangkong.care.request-status"
# Posts one client address may make in an hour: a family's requests and reports, or a
# village's shared network, not a script.
POSTS_PER_ADDRESS_PER_HOUR = 20


def seconds_until_allowed(address, *, now=None):
    """Count one post from `address`; 0 when it may go on, else the seconds until the hour's
    window ends."""
    now = time.time() if now is None else now
    window = int(now // WINDOW_SECONDS)
    if count_post(f"care:{address or ''}", window) > POSTS_PER_ADDRESS_PER_HOUR:
        return max(1, int((window + 1) * WINDOW_SECONDS - now))
    return 0


def community(code):
    """The community of a public page, or None."""
    with system_scope():  # a public page names its community by code
        return Area.objects.filter(code=code, level=Level.COMMUNITY).first()


def buildings(community):
    with system_scope():  # the community's own buildings, the form's choices
        return list(
            Building.objects.within(community).select_related("area").order_by("area_path", "name")
        )


def household_in(community, building_id, number):
    """The household a public form names, which must lie in the page's community."""
    number = " ".join(str(number or "").split())
    with system_scope():  # narrowed to the building and number the form gave
        building = (
            Building.objects.filter(pk=building_id).first() if str(building_id).isdigit() else None
        )
        if building is None:
            raise ValidationError({"building": _("Choose your building.")})
        if not building.area_path.startswith(community.path):
            raise ValidationError(
                {
                    "building": _(
                        "This household is not in this community: use your own community's page."
                    )
                }
            )
        household = (
            Household.objects.filter(building=building, number=number)
            .select_related("area")
            .first()
        )
    if household is None:
        raise ValidationError(
            {
                "number": _(
                    "No household with this number in this building: check it, or call your community."
                )
            }
        )
    return household


def household_token(household):
    return signing.dumps(household.pk, salt=SALT, compress=True)


def household_url(household):
    return reverse("care_household_page", args=[household_token(household)])


def open_household(token):
    try:
        pk = signing.loads(token, salt=SALT)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    if not isinstance(pk, int):
        return None
    with system_scope():  # the signature grants this one household
        return Household.objects.select_related("building", "area").filter(pk=pk).first()


def members(household):
    with system_scope():  # the household's own members, to pick who needs the service
        return list(
            Resident.objects.filter(household=household, status=Resident.Status.ACTIVE).order_by(
                "id"
            )
        )


def status_token(service):
    return signing.dumps(service.pk, salt=STATUS_SALT, compress=True)


def status_url(service):
    return reverse("care_request_status", args=[status_token(service)])


def open_status(token):
    try:
        pk = signing.loads(token, salt=STATUS_SALT)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    if not isinstance(pk, int):
        return None
    with system_scope():  # the signature grants this one request
        return (
            ServiceRequest.objects.select_related("provider", "household__building")
            .filter(pk=pk)
            .first()
        )
