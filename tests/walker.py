"""The route walker: every URL and API route, as every persona, against the permission table.

For each route it learns, once and as the system administrator, which methods the route
takes and which models its parameter names; then it asks every persona (tests/world.py,
every role kind and a worker with two roles of different kinds) with one record per model
and per distance from the persona's scope (the grid's own record, its sibling grid's, the
other township's), and judges each answer from `fangkong.permissions`:

- a record the persona may not VIEW (outside the subtrees of the roles granting the
  route's read permission, however near) is a 404, for every method;
- otherwise the answers must be those of ONE permission G of the table: success (2xx/3xx,
  a 400 for a write with an empty body) exactly where a role of the persona grants G on the
  record (on a list: anywhere), 403 elsewhere. A write whose only consistent G is a view
  permission forgot its action's check;
- no page a persona may open (lists, lists filtered by outside ids, record pages, the
  browsable API) shows the name of a record the persona may not view;
- a write naming records outside the persona's subtrees changes nothing outside.

The cost is routes x personas x (one record per model and distance), never the number of
records: see docs/testing.md.
"""

import io
import json
import re
from dataclasses import dataclass, field

from django.conf import settings
from django.db import connection, transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from python_calamine import CalamineWorkbook

from fangkong.areas.models import Area, Building, Role, RoleKind, Worker
from fangkong.care.models import FeverClinic, Provider, ServiceRequest, SymptomReport
from fangkong.care.permissions import CHANGE as DISPATCH
from fangkong.care.services import provider_choices
from fangkong.checkpoints.models import Checkpoint, GateAlert, Pass, Passage, Registration
from fangkong.commendations.models import Commendation
from fangkong.directives.models import Directive, DirectiveReceipt, ImplementationReport
from fangkong.elections.models import (
    ContingencyItem,
    Election,
    ElectionStaff,
    HealthDeclaration,
    PollingStation,
    ProxyVote,
    Voter,
    VotingSlot,
)
from fangkong.facilities.models import DisinfectionLog, Facility
from fangkong.gatherings.models import (
    Gathering,
    Meeting,
    MeetingLimit,
    SanitationCampaign,
    SanitationTask,
)
from fangkong.monitoring.models import Alert, HealthCheck, MonitoringPlan
from fangkong.notices.models import Notice
from fangkong.people.models import Household, HouseholdAssignment, ImportJob, KeyGroup, Resident
from fangkong.permissions import all_permissions, kinds_granting
from fangkong.quarantine.models import QuarantineSite, Room
from fangkong.quarantine.quarantines import Quarantine, TestResult
from fangkong.quarantine.transfers import Transfer, Vehicle
from fangkong.reports.models import DailyReport
from fangkong.response.models import EmergencyResponse, Measure, MeasureTask, PlanDocument
from fangkong.scope import holds, outermost, path_q, roles_of, scope_paths, system_scope
from fangkong.spreadsheets import XLSX_TYPE
from fangkong.subsidies.models import Subsidy, SubsidyRule
from fangkong.supplies.models import Stock, StockMovement
from fangkong.tracing.models import Case, CaseImport, Contact, TracedPerson, TracingTask
from fangkong.training.models import Training
from fangkong.vaccination.models import DoseInterval, Vaccination, VaccinationExemption
from fangkong.verification.models import VerificationEntry, VerificationList, VerificationTask
from fangkong.visits.models import CareCampaign, CarePlan, CareVisit, Patrol, Visit
from fangkong.web import view_perm
from fangkong.workforce.models import DutyHoliday, DutyPost, DutyShift, Responsibility
from tests.world import ALL_PERSONAS, GRID_TAGS, every

SKIPPED_NAMESPACES = {"admin"}  # superusers only (docs/roles.md), outside the data scope
# Reached by a signed personal link, not through a scope: the signature is the access, and
# tests/monitoring/test_pages.py proves an altered or renewed link is a 404. Logging out would
# end the walker's session. A checkpoint's poster link (checkpoint_register, _registered) is
# signed alike: tests/checkpoints/test_registrations.py proves a forged or altered one is a 404.
SKIPPED_ROUTES = {
    "self_report",
    "checkpoint_register",
    "checkpoint_registered",
    # Services for residents: a household's signed link and a request's signed status page
    # (tests/care/test_requests.py proves a forged one is a 404).
    "care_household_page",
    "care_request_status",
    # A community's public service and fever pages, open to anyone (tests/care/ prove what
    # they show and refuse).
    "care_public",
    "care_public_fever",
    # A community's public duty page (anyone, rate-limited) and a worker's secret-link
    # iCalendar feed (tests/workforce/ prove what each shows and refuses).
    "duty_public",
    "duty_feed",
    # A community's or township's public notice page and its feeds (anyone, rate-limited;
    # tests/notices/ prove what they show and refuse).
    "notice_board",
    "notice_feed",
    "notice_rss",
    # An area's public page of the commendations it published (anyone, rate-limited;
    # tests/commendations/ prove what it shows and refuses).
    "commendation_board",
    # A community's public page where families report their events, and the page of one
    # report named by its random request id (tests/gatherings/test_family.py proves what
    # they show and refuse).
    "family_report",
    "family_reported",
    "logout",
    "api-tokens",
    "api-token-revoke",
    "my_tokens",
}
# The account's own pages and the public ones: no permission of the table applies.
PERSONAL_ROUTES = {
    "login",
    "password_change",
    "password_change_done",
    "set_language",
    "schema",
    "api-docs",
    "api-root",
    "api-token",
    "notification_list",
    "notifications_read",
    "notification-list",
    "notification-read-all",
    "home",
    # The gate pages' service worker (static file names only; docs/gate-offline.md).
    "gate_service_worker",
}
# Writes a holder of the permission may still be refused by a rule of the service (which
# role one may revoke, which level's report one sends, a job no longer waiting): for them a
# 403 where the permission is held is no failure. A success without it still is.
RULE_REFUSALS = {
    "role_revoke": "only roles the user may grant (docs/roles.md)",
    "role-detail": "only roles the user may grant",
    "worker_edit": "only workers whose every role the user may grant",
    "report_submit": "a community's report by its community workers, above by supervisors",
    "report_amend": "as report_submit",
    "dailyreport-submit": "as report_submit",
    "dailyreport-amend": "as report_submit",
    "grid_create": "grids only under a community",
    "meeting_limits": "meeting limits are set for a county",
    "subsidy_rules": "subsidy rules are set for a county",
    "commendation_decide": "decided by a supervisor of the level that awards it",
    "commendation-decide": "as commendation_decide",
    "family_report_poster": "a poster is printed for a community or a grid",
    "sanitation_complete": "a task is recorded done by its owner or who hands tasks out",
    "sanitationtask-complete": "as sanitation_complete",
    "sanitation_campaign_new": "campaigns over a county, township or community",
    "dose_intervals": "dose intervals are set for a county",
    "dose_remove": "only a worker's latest dose is removed",
    "vaccination-remove": "as dose_remove",
    "building_create": "buildings only in a grid",
    "verification_upload": "lists are uploaded above the grid",
    "visit_cycle": "a visiting cycle is set for a community",
    "receipt_acknowledge": "a directive is acted on by the area that received it",
    "receipt_forward": "as receipt_acknowledge",
    "receipt_report": "as receipt_acknowledge",
    "directive-receipt-acknowledge": "as receipt_acknowledge",
    "directive-receipt-forward": "as receipt_acknowledge",
    "directive-receipt-report": "as receipt_acknowledge",
    "implementation_report_approve": "a report is reviewed by the level above it only",
    "implementation_report_send_back": "as implementation_report_approve",
    "implementation-report-approve": "as implementation_report_approve",
    "implementation-report-send-back": "as implementation_report_approve",
}
# Writes that change nothing but the user's own view (dismissing a suggestion), gated by the
# read permission on purpose; and POSTed searches, which are reads whose search must not
# travel in a URL (issue 12).
READ_GATED_WRITES = {"suggestion_dismiss", "resident_list", "resident-search"}

METHODS = ("get", "post", "put", "patch", "delete")
PARAM_MODELS = {
    "code": [Area],
    "pk": [
        Building,
        Household,
        Resident,
        Worker,
        Role,
        KeyGroup,
        ImportJob,
        MonitoringPlan,
        HealthCheck,
        Alert,
        VerificationList,
        VerificationTask,
        DailyReport,
        Checkpoint,
        Passage,
        GateAlert,
        Registration,
        Pass,
        Measure,
        PlanDocument,
        EmergencyResponse,
        MeasureTask,
        TracedPerson,
        Case,
        Contact,
        TracingTask,
        CaseImport,
        ServiceRequest,
        Provider,
        FeverClinic,
        SymptomReport,
        Quarantine,
        TestResult,
        QuarantineSite,
        Room,
        Transfer,
        Vehicle,
        Patrol,
        Visit,
        CarePlan,
        CareVisit,
        CareCampaign,
        DutyPost,
        DutyShift,
        DutyHoliday,
        Directive,
        DirectiveReceipt,
        ImplementationReport,
        Gathering,
        Meeting,
        MeetingLimit,
        SanitationTask,
        SanitationCampaign,
        Facility,
        DisinfectionLog,
        Election,
        ContingencyItem,
        PollingStation,
        VotingSlot,
        Voter,
        HealthDeclaration,
        ProxyVote,
        ElectionStaff,
        Training,
        Vaccination,
        VaccinationExemption,
        DoseInterval,
        Stock,
        StockMovement,
        Notice,
        Responsibility,
        Subsidy,
        SubsidyRule,
        Commendation,
    ],
}
PROBE_AREAS = [
    "350502001001001",  # 新华第一网格
    "350502001001002",  # 新华第二网格, its sibling
    "350502002001001",  # 聚宝第一网格, in the other township
    "350502001001",  # 新华社区
    "350502001000",  # 海滨街道
]
# The model a route's <pk> names, by the path segment before it: tried first, then the rest.
SEGMENT_MODELS = {
    "traced-persons": TracedPerson,
    "cases": Case,
    "contacts": Contact,
    "tracing-tasks": TracingTask,
    "case-imports": CaseImport,
    "requests": ServiceRequest,
    "symptom-reports": SymptomReport,
    "providers": Provider,
    "fever-clinics": FeverClinic,
    "quarantine": Quarantine,
    "quarantines": Quarantine,
    "quarantine-tests": TestResult,
    "quarantine-sites": QuarantineSite,
    "quarantine-rooms": Room,
    "transfers": Transfer,
    "vehicles": Vehicle,
    "patrols": Patrol,
    "visits": Visit,
    "care-plans": CarePlan,
    "care-visits": CareVisit,
    "care-campaigns": CareCampaign,
    "gatherings": Gathering,
    "facilities": Facility,
    "disinfections": DisinfectionLog,
    "disinfection-logs": DisinfectionLog,
    "meetings": Meeting,
    "meeting-limits": MeetingLimit,
    "sanitation": SanitationTask,
    "sanitation-tasks": SanitationTask,
    "sanitation-campaigns": SanitationCampaign,
    "elections": Election,
    "election-items": ContingencyItem,
    "polling-stations": PollingStation,
    "voting-slots": VotingSlot,
    "voters": Voter,
    "declarations": HealthDeclaration,
    "health-declarations": HealthDeclaration,
    "proxy-votes": ProxyVote,
    "election-staff": ElectionStaff,
    "trainings": Training,
    "doses": Vaccination,
    "vaccinations": Vaccination,
    "vaccination-exemptions": VaccinationExemption,
    "dose-intervals": DoseInterval,
    "stocks": Stock,
    "movements": StockMovement,
    "stock-movements": StockMovement,
    "notices": Notice,
    "responsibilities": Responsibility,
    "directives": Directive,
    "directive-receipts": DirectiveReceipt,
    "implementation-reports": ImplementationReport,
    "posts": DutyPost,
    "duty-posts": DutyPost,
    "shifts": DutyShift,
    "duty-shifts": DutyShift,
    "holidays": DutyHoliday,
    "duty-holidays": DutyHoliday,
    "buildings": Building,
    "households": Household,
    "residents": Resident,
    "workers": Worker,
    "roles": Role,
    "key-groups": KeyGroup,
    "imports": ImportJob,
    "resident-imports": ImportJob,
    "plans": MonitoringPlan,
    "checks": HealthCheck,
    "alerts": Alert,
    "verification": VerificationList,
    "verification-lists": VerificationList,
    "tasks": VerificationTask,
    "verification-tasks": VerificationTask,
    "reports": DailyReport,
    "checkpoints": Checkpoint,
    "passages": Passage,
    "gate-alerts": GateAlert,
    "passes": Pass,
    "registrations": Registration,
    "checkpoint-registrations": Registration,
    "measures": Measure,
    "plan-documents": PlanDocument,
    "emergency-responses": EmergencyResponse,
    "response-tasks": MeasureTask,
    "measure-tasks": MeasureTask,
    "subsidies": Subsidy,
    "subsidy-rules": SubsidyRule,
    "commendations": Commendation,
}
SNAPSHOT_MODELS = (
    Area,
    Building,
    Household,
    Resident,
    Worker,
    Role,
    KeyGroup,
    HouseholdAssignment,
    ImportJob,
    MonitoringPlan,
    HealthCheck,
    Alert,
    VerificationList,
    VerificationTask,
    VerificationEntry,
    DailyReport,
    Checkpoint,
    Passage,
    GateAlert,
    Measure,
    PlanDocument,
    EmergencyResponse,
    MeasureTask,
    Subsidy,
    Commendation,
)
RECORD_PASSAGES = "checkpoints.add_passage"
OUTSIDE_GRID = "350502002001001"  # in the other township: outside every persona but a few


@dataclass(frozen=True)
class Route:
    name: str
    params: tuple
    callback: object = field(compare=False, hash=False, repr=False)

    @property
    def drf(self):
        return hasattr(self.callback, "cls") and hasattr(self.callback, "actions")

    @property
    def read_permission(self):
        if not self.drf:
            return None
        cls = self.callback.cls
        perm = getattr(cls, "read_permission", None)
        if perm is None and getattr(cls, "model", None) is not None:
            perm = view_perm(cls.model)
        return perm

    def declared_methods(self):
        """The methods the route takes, when its view says so (DRF actions, class views)."""
        if self.drf:
            allowed = getattr(self.callback.cls, "http_method_names", METHODS)
            return [m for m in METHODS if m in self.callback.actions and m in allowed]
        view_class = getattr(self.callback, "view_class", None)
        if view_class is not None:
            return [m for m in METHODS if m in view_class.http_method_names]
        return None  # a function view: ask it


def routes(resolver=None, namespace=""):
    resolver = resolver or get_resolver()
    found = []
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            if entry.namespace not in SKIPPED_NAMESPACES:
                found += routes(entry, inner)
        elif isinstance(entry, URLPattern):
            # An unnamed route could not be probed; every route must have a name.
            assert entry.name, f"unnamed route {entry.pattern}"
            if entry.name not in SKIPPED_ROUTES:
                params = tuple(sorted(entry.pattern.regex.groupindex))
                found.append(Route(f"{namespace}{entry.name}", params, entry.callback))
    return found


def shared_segments(path, other):
    """How many area codes two paths share from the root down."""
    count = 0
    for a, b in zip(path.strip("/").split("/"), other.strip("/").split("/"), strict=False):
        if a != b:
            break
        count += 1
    return count


def record_path(record):
    return getattr(record, record.scope_path_field)


# Records read through another model's permission (no app grants their own view permission).
READ_THROUGH = {
    HouseholdAssignment: "people.view_household",
    VerificationEntry: "verification.view_verificationlist",
}


def can_view(user, record, perm=None):
    perm = perm or READ_THROUGH.get(type(record)) or view_perm(type(record))
    if holds(user, perm, record_path(record)):
        return True
    # A worker serves in a community but is seen wherever one of their roles may be seen.
    roles = getattr(record, "walker_roles", ())
    return isinstance(record, Worker) and any(holds(user, perm, r.area_path) for r in roles)


def subtrees(user):
    """The paths below which the user holds any role at all."""
    return outermost(path for path, _kind in roles_of(user))


# ---------------------------------------------------------------- what a persona may see


def leak_markers(world, user):
    """Names that must not appear on any page this user sees: those of every record the
    user may not view, but the areas above the user's roles (their names are the
    breadcrumbs), the user's own worker record, the workers of roles the user may view and
    the areas those workers serve in."""
    role_paths = [path for path, _kind in roles_of(user)]
    # A colleague from elsewhere (a worker holding a role the user may view) is shown with
    # the area they serve in.
    colleagues_areas = {
        worker.area_id
        for worker in [*world.workers.values(), world.cross_worker]
        if any(can_view(user, role) for role in worker.walker_roles)
    }
    markers, shown = set(), set()
    for record in world.all_records():
        if can_view(user, record):
            shown.add(marker_of(record))
            shown.update(marker_of(named) for named in named_on(record))
            # The providers serving a request's area are offered to whoever dispatches it.
            if isinstance(record, ServiceRequest) and user.has_perm(DISPATCH, record):
                shown.update(marker_of(provider) for provider in provider_choices(record))
            continue
        if isinstance(record, PUBLIC_MODELS):
            continue
        path = record_path(record)
        if isinstance(record, Area) and (
            any(p.startswith(path) for p in role_paths) or record.pk in colleagues_areas
        ):
            shown.add(marker_of(record))
            continue
        # The gate's lookup (docs/checkpoints.md): who records passages in a community
        # knows a name and a household of its residents, and who passed.
        if isinstance(record, (Resident, Household)) and holds(user, RECORD_PASSAGES, path):
            shown.add(marker_of(record))
            continue
        if isinstance(record, Worker) and (
            record.user_id == user.pk
            or any(role.worker_id == record.pk and can_view(user, role) for role in world.all_roles)
        ):
            shown.add(marker_of(record))
            continue
        markers.add(marker_of(record))
    # A record of another app named after one the user may view (a traced person after the
    # resident they are) shows that name rightly.
    return sorted(markers - shown)


# Records named on a record of another kind whoever may view that record sees them on it:
# who made a visit or patrol, the provider a request went to, the site, floor and room a
# quarantine is in and the vehicles of a transfer.
NAMED_ON = {
    Patrol: ("worker",),
    Visit: ("worker",),
    CareVisit: ("worker",),
    Responsibility: ("worker",),
    SanitationTask: ("owner", "campaign"),
    ServiceRequest: ("provider",),
    Quarantine: ("site", "room", "room.floor", "transfer"),
    Transfer: ("site", "trips.vehicle"),
}
# Kept for the public: a county's fever clinics.
PUBLIC_MODELS = (FeverClinic,)


def reader_write(fits, model):
    """Whether the permissions a write's answers fit say only "whoever reads the record": none
    but view permissions and, of another app than the record's, permissions every role kind
    holds (care.deliver_servicerequest: anyone may be a provider's deliverer), which fit any
    write that checks nothing and so prove no check."""
    meta = getattr(model, "_meta", None)
    everyone = {str(kind) for kind in RoleKind}
    return all(
        p.split(".")[1].startswith("view_")
        or (
            meta is not None
            and p.split(".")[0] != meta.app_label
            and everyone <= set(kinds_granting(p))
        )
        for p in fits
    )


def named_on(record):
    found = []
    for dotted in NAMED_ON.get(type(record), ()):
        values = [record]
        for name in dotted.split("."):
            values = [item for value in values for item in related_values(value, name)]
        found += values
    return found


def related_values(record, name):
    with system_scope():
        value = getattr(record, name, None)
        if value is None:
            return []
        if hasattr(value, "all"):  # a reverse relation: every related record
            return list(value.all())
        return [value]


def marker_of(record):
    return record.number if isinstance(record, Household) else str(record)


def response_text(response):
    """What a reader of the response sees: a workbook's cells, else the body."""
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if response.get("Content-Type") == XLSX_TYPE:
        rows = CalamineWorkbook.from_filelike(io.BytesIO(body)).get_sheet_by_index(0).to_python()
        return "\n".join("\t".join(str(cell) for cell in row) for row in rows)
    return body.decode(errors="replace")


def probe_queries(world):
    """Query strings naming records outside most scopes, and malformed ones, for lists."""
    records = world.records_of(OUTSIDE_GRID)
    ids = {type(r).__name__.lower(): r.pk for r in records}
    return [
        f"?within={OUTSIDE_GRID}&area={OUTSIDE_GRID}&parent_code={records[1].code}"
        f"&household={ids['household']}&building={ids['building']}&worker={ids['worker']}",
        "?within=%00&name=%00&parent_code=%00&code=%00&household=99999999999999999999"
        "&building=-1&worker=abc&page=99999",
    ]


def outside_body(world):
    """A body whose every reference names a record in the other township."""
    records = world.records_of(OUTSIDE_GRID)
    ids = {type(r).__name__.lower(): r.pk for r in records}
    return {
        "area": OUTSIDE_GRID,
        "parent_code": records[1].code,
        "worker": ids["worker"],
        "household": ids["household"],
        "building": ids["building"],
        "resident": ids["resident"],
        "responsible_worker": ids["worker"],
        "kind": "building",
        "name": "越界",
        "number": "越界",
        "code": "350502002001009",
        "affiliation": "volunteer",
    }


def snapshot_outside(user):
    """Every row outside the user's subtrees, to prove a write changed none of it: the raw
    columns, read by SQL (no decryption, no model instances)."""
    paths = subtrees(user)
    rows = []
    with connection.cursor() as cursor:
        for model in SNAPSHOT_MODELS:
            columns = [f.column for f in model._meta.concrete_fields]
            query = every(model).exclude(path_q(model.scope_path_field, paths)).order_by("pk")
            sql, params = query.values_list(*columns).query.sql_with_params()
            cursor.execute(sql, params)
            rows.append((model.__name__, cursor.fetchall()))
    return rows


def log_in_everyone(world, client):
    """A session per persona, made once with the world (logging in costs a session write, a
    signal and a last-login update): the walker then only swaps the cookie."""
    world.sessions = {}
    for username, user in world.users.items():
        client.force_login(user)
        world.sessions[username] = client.cookies[settings.SESSION_COOKIE_NAME].value
    client.logout()


# ---------------------------------------------------------------- asking


def without_tokens(text):
    """A page without its CSRF tokens, which change with every answer."""
    return re.sub(r"[A-Za-z0-9]{32,}", "", text)


def answer_class(method, status):
    if status == 404 or status == 403:
        return str(status)
    if 200 <= status < 400:
        return "ok"
    if method != "get" and status == 400:
        return "400"  # an empty body refused before or after the check: says nothing either way
    return str(status)


@dataclass
class Walker:
    client: object
    world: object
    usernames: list = None
    problems: list = field(default_factory=list)
    seen: dict = field(default_factory=dict)  # route name -> {(method, model): G candidates}
    errors: list = field(default_factory=list)  # the exceptions behind 5xx answers

    def __post_init__(self):
        self.usernames = self.usernames or list(ALL_PERSONAS)
        # What depends only on the world and the persona is computed once per world.
        if not hasattr(self.world, "walker_cache"):
            self.world.all_roles = list(every(Role).all())
            for worker in [*self.world.workers.values(), self.world.cross_worker]:
                worker.walker_roles = [r for r in self.world.all_roles if r.worker_id == worker.pk]
            self.world.walker_cache = {"markers": {}, "before": {}}
        self._markers = self.world.walker_cache["markers"]
        self._before = self.world.walker_cache["before"]
        self.client.raise_request_exception = False

    def login(self, username):
        sessions = getattr(self.world, "sessions", None)
        if sessions and username in sessions:
            self.client.cookies[settings.SESSION_COOKIE_NAME] = sessions[username]
        else:
            self.client.force_login(self.world.users[username])
        return self.world.users[username]

    def markers(self, user):
        if user.pk not in self._markers:
            self._markers[user.pk] = leak_markers(self.world, user)
        return self._markers[user.pk]

    def before(self, user):
        if user.pk not in self._before:
            self._before[user.pk] = snapshot_outside(user)
        return self._before[user.pk]

    def send(self, method, url, route, accept="application/json", data=None, want_text=False):
        """One request; what an allowed write does inside the scope is undone."""
        kwargs = {"HTTP_ACCEPT": accept} if route.drf else {}
        with transaction.atomic():
            if method in ("get", "delete"):
                response = getattr(self.client, method)(url, **kwargs)
            elif method == "post" and not route.drf:
                response = self.client.post(url, data or {}, **kwargs)
            else:
                response = getattr(self.client, method)(
                    url, json.dumps(data or {}), content_type="application/json", **kwargs
                )
            text = response_text(response) if method == "get" or want_text else ""
            transaction.set_rollback(True)
        if response.status_code >= 500 and getattr(response, "exc_info", None):
            error = response.exc_info[1]
            self.errors.append(f"{method.upper()} {url}: {type(error).__name__}: {error}")
        return response.status_code, text

    def shown(self, text, user):
        return [m for m in self.markers(user) if m in text]

    # -- discovery, once per route, as the system administrator

    def targets(self, route):
        """The records a route takes (none for a list), found by asking the administrator."""
        if not route.params:
            return [None]
        if len(route.params) != 1 or route.params[0] not in PARAM_MODELS:
            self.problems.append(f"{route.name}: no probe record for parameters {route.params}")
            return []
        self.login("sysadmin")
        found = []
        models = PARAM_MODELS[route.params[0]]
        model = getattr(getattr(route.callback, "cls", None), "model", None)
        if model in models:
            models = [model]  # a viewset says which records it takes
        else:
            hint = None
            if route.params == ("pk",):
                probe = self.world.buildings[OUTSIDE_GRID]
                parts = self.url(route, probe).strip("/").split("/")
                hint = SEGMENT_MODELS.get(parts[parts.index(str(probe.pk)) - 1])
            models = sorted(models, key=lambda m: m is not hint)
        for model in models:
            # The records of the model the route takes where it applies at all (a grid's
            # page 404s for a township: it is no route for that level).
            found = [r for r in self.probe_records(model) if self.applies(route, r)]
            if found:
                break
        if not found:
            self.problems.append(f"{route.name}: no probe record for parameters {route.params}")
        return found

    def applies(self, route, record):
        status, _text = self.send("get", self.url(route, record), route)
        if status == 405:
            status, _text = self.send("post", self.url(route, record), route)
        return status != 404

    def probe_records(self, model):
        """One record per distance from a grid persona's scope (its own grid, the sibling grid,
        the other township), and the areas and workers above the grids."""
        if model is Area:
            return [self.world.areas[code] for code in PROBE_AREAS]
        records = [r for code in GRID_TAGS for r in self.world.records_of(code)]
        if model is Worker:
            records.append(self.world.cross_worker)
        chosen = []
        for record in records:
            if isinstance(record, model) and record not in chosen:
                chosen.append(record)
        return chosen

    def url(self, route, record):
        if record is None:
            return reverse(route.name)
        value = record.code if route.params == ("code",) else record.pk
        return reverse(route.name, kwargs={route.params[0]: value})

    def methods(self, route, target):
        """The methods to ask: those the view declares, else those a function view does not
        refuse with 405 and does not answer as it answers GET (its GET branch)."""
        declared = route.declared_methods()
        if declared is not None:
            return declared
        self.login("sysadmin")
        url = self.url(route, target)
        answers = {m: self.send(m, url, route, want_text=True) for m in METHODS}
        taken = [m for m in METHODS if answers[m][0] != 405]
        get = answers["get"]
        return [
            m
            for m in taken
            if m == "get"
            or get[0] == 405
            or (answers[m][0], without_tokens(answers[m][1])) != (get[0], without_tokens(get[1]))
        ]

    # -- the walk of one route

    def walk(self, route):
        targets = self.targets(route)
        if not targets:
            return self.problems
        methods = self.methods(route, targets[0])
        answers = {}  # (method, model) -> [(username, record, class, status)]
        for username in self.usernames:
            user = self.login(username)
            wrote = False
            for record in self.nearest(user, targets):
                url = self.url(route, record)
                viewable = record is None or can_view(user, record, self.read_perm(route, record))
                for method in methods:
                    status, text = self.send(method, url, route)
                    kind = answer_class(method, status)
                    answers.setdefault((method, type(record)), []).append(
                        (username, record, kind, status)
                    )
                    if status >= 500:
                        self.problems.append(f"{method.upper()} {url}: {status} as {username}")
                    if kind == "ok" and method == "get":
                        self.check_markers(route, url, user, username, text)
                    if kind in ("ok", "400") and method != "get" and viewable and not wrote:
                        wrote = True  # once per persona and route: the body names the ids
                        self.check_outside_writes(route, url, method, user, username)
        for (method, model), rows in answers.items():
            self.judge(route, method, model, rows)
        self.problems += sorted(set(self.errors))[:5]
        return self.problems

    def nearest(self, user, targets):
        """One record per distance from the user's roles: records the user holds the same
        permissions on, whose paths share as much with the user's roles, answer alike."""
        if targets == [None]:
            return targets
        role_paths = [path for path, _kind in roles_of(user)]
        chosen = {}
        for record in targets:
            path = record_path(record)
            held = frozenset(p for p in all_permissions() if holds(user, p, path))
            shared = max(shared_segments(path, r) for r in role_paths)
            chosen.setdefault((held, shared, path.count("/")), record)
        return list(chosen.values())

    def read_perm(self, route, record):
        if route.drf and route.params:
            return route.read_permission
        return READ_THROUGH.get(type(record)) or view_perm(type(record))

    def check_markers(self, route, url, user, username, text):
        shown = self.shown(text, user)
        if not route.params and not can_view(user, self.world.areas[OUTSIDE_GRID]):
            for query in probe_queries(self.world):
                shown += self.shown(self.send("get", url + query, route)[1], user)
        for marker in sorted(set(shown)):
            self.problems.append(f"{url} shows {marker} as {username}")

    def check_outside_writes(self, route, url, method, user, username):
        before = self.before(user)
        with transaction.atomic():
            data = outside_body(self.world)
            if method == "post" and not route.drf:
                status = self.client.post(url, data).status_code
            else:
                status = getattr(self.client, method)(
                    url, json.dumps(data), content_type="application/json"
                ).status_code
            changed = snapshot_outside(user) != before
            transaction.set_rollback(True)
        if changed:
            self.problems.append(f"writing outside ids to {url} changed records outside")
        if status >= 500:
            self.problems.append(f"writing outside ids to {url}: {status} as {username}")

    # -- the verdict

    def expected(self, route, perm, user, record):
        if record is None:
            return "ok" if scope_paths(user, perm) else "403"
        if not can_view(user, record, self.read_perm(route, record)):
            return "404"
        return "ok" if can_view(user, record, perm) else "403"

    def judge(self, route, method, model, rows):
        name = route.name.split(":")[-1]
        url_of = {id(r[1]): self.url(route, r[1]) for r in rows}
        # A record the persona may not view is a 404, whatever G is.
        for username, record, kind, status in rows:
            user = self.world.users[username]
            hidden = record is not None and not can_view(
                user, record, self.read_perm(route, record)
            )
            if hidden and kind != "404":
                self.problems.append(
                    f"{method.upper()} {url_of[id(record)]}: {status} as {username}, "
                    "expected 404 (a record the persona may not view)"
                )
        if name in PERSONAL_ROUTES:
            return
        if route.drf and method == "get" and route.read_permission:
            candidates = [route.read_permission]
        else:
            candidates = sorted(all_permissions())
        verdicts = []
        for perm in candidates:
            wrong = []
            for username, record, kind, status in rows:
                user = self.world.users[username]
                want = self.expected(route, perm, user, record)
                if kind == want or (kind == "400" and want != "404"):
                    continue
                if kind == "403" and want == "ok" and name in RULE_REFUSALS:
                    continue
                wrong.append(
                    f"{url_of[id(record)]} as {username}: {status}, expected {want.replace('ok', '2xx')}"
                )
            verdicts.append((len(wrong), perm, wrong))
        fits = [perm for count, perm, _wrong in verdicts if count == 0]
        self.seen.setdefault(route.name, {})[(method, model.__name__)] = fits
        if not fits:
            _count, perm, wrong = min(verdicts, key=lambda v: v[0])
            self.problems.append(
                f"{method.upper()} {name}: the answers fit no permission of the table; "
                f"nearest {perm}: " + "; ".join(wrong[:6])
            )
        elif method != "get" and name not in READ_GATED_WRITES and reader_write(fits, model):
            self.problems.append(
                f"{method.upper()} {name}: a write allowed to every reader ({', '.join(fits[:3])}): "
                "it checks no action's permission"
            )
