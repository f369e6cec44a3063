"""Reads of services for residents: the requests a user may read (their areas', or those
given to them as a provider), who is responsible for a household, which providers serve an
area, and the county's fever clinics."""

import datetime

from django.db.models import DateTimeField, Q
from django.utils import timezone

from fangkong.areas.models import Area, Level, RoleKind, Worker
from fangkong.care.models import FeverClinic, Provider, ServiceRequest
from fangkong.care.permissions import DELIVER, VIEW
from fangkong.scope import scope_paths, system_scope


def ancestor_paths(path):
    """The paths of the area at `path` and of every area above it."""
    codes = path.strip("/").split("/")
    return ["/" + "/".join(codes[: i + 1]) + "/" for i in range(len(codes))]


def served_paths(provider):
    with system_scope():  # the provider's own service areas
        return list(provider.service_areas.values_list("path", flat=True))


def serves(provider, path):
    """Whether the provider serves the area at `path` (one of its service areas or below)."""
    return any(path.startswith(p) for p in served_paths(provider))


def requests(user):
    """The requests the user may read: those of the areas where a role grants VIEW, and those
    given to them as a provider's worker or volunteer (in the areas where a role of theirs
    grants DELIVER)."""
    viewable = ServiceRequest.objects.visible_to(user, VIEW)
    if not scope_paths(user, DELIVER):
        return viewable
    if not provider_ids(user):
        return viewable
    mine = assigned(user)
    if not scope_paths(user, VIEW):
        return mine
    return viewable | mine


def may_read_requests(user):
    return user.has_perm(VIEW) or assigned(user).exists()


def provider_ids(user):
    """The providers the user delivers for (as their worker or volunteer), read once per
    request: most users deliver for none, and their home page then counts nothing."""
    if getattr(user, "_care_providers", None) is None:
        with system_scope():  # the user's own providers
            user._care_providers = list(
                Provider.objects.filter(worker__user_id=user.pk).values_list("pk", flat=True)
            )
    return user._care_providers


def assigned(user):
    """The requests given to the user as a provider's worker or volunteer."""
    return ServiceRequest.objects.visible_to(user, DELIVER).filter(
        provider_id__in=provider_ids(user)
    )


def open_requests(rows):
    return rows.filter(status__in=ServiceRequest.OPEN)


def overdue(rows, now=None):
    return open_requests(rows).filter(due_at__lt=now or timezone.now())


def responsible_users(household, perm):
    """Who hears of a household's request or self-report: the worker responsible for the
    household (包片联户), else the grid workers of its grid; of those, the active workers with
    a login whose roles grant `perm` there (monitoring's self-report tells the same people)."""
    with system_scope():  # narrowed to this household and its grid
        assigned_workers = Worker.objects.filter(household_assignments__household=household)
        users = reachable(assigned_workers, household, perm)
        if not users:
            grid = Worker.objects.filter(
                roles__kind=RoleKind.GRID_WORKER, roles__area=household.area_id
            )
            users = reachable(grid, household, perm)
    return users


def reachable(workers, household, perm):
    workers = workers.filter(is_active=True, user__is_active=True).select_related("user")
    return [w.user for w in workers.distinct() if w.user.has_perm(perm, household)]


def county_of(path):
    """The county above (or at) the area at `path`."""
    with system_scope():  # one area, named by a path the caller holds
        return Area.objects.filter(path__in=ancestor_paths(path), level=Level.COUNTY).first()


def clinics_for(path):
    """The fever clinics in use of the county of the area at `path`: the advice on a fever."""
    county = county_of(path)
    if county is None:
        return []
    with system_scope():  # a county's published list
        return list(FeverClinic.objects.within(county).filter(is_active=True).order_by("name"))


def providers(user, perm):
    return Provider.objects.visible_to(user, perm).select_related("area", "worker")


def for_household(rows, household):
    return rows.filter(household=household)


def search(rows, text):
    text = (text or "").strip()
    if not text:
        return rows
    return rows.filter(Q(details__contains=text) | Q(contact_name__contains=text))


# A subtree with at least this many rows is listed by walking the latest-first index back
# through widening windows of time; a smaller one is read from its path index and sorted.
WALK_FROM = 5000
# The deepest row a walk brings back through its windows: a deeper page (the API pages on
# past its capped count) is the database's to skip to, or every id before it would come into
# Python.
WALK_TO = 10_000
WINDOW_DAYS = (1, 4, 16, 64, 256, 36500)


class LatestFirst:
    """The ids of `rows`, latest first by `field` then id, sliced as a paginator slices a list.

    SQLite answers "a subtree's requests, latest first" from the path index and sorts the whole
    subtree: seconds for a county's 10^5 requests (bench/care_pages.py), and the same for its
    10^6 household visits (bench/visits_pages.py). Bounded on both sides in time, the same
    query is answered from the latest-first index on (`field`, id), stopping at the page: so a
    large subtree is read window by window (the last day, 4 days, 16, …) until the page is
    full. `scope` (the rows before the list's own filters) says whether the subtree is large.
    `field` is a time (requests' `created_at`) or a day (visits' `visited_on`); no row lies
    after now (a recorded day is never in the future: `dates.RECORDED_DAY`)."""

    def __init__(self, rows, scope, field="created_at"):
        # Not `ordered`: the paginator reads that name as a queryset's flag (and ran it).
        self.ids = rows.order_by(f"-{field}", "-id").values_list("pk", flat=True)
        self.scope = scope
        self.field = field

    def order_by(self, *fields):
        return self.ids.order_by(*fields)  # the capped paginator's count

    def count(self):
        return self.ids.order_by().count()  # the API's

    def until(self):
        """The end of every window: a little after now (a clock a little behind), or a day
        after today for a day."""
        if isinstance(self.ids.model._meta.get_field(self.field), DateTimeField):
            return timezone.now() + datetime.timedelta(minutes=1)
        return timezone.localdate() + datetime.timedelta(days=1)

    def __getitem__(self, index):
        wanted = index.stop
        if wanted > WALK_TO or self.scope.order_by()[:WALK_FROM].count() < WALK_FROM:
            return list(self.ids[index])
        until = self.until()
        for days in WINDOW_DAYS:
            since = until - datetime.timedelta(days=days)
            window = {f"{self.field}__range": (since, until)}
            found = list(self.ids.filter(**window)[:wanted])
            if len(found) >= wanted:
                break
        return found[index]
