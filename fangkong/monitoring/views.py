"""Pages of health monitoring: the day page (今日健康监测), plans, checks, alerts, area counts."""

import uuid as uuidlib
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from fangkong import dates
from fangkong.areas.models import Area, Level, Worker, is_area_code
from fangkong.areas.pages import within_area
from fangkong.areas.selectors import breadcrumbs
from fangkong.dispositions import dispose_posted
from fangkong.monitoring import selectors, services
from fangkong.monitoring.forms import (
    BoardFilterForm,
    CheckForm,
    DispositionForm,
    NewcomerPlanForm,
    PlanForm,
    RestNormalForm,
    StopForm,
)
from fangkong.monitoring.models import Alert, MonitoringPlan
from fangkong.monitoring.rows import render_rows, rest_normal_items
from fangkong.monitoring.selectors import Records, Status
from fangkong.monitoring.self_report import (
    open_link,
    report_url,
    retry_uuid,
    seconds_until_allowed,
)
from fangkong.people.models import Household, Resident
from fangkong.scope import scope_paths
from fangkong.web import (
    call_service,
    form_page,
    parse_day,
    redirect_back,
    require_list,
    require_perm,
    scoped_or_404,
)

VIEW = "monitoring.view_monitoringplan"
VIEW_CHECKS = "monitoring.view_healthcheck"
VIEW_ALERTS = "monitoring.view_alert"
ADD_CHECK = "monitoring.add_healthcheck"
ADD_PLAN = "monitoring.add_monitoringplan"
CHANGE_PLAN = "monitoring.change_monitoringplan"
CHANGE_ALERT = "monitoring.change_alert"
ROW_ORDER = [Status.MISSED, Status.ABNORMAL, Status.DUE, Status.DONE, Status.ENDED]
BOARD_LEVELS = (Level.COMMUNITY, Level.GRID)
# A grid's parents up to its province.
ANCESTORS = "parent__parent__parent__parent__parent"
# Rows of the day page at a time: a community's hundreds of forms would weigh on a phone.
ROWS_PER_PAGE = 30
ALERTS_SHOWN = 200


def status_tabs():
    """The tabs in the order a worker deals with them; the first, what is left to check
    today, is the page's own."""
    return [
        (Status.TODO, _("To check")),
        (Status.MISSED, _("Missed")),
        (Status.ABNORMAL, _("Abnormal")),
        (Status.DONE, _("Done")),
        ("all", _("All under monitoring")),
        (Status.ENDING, _("Ending soon")),
        (Status.ENDED, _("Ended")),
    ]


def row_rank(row):
    return next((i for i, s in enumerate(ROW_ORDER) if s in row.statuses), len(ROW_ORDER))


def with_check_forms(rows, user):
    """Rows with a slot still open get `may_record` (the permission asked once per place)
    and the uuid their check will carry, so a button pressed twice records once. The
    symptoms are not on the page: a row asks for them when the person has any."""
    may_record = {}
    # A plan's page and its checks' address, reversed once, not once a row.
    plans_url = reverse("monitoring_plan", args=[0]).removesuffix("0/")
    for row in rows:
        plan = row.plan
        row.url = f"{plans_url}{plan.pk}/"
        row.checks_url = f"{row.url}checks/"
        # A refused check shown again, the symptoms opened: `board_row` sets them.
        row.may_record, row.form, row.symptoms, row.chosen, row.typed = False, None, None, (), ""
        row.tone = (
            "list-group-item-danger"
            if Status.ABNORMAL in row.statuses
            else "list-group-item-warning"
            if Status.MISSED in row.statuses
            else ""
        )
        if row.next_slot is None:
            continue
        if plan.area_path not in may_record:
            may_record[plan.area_path] = user.has_perm(ADD_CHECK, plan)
        row.may_record = may_record[plan.area_path]
        row.check_uuid = uuidlib.uuid4()
    return rows


@dataclass
class Board:
    """The day page asked for by a query: its area, filters, rows and the tabs' counts."""

    area: Area
    form: BoardFilterForm
    rows: list
    counts: dict


def monitored_areas(user):
    """The areas where the user may read plans: the day page is about nowhere else (a worker
    who is a volunteer on a community and grid worker of one grid has the grid's page)."""
    return Area.objects.visible_to(user, VIEW)


def board_for(request, params):
    """The day page of `params` (?within=, grid, category) for the request's user. Its form
    is None when the area lies above a community, whose page is the counts per child."""
    user = request.user
    areas = monitored_areas(user)
    # The area with its ancestors, for the breadcrumbs: one query, not one a level.
    found = areas.select_related(ANCESTORS)
    code = params.get("within")
    if code:
        if not is_area_code(code):
            raise Http404
        area = get_object_or_404(found, code=code)
    else:
        area = found.filter(path__in=scope_paths(user, VIEW)).order_by("path").first()
        if area is None:
            raise Http404
    if area.level not in BOARD_LEVELS:
        return Board(area, None, [], {})
    grids = (
        list(areas.filter(parent=area).order_by("code")) if area.level == Level.COMMUNITY else []
    )
    form = BoardFilterForm(params, grids=grids)
    if not form.is_valid():
        raise Http404
    records = Records.visible_to(user)
    records.plans = records.plans.within(area)
    if form.cleaned_data["grid"]:
        records.plans = records.plans.filter(area__code=form.cleaned_data["grid"])
    if form.cleaned_data["category"]:
        records.plans = records.plans.filter(category=form.cleaned_data["category"])
    today = services.today()
    # The ended plans' rows only for their tab; the other tabs count them.
    show_ended = params.get("status") == Status.ENDED
    rows = selectors.day_board(records, today, ended=show_ended)
    counts = selectors.status_counts(rows)
    counts["all"] = sum(1 for r in rows if Status.ENDED not in r.statuses)
    if not show_ended:
        counts[Status.ENDED] = selectors.recently_ended(records.plans, today).count()
    return Board(area, form, rows, counts)


@login_required
def board(request):
    """今日健康监测: the key persons of a grid or a community, by status, with a check form each.

    Above a community the page is the counts per child area instead."""
    require_list(request.user, VIEW)
    found = board_for(request, request.GET)
    area, rows, counts = found.area, found.rows, found.counts
    if found.form is None:
        return redirect("monitoring_counts", code=area.code)
    status = request.GET.get("status") or Status.TODO
    if status not in dict(status_tabs()):
        raise Http404
    shown = [
        r
        for r in rows
        if (Status.ENDED not in r.statuses if status == "all" else status in r.statuses)
    ]
    shown.sort(key=row_rank)
    page = Paginator(shown, ROWS_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    page_query = query.copy()
    query.pop("status", None)
    rows = render_rows(with_check_forms(page.object_list, request.user), request)
    rest = [r for r in rows if r.may_record and r.awaits_normal_check]
    return render(
        request,
        "monitoring/board.html",
        {
            "area": area,
            "day": services.today(),
            "breadcrumbs": breadcrumbs(area),
            "filter_form": found.form,
            "tabs": [(value, label, counts[value]) for value, label in status_tabs()],
            "status": status,
            "query": query.urlencode(),
            "page": page,
            "page_query": page_query,
            "rows": rows,
            "rest_normal": rest,
            "rest_normal_items": rest_normal_items(rest),
            "can_start": request.user.has_perm(ADD_PLAN, area),
        },
    )


def counts_of_page(request):
    """The tabs' counts of the day page an htmx request was sent from, else None: a check
    recorded from a row moves that row between tabs."""
    sent_from = request.htmx.current_url_abs_path if request.htmx else None
    if not sent_from:
        return None
    url = urlsplit(sent_from)
    if url.path != reverse("monitoring_board"):
        return None
    try:
        counts = board_for(request, QueryDict(url.query)).counts
    except Http404:
        return None
    return {value: counts[value] for value, _label in status_tabs()} if counts else None


def board_row(request, plan, form=None, symptoms=False):
    """The day page's row of one plan as it stands; `form` shows a refused check again,
    `symptoms` opens the row's symptoms and note (keeping what was typed in the row, sent
    with the request for them)."""
    day = services.today()
    records = Records.visible_to(request.user)
    records.plans = records.plans.filter(pk=plan.pk)
    rows = selectors.day_board(records, day) or [selectors.BoardRow(plan, [], 0, slots_day=day)]
    row = with_check_forms(rows, request.user)[0]
    if form is not None:
        row.form = form
        row.check_uuid = form["uuid"].value() or row.check_uuid
        symptoms = symptoms or bool(form["symptoms"].value() or form["note"].value())
    if symptoms and row.may_record:
        row.symptoms = plan.category.symptoms.all()
        row.chosen = {str(pk) for pk in form["symptoms"].value()} if form is not None else set()
        if form is None:
            typed = CheckForm(request.GET, plan=plan)
            typed.is_valid()  # what passes is kept; the rest is typed again
            row.typed = typed.cleaned_data.get("temperature") or ""
            row.check_uuid = typed.cleaned_data.get("uuid") or row.check_uuid
    render_rows([row], request)
    return render(
        request,
        "monitoring/board_row.html",
        {"row": row, "tab_counts": counts_of_page(request)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def check_add(request, pk):
    """Record a check from the day page (htmx: the row comes back) or from the plan page.

    Asked for with GET, the day page's row with its symptoms open (the plan page without
    htmx), for a person who has some."""
    plan = scoped_or_404(MonitoringPlan, request.user, perm=ADD_CHECK, pk=pk)
    if request.method == "GET":
        if request.htmx:
            return board_row(request, plan, symptoms=True)
        return redirect("monitoring_plan", pk=plan.pk)
    form = CheckForm(request.POST, plan=plan, auto_id=f"p{plan.pk}_%s")
    saved = None
    if form.is_valid():
        saved = call_service(
            form, services.record_check, actor=request.user, plan=plan, **form.check_data()
        )
    if request.htmx:
        return board_row(request, plan, form=None if saved else form)
    if saved:
        messages.success(
            request,
            _("Abnormal: an alert is open until what was done is recorded.")
            if saved.abnormal
            else _("Saved."),
        )
    else:
        messages.error(request, " ".join(m for ms in form.errors.values() for m in ms))
    return redirect("monitoring_plan", pk=plan.pk)


@login_required
@require_POST
def rest_normal(request):
    """其余均正常 from the day page: after the worker's one confirmation, a normal check for
    each row it lists that is still due and not abnormal (`services.record_rest_normal`)."""
    user = request.user
    require_list(user, ADD_CHECK)
    form = RestNormalForm(request.POST)
    saved = None
    if form.is_valid():
        pairs = form.cleaned_data["check"]
        plans = MonitoringPlan.objects.visible_to(user, VIEW).in_bulk([pk for pk, _key in pairs])
        if len(plans) != len({pk for pk, _key in pairs}):
            raise Http404
        checks = [(plans[pk], key) for pk, key in pairs]
        saved = call_service(form, services.record_rest_normal, actor=user, checks=checks)
    if saved is not None:
        made = sum(1 for check in saved if check.created)
        messages.success(
            request,
            ngettext(
                "A normal check was recorded for %(n)d person.",
                "A normal check was recorded for %(n)d people.",
                made,
            )
            % {"n": made},
        )
    else:
        messages.error(request, " ".join(m for ms in form.errors.values() for m in ms))
    return redirect_back(request, reverse("monitoring_board"))


@require_safe
@login_required
def plan_detail(request, pk):
    user = request.user
    plan = scoped_or_404(MonitoringPlan, user, pk=pk)
    checks = (
        plan.checks.visible_to(user, VIEW_CHECKS)
        .select_related("recorded_by__worker")
        .prefetch_related("symptoms")
    )
    alerts = plan.alerts.visible_to(user, VIEW_ALERTS).select_related(
        "check_record", "closed_by__worker"
    )
    may_change = user.has_perm(CHANGE_PLAN, plan)
    return render(
        request,
        "monitoring/plan_detail.html",
        {
            "plan": plan,
            "breadcrumbs": breadcrumbs(plan.area),
            "checks": checks,
            "alerts": alerts,
            "check_form": CheckForm(plan=plan)
            if plan.is_open_on(services.today()) and user.has_perm(ADD_CHECK, plan)
            else None,
            "disposition_form": DispositionForm() if user.has_perm(CHANGE_ALERT, plan) else None,
            "stop_form": StopForm() if may_change and not plan.stopped_on else None,
            "report_url": request.build_absolute_uri(report_url(plan)) if may_change else None,
            "history": MonitoringPlan.objects.visible_to(user, VIEW)
            .filter(resident=plan.resident_id)
            .exclude(pk=plan.pk)
            .select_related("category"),
        },
    )


def plan_form_page(request, form, *, title, place, **arguments):
    return form_page(
        request,
        form,
        services.start_plan,
        title=title,
        page_area=place.area,
        done=lambda plan: reverse("monitoring_plan", args=[plan.pk]),
        **arguments,
    )


def visible_workers(user):
    return (
        Worker.objects.visible_to(user, "areas.view_worker").filter(is_active=True).order_by("name")
    )


@login_required
def plan_create(request, pk):
    resident = scoped_or_404(Resident, request.user, perm=ADD_PLAN, pk=pk)
    form = PlanForm(request.POST or None, workers=visible_workers(request.user))
    title = _("Start monitoring %(name)s") % {"name": resident.name}
    return plan_form_page(request, form, title=title, place=resident, resident=resident)


@login_required
def newcomer_plan_create(request, pk):
    """Register a person not yet in the registry in this household and monitor them."""
    household = scoped_or_404(Household, request.user, perm="people.add_resident", pk=pk)
    require_perm(request.user, ADD_PLAN, household)
    form = NewcomerPlanForm(
        request.POST or None, workers=visible_workers(request.user), household=household
    )
    title = _("Register and monitor a newcomer in %(h)s") % {"h": household}
    return plan_form_page(request, form, title=title, place=household)


@login_required
@require_POST
def plan_stop(request, pk):
    plan = scoped_or_404(MonitoringPlan, request.user, perm=CHANGE_PLAN, pk=pk)
    form = StopForm(request.POST)
    if form.is_valid() and call_service(
        form,
        services.stop_plan,
        actor=request.user,
        plan=plan,
        reason=form.cleaned_data["stop_reason"],
        stopped_on=form.cleaned_data["stopped_on"],
    ):
        messages.success(request, _("The monitoring has been stopped."))
    else:
        messages.error(request, " ".join(m for ms in form.errors.values() for m in ms))
    return redirect("monitoring_plan", pk=plan.pk)


@login_required
@require_POST
def report_link_renew(request, pk):
    plan = scoped_or_404(MonitoringPlan, request.user, perm=CHANGE_PLAN, pk=pk)
    services.renew_report_link(actor=request.user, plan=plan)
    messages.success(request, _("A new link has been made; the old one no longer works."))
    return redirect("monitoring_plan", pk=plan.pk)


@login_required
def alert_list(request):
    """Open alerts of the user's areas, oldest first: each waits for what was done."""
    user = request.user
    require_list(user, VIEW_ALERTS)
    area = within_area(request)
    alerts = Alert.objects.visible_to(user, VIEW_ALERTS)
    if area:
        alerts = alerts.within(area)
    show_closed = request.GET.get("closed") == "1"
    alerts = (
        alerts.filter(closed_at__isnull=False) if show_closed else selectors.open_alerts(alerts)
    )
    # How many in all (the home page's count), the oldest ALERTS_SHOWN of them on the page.
    total = alerts.count()
    alerts = alerts.select_related(
        "plan__resident", "plan__category", "check_record", "area"
    ).order_by("-opened_at" if show_closed else "opened_at")[:ALERTS_SHOWN]
    may_dispose = {}
    for alert in alerts:
        if alert.area_path not in may_dispose:
            may_dispose[alert.area_path] = user.has_perm(CHANGE_ALERT, alert)
        alert.may_dispose = may_dispose[alert.area_path]
    return render(
        request,
        "monitoring/alert_list.html",
        {
            "alerts": alerts,
            "total": total,
            "area": area,
            "show_closed": show_closed,
            "form": DispositionForm(),
        },
    )


@login_required
@require_POST
def alert_dispose(request, pk):
    alert = scoped_or_404(Alert, request.user, perm=CHANGE_ALERT, pk=pk)
    done, form = dispose_posted(request, DispositionForm, services.dispose_alert, alert)
    if not done:
        messages.error(request, " ".join(m for ms in form.errors.values() for m in ms))
    return redirect_back(request, reverse("monitoring_plan", args=[alert.plan_id]))


@login_required
def area_counts(request, code):
    """A township's or county's day: per child area, plans, checks due and done, missed, abnormal."""
    user = request.user
    area = scoped_or_404(Area, user, code=code)
    require_perm(user, VIEW, area)
    day, day_error = parse_day(request.GET.get("day"), services.today(), dates.RECORDED_DAY)
    children = list(monitored_areas(user).filter(parent=area).order_by("code")) or [area]
    figures = selectors.area_day_counts(Records.visible_to(user), children, day)
    total = selectors.AreaDay(area)
    for f in figures:
        for name in ("plans", "due", "done", "missed", "abnormal", "open_alerts"):
            setattr(total, name, getattr(total, name) + getattr(f, name))
    return render(
        request,
        "monitoring/area_counts.html",
        {
            "area": area,
            "day": day,
            "day_error": day_error,
            "breadcrumbs": breadcrumbs(area),
            "figures": figures,
            "total": total,
            "board_levels": BOARD_LEVELS,
        },
    )


def masked_name(name):
    return name[:1] + "*" * max(1, len(name) - 1)


def self_report(request, token):
    """The page a monitored person opens from their link or QR code, with no login."""
    link = open_link(token)
    if link is None:
        raise Http404
    plan = link.plan
    day = services.today()
    is_open = plan.is_open_on(day)
    form = CheckForm(request.POST or None, plan=plan)
    # The link is public: a flood of posts (a script, a shared QR code) is refused before
    # anything is read or written.
    wait = seconds_until_allowed(request, plan) if request.method == "POST" else 0
    if wait:
        form = CheckForm(plan=plan)
    if request.method == "POST" and not wait and is_open and form.is_valid():
        data = form.check_data()
        values = (plan, day, data["temperature"], data["symptoms"], data["note"])
        saved = call_service(
            form,
            services.record_self_report,
            token=token,
            temperature=data["temperature"],
            symptoms=data["symptoms"],
            note=data["note"],
            # A post without the form's identifier: the same values today are one check.
            uuid=data["uuid"] or retry_uuid(*values),
        )
        if saved:
            messages.success(
                request,
                _("Thank you. Your worker has been told; please stay at home and wait for a call.")
                if saved.abnormal
                else _("Thank you, your report has been recorded."),
            )
            return redirect("self_report", token=token)
    response = render(
        request,
        "monitoring/self_report.html",
        {
            "plan": plan,
            "name": masked_name(plan.resident.name),
            "day": day,
            "is_open": is_open,
            "form": form,
            "today_checks": link.checks.filter(day=day).order_by("slot", "recorded_at"),
            "refused": _(
                "Too many reports were sent from this link or this network. Nothing was "
                "recorded; please try again in an hour."
            )
            if wait
            else "",
        },
        status=429 if wait else 200,
    )
    if wait:
        response["Retry-After"] = str(wait)
    return response
