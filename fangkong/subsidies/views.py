"""Pages of subsidies: the list to review (with its totals and the official table), computing
an area's period, a subsidy with the days the records give, its review, a county's rules."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fangkong.areas.models import Area, Level
from fangkong.areas.selectors import breadcrumbs
from fangkong.audit.services import record
from fangkong.response.models import LEVEL_OF_RANK, RiskLevel
from fangkong.scope import system_scope
from fangkong.spreadsheets import xlsx_response
from fangkong.subsidies import computation, periods, selectors, services, tables
from fangkong.subsidies.filters import SubsidyFilter
from fangkong.subsidies.forms import AdjustForm, ComputeForm, RuleForm
from fangkong.subsidies.models import Subsidy
from fangkong.subsidies.permissions import COMPUTE, REVIEW, SET_RULES, VIEW, VIEW_RULES
from fangkong.web import call_service, paged, require_list, scoped_or_404, without_page

MOST_AREAS = 300
MOST_EXPORTED = 20000


def areas_of(user, perm):
    """The counties, townships and communities the user may compute (their roles' subtrees)."""
    return list(
        Area.objects.visible_to(user, perm)
        .filter(level__in=services.COMPUTED_LEVELS)
        .order_by("path")[:MOST_AREAS]
    )


def list_query(area, computed):
    return urlencode(
        {"within": area.code, "period": computed.period, "period_start": computed.start}
    )


@login_required
def subsidy_list(request):
    user = request.user
    require_list(user, VIEW)
    found = SubsidyFilter(request.GET, selectors.subsidies(user), request=request)
    records = found.qs.order_by("-period_start", "area_path", "worker__name", "id")
    page = paged(request, records)
    data = found.form.cleaned_data if found.form.is_valid() else {}
    one_period = bool(data.get("within") and data.get("period") and data.get("period_start"))
    return render(
        request,
        "subsidies/list.html",
        {
            "page": page,
            "query": without_page(request),
            "filter": found,
            "totals": selectors.totals(records),
            "one_period": one_period,
            "may_compute": user.has_perm(COMPUTE),
            "may_review": one_period and user.has_perm(REVIEW),
            "export_query": request.GET.urlencode(),
        },
    )


@login_required
def subsidy_compute(request):
    """Compute the subsidies of an area for the period of a day (the county's rule says
    month or quarter); the list of that period follows."""
    user = request.user
    areas = areas_of(user, COMPUTE)
    if not areas:
        raise PermissionDenied(_("You may not do this here."))
    code = request.POST.get("area") or request.GET.get("area") or areas[0].code
    area = next((a for a in areas if a.code == code), areas[0])
    form = ComputeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        computed = call_service(
            form, services.compute, actor=user, area=area, day=form.cleaned_data["day"]
        )
        if computed:
            messages.success(
                request,
                _(
                    "%(period)s computed: %(created)d new, %(updated)d updated, "
                    "%(removed)d removed, %(kept)d already approved."
                )
                % {
                    "period": computed.label,
                    "created": computed.created,
                    "updated": computed.updated,
                    "removed": computed.removed,
                    "kept": computed.kept,
                },
            )
            return redirect(reverse("subsidy_list") + "?" + list_query(area, computed))
    return render(
        request,
        "subsidies/compute.html",
        {
            "form": form,
            "areas": areas,
            "area": area,
            "rule": services.rule_in_force(area, timezone.localdate()),
        },
    )


def days_of(subsidy):
    """The raised days the records give for the subsidy's worker and period (as a list to
    show), with the names of the areas served in."""
    last = min(subsidy.period_end, timezone.localdate())
    found = computation.served(subsidy.area, subsidy.period_start, last, worker=subsidy.worker).get(
        subsidy.worker_id
    )
    days = found.ordered() if found else []
    with system_scope():  # the names of the areas the worker served in, as on a roster
        names = dict(
            Area.objects.filter(path__in={d.area_path for d in days}).values_list("path", "name")
        )
    sources = {computation.ROSTER: _("duty roster"), computation.ROLE: _("role in the area")}
    return [
        {
            "day": d.day,
            "level": RiskLevel(LEVEL_OF_RANK[d.rank]),
            "area": names.get(d.area_path, ""),
            "source": sources[d.source],
        }
        for d in days
    ]


@login_required
def subsidy_detail(request, pk):
    user = request.user
    subsidy = scoped_or_404(Subsidy, user, pk=pk)
    days = days_of(subsidy)
    high = sum(1 for d in days if d["level"] == RiskLevel.HIGH)
    may_review = user.has_perm(REVIEW, subsidy)
    return render(
        request,
        "subsidies/detail.html",
        {
            "subsidy": subsidy,
            "label": periods.label(subsidy.period, subsidy.period_start),
            "breadcrumbs": breadcrumbs(subsidy.area),
            "days": days,
            "changed": (high, len(days) - high) != (subsidy.days_high, subsidy.days_medium),
            "may_review": may_review,
            "adjust_form": AdjustForm(initial={"amount": subsidy.final_amount})
            if may_review
            else None,
        },
    )


@login_required
@require_POST
def subsidy_approve(request, pk):
    subsidy = scoped_or_404(Subsidy, request.user, perm=REVIEW, pk=pk)
    services.approve(actor=request.user, subsidy=subsidy)
    messages.success(request, _("Subsidy approved."))
    return redirect("subsidy_detail", pk=pk)


@login_required
def subsidy_adjust(request, pk):
    user = request.user
    subsidy = scoped_or_404(Subsidy, user, perm=REVIEW, pk=pk)
    form = AdjustForm(request.POST or None)
    if (
        request.method == "POST"
        and form.is_valid()
        and call_service(form, services.adjust, actor=user, subsidy=subsidy, **form.cleaned_data)
    ):
        messages.success(request, _("Subsidy adjusted."))
        return redirect("subsidy_detail", pk=pk)
    return render(
        request,
        "form.html",
        {
            "form": form,
            "area": subsidy.area,
            "title": _("Adjust the subsidy of %(w)s") % {"w": subsidy.worker},
        },
    )


@login_required
@require_POST
def subsidy_approve_all(request):
    """Approve every subsidy to review of the list's area and period."""
    user = request.user
    found = SubsidyFilter(request.POST, selectors.subsidies(user), request=request)
    data = found.form.cleaned_data if found.form.is_valid() else {}
    if not all(data.get(k) for k in ("within", "period", "period_start")):
        messages.error(request, _("Choose an area and a period first."))
        return redirect("subsidy_list")
    area = scoped_or_404(Area, user, perm=REVIEW, code=data["within"])
    count = services.approve_all(
        actor=user, area=area, period=data["period"], period_start=data["period_start"]
    )
    messages.success(request, _("%(n)d subsidies approved.") % {"n": count})
    query = urlencode({k: data[k] for k in ("within", "period", "period_start")})
    return redirect(reverse("subsidy_list") + "?" + query)


@login_required
def subsidy_export(request):
    """The official table of the list's area and period, audited as an export."""
    user = request.user
    require_list(user, VIEW)
    found = SubsidyFilter(request.GET, selectors.subsidies(user), request=request)
    data = found.form.cleaned_data if found.form.is_valid() else {}
    if not all(data.get(k) for k in ("within", "period", "period_start")):
        messages.error(request, _("Choose an area and a period first."))
        return redirect("subsidy_list")
    area = scoped_or_404(Area, user, code=data["within"])
    rows = list(
        found.qs.select_related("worker").order_by("area_path", "worker__name", "id")[
            :MOST_EXPORTED
        ]
    )
    content = tables.workbook(area, data["period"], data["period_start"], rows)
    response = xlsx_response(tables.title(area, data["period"], data["period_start"]) + ".xlsx")
    response.write(content)
    record(
        actor=user,
        action="subsidies.export",
        target=area,
        area=area,
        period=data["period"],
        period_start=data["period_start"].isoformat(),
        rows=len(rows),
    )
    return response


@login_required
def subsidy_rules(request, code):
    """A county's rules, latest first; a supervisor sets one."""
    user = request.user
    area = scoped_or_404(Area, user, perm=VIEW_RULES, code=code)
    if area.level != Level.COUNTY:
        raise PermissionDenied(_("Subsidy rules are set for a county."))
    may_set = user.has_perm(SET_RULES, area)
    form = RuleForm(request.POST or None) if may_set else None
    if request.method == "POST":
        if not may_set:
            raise PermissionDenied
        if form.is_valid() and call_service(
            form, services.set_rule, actor=user, area=area, **form.cleaned_data
        ):
            messages.success(request, _("Saved."))
            return redirect("subsidy_rules", code=code)
    return render(
        request,
        "subsidies/rules.html",
        {
            "area": area,
            "breadcrumbs": breadcrumbs(area),
            "rules": selectors.rules(user).filter(area=area),
            "form": form,
        },
    )
