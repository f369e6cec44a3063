"""Self-report (自主申报): a signed link per plan, no login; renewing the plan's key revokes it.
Each report is told to the person's responsible workers (`tell_responsible`)."""

import time
import uuid as uuidlib
from dataclasses import dataclass
from decimal import Decimal

from axes.helpers import get_client_ip_address
from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import translation
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from fangkong.areas.models import RoleKind, Worker
from fangkong.monitoring.models import HealthCheck, MonitoringPlan
from fangkong.notifications.services import notify
from fangkong.scope import system_scope

SALT = "fangkong.monitoring.self-report"
VIEW_PLAN = "monitoring.view_monitoringplan"


def report_token(plan):
    return signing.dumps([plan.pk, plan.report_key], salt=SALT, compress=True)


def report_url(plan):
    return reverse("self_report", args=[report_token(plan)])


@dataclass
class Link:
    """What a valid link opens: its one plan, and that plan's checks."""

    plan: MonitoringPlan
    checks: QuerySet


def open_link(token, *, lock=False):
    """What a link opens, or None for a forged, altered or revoked link; `lock` locks the
    plan for a transaction that records a check."""
    try:
        pk, key = signing.loads(token, salt=SALT)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    # The link is public and there is no user whose scope could apply: its signature, with
    # the plan's current key, is what grants this one plan. Both queries are narrowed to that
    # plan, so the system scope reveals nothing beyond what the link names.
    with system_scope():
        plans = MonitoringPlan.objects.select_related("resident", "category")
        if lock:
            plans = plans.select_for_update()
        plan = plans.filter(pk=pk, report_key=key).first()
        checks = HealthCheck.objects.filter(plan=plan)
    return Link(plan, checks) if plan is not None else None


# Posts one link, and one client address, may make in an hour; more are refused (429) and
# change nothing. A person reports once or twice a day; the address limit allows a household
# or a village's shared network, not a script. Counted in Django's default cache, which is
# per process with the default local-memory cache: each gunicorn worker then counts alone
# (at most limit x workers get through) until the installation configures a shared cache.
POSTS_PER_LINK_PER_HOUR = 10
POSTS_PER_ADDRESS_PER_HOUR = 100
WINDOW_SECONDS = 3600


def _bump(name, window):
    """Count one more in the cache entry `name` of this window; the new count."""
    key = "fangkong.self-report." + salted_hmac(SALT, f"{name}:{window}").hexdigest()[:32]
    cache.add(key, 0, WINDOW_SECONDS)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, WINDOW_SECONDS)
        return 1


def seconds_until_allowed(request, plan, *, now=None):
    """Count this post to `plan`'s link; 0 when it may go on, else the seconds until the
    hour's window ends (a post over the limit of the link or of the client's address).
    The address is the one django-axes uses for lockouts (AXES_CLIENT_IP_CALLABLE behind a
    reverse proxy), so that both agree on who the client is."""
    now = time.time() if now is None else now
    window = int(now // WINDOW_SECONDS)
    link = _bump(f"link:{plan.pk}:{plan.report_key}", window)
    address = _bump(f"address:{get_client_ip_address(request) or ''}", window)
    if link > POSTS_PER_LINK_PER_HOUR or address > POSTS_PER_ADDRESS_PER_HOUR:
        return max(1, int((window + 1) * WINDOW_SECONDS - now))
    return 0


def retry_uuid(plan, day, temperature, symptoms, note):
    """The identifier of a self-report sent without one (the page's form always carries
    its own): the same link, day and values give the same identifier, so a repeat is the
    check already recorded, never a second one. Keyed by the link's secret key: nobody
    without the link can take the identifier first."""
    values = [
        plan.pk,
        plan.report_key,
        day.isoformat(),
        str(Decimal(temperature).quantize(Decimal("0.1"))),
        ",".join(str(pk) for pk in sorted(s.pk for s in symptoms)),
        (note or "").strip(),
    ]
    digest = salted_hmac(SALT, "|".join(str(v) for v in values)).digest()
    return uuidlib.UUID(bytes=digest[:16], version=4)


def responsible_users(plan):
    """Who hears of a person's self-report: the worker responsible for their household
    (包片联户), else the grid workers of the plan's grid; of those, the active workers with a
    login who may open the plan (a responsible worker without one leaves it to the grid's)."""
    # Public link, no user: the reads are narrowed to this plan's household and grid.
    with system_scope():
        household = plan.resident.household_id  # none for a person waiting to be placed
        users = []
        if household is not None:
            assigned = Worker.objects.filter(household_assignments__household_id=household)
            users = reachable(assigned, plan)
        if not users:
            grid = Worker.objects.filter(roles__kind=RoleKind.GRID_WORKER, roles__area=plan.area_id)
            users = reachable(grid, plan)
    return users


def reachable(workers, plan):
    workers = workers.filter(is_active=True, user__is_active=True).select_related("user")
    return [w.user for w in workers.distinct() if w.user.has_perm(VIEW_PLAN, plan)]


def tell_responsible(check):
    """Tell the responsible workers of a self-report (in the caller's transaction; the
    channels carry it once that commits). An abnormal one says so: its alert waits for them."""
    plan = check.plan
    values = {"category": plan.category.name, "temperature": check.temperature}
    # The workers read it in the site's language, whichever the resident chose on the page.
    with translation.override(settings.LANGUAGE_CODE):
        message = self_report_message(check.abnormal) % values
    return notify(
        responsible_users(plan),
        key=f"self-report:{check.pk}",
        message=message,
        link=reverse("monitoring_plan", args=[plan.pk]),
    )


def self_report_message(abnormal):
    if abnormal:
        return _(
            "A %(category)s you are responsible for reported an abnormal health check "
            "(%(temperature)s ℃): call them and deal with the alert."
        )
    return _(
        "A %(category)s you are responsible for reported a normal health check (%(temperature)s ℃)."
    )
