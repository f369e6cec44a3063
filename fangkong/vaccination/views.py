"""Pages of workers' vaccination: a worker's doses and exemptions (recorded there), the
list of who is due for a dose, an area's coverage per role and a county's dose intervals.
All of it is health data: only those who manage workers see it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fangkong.areas.models import Area, Level
from fangkong.areas.selectors import breadcrumbs, workers_of_areas
from fangkong.training.views import grouping_of
from fangkong.vaccination import rules, selectors, services
from fangkong.vaccination.forms import DoseForm, ExemptionForm, IntervalForm
from fangkong.vaccination.models import Vaccination, VaccinationExemption, Vaccine
from fangkong.vaccination.permissions import (
    RECORD_VACCINATION,
    SET_INTERVALS,
    VIEW_INTERVALS,
    VIEW_VACCINATION,
)
from fangkong.web import call_service, require_list, require_perm, scoped_or_404, without_page

PER_PAGE = 50


def worker_or_404(user, pk):
    """A worker of the user's areas (else 404) whose vaccination the user may read (else
    403: the worker is seen, their health data is not)."""
    worker = get_object_or_404(workers_of_areas(user).select_related("area"), pk=pk)
    require_perm(user, VIEW_VACCINATION, worker)
    return worker


def worker_page(request, worker, dose_form=None, exemption_form=None):
    user = request.user
    may = user.has_perm(RECORD_VACCINATION, worker)
    status = selectors.status_of(worker)
    doses = list(selectors.doses(user).filter(worker=worker).order_by("dose_number"))
    return render(
        request,
        "vaccination/worker.html",
        {
            "worker": worker,
            "breadcrumbs": breadcrumbs(worker.area),
            "status": status,
            "doses": doses,
            "exemptions": list(selectors.exemptions(user).filter(worker=worker)),
            "today_exemption": status.exemption,
            "may_act": may,
            "dose_form": dose_form
            or (DoseForm(initial={"dose_number": len(doses) + 1}) if may else None),
            "exemption_form": exemption_form or (ExemptionForm() if may else None),
        },
    )


@login_required
def worker_vaccination(request, pk):
    """A worker's doses, exemptions and when the next dose is due."""
    return worker_page(request, worker_or_404(request.user, pk))


@login_required
@require_POST
def dose_new(request, pk):
    user = request.user
    worker = worker_or_404(user, pk)
    if not user.has_perm(RECORD_VACCINATION, worker):
        raise PermissionDenied
    form = DoseForm(request.POST)
    if form.is_valid() and call_service(
        form, services.record_dose, actor=user, worker=worker, **form.cleaned_data
    ):
        messages.success(request, _("Dose recorded."))
        return redirect("worker_vaccination", pk=pk)
    return worker_page(request, worker, dose_form=form)


@login_required
@require_POST
def dose_remove(request, pk):
    user = request.user
    dose = scoped_or_404(Vaccination, user, perm=RECORD_VACCINATION, pk=pk)
    form = DoseForm()
    if call_service(form, services.remove_dose, actor=user, dose=dose):
        messages.success(request, _("Dose removed."))
    else:
        messages.error(request, " ".join(form.non_field_errors()))
    return redirect("worker_vaccination", pk=dose.worker_id)


@login_required
@require_POST
def exemption_new(request, pk):
    user = request.user
    worker = worker_or_404(user, pk)
    if not user.has_perm(RECORD_VACCINATION, worker):
        raise PermissionDenied
    form = ExemptionForm(request.POST)
    if form.is_valid() and call_service(
        form, services.record_exemption, actor=user, worker=worker, **form.cleaned_data
    ):
        messages.success(request, _("Exemption recorded."))
        return redirect("worker_vaccination", pk=pk)
    return worker_page(request, worker, exemption_form=form)


@login_required
@require_POST
def exemption_end(request, pk):
    user = request.user
    exemption = scoped_or_404(VaccinationExemption, user, perm=RECORD_VACCINATION, pk=pk)
    form = ExemptionForm()
    if call_service(form, services.end_exemption, actor=user, exemption=exemption):
        messages.success(request, _("Exemption ended."))
    else:
        messages.error(request, " ".join(form.non_field_errors()))
    return redirect("worker_vaccination", pk=exemption.worker_id)


def ahead_of(request):
    text = request.GET.get("days", "")
    days = int(text) if text.isdigit() and len(text) < 4 else 0
    return min(days, selectors.MOST_DAYS_AHEAD)


@login_required
def vaccination_due(request, code):
    """Who of the area is due for the next dose (within the days asked), or in another
    state: not vaccinated, exempt …"""
    user = request.user
    area = scoped_or_404(Area, user, perm=VIEW_VACCINATION, code=code)
    state = request.GET.get("state")
    state = state if state in dict(selectors.STATES) else selectors.DUE
    ahead = ahead_of(request)
    found = selectors.due_list(user, area, state=state, ahead=ahead)
    return render(
        request,
        "vaccination/due.html",
        {
            "area": area,
            "breadcrumbs": breadcrumbs(area),
            "page": Paginator(found, PER_PAGE).get_page(request.GET.get("page")),
            "query": without_page(request),
            "state": state,
            "states": selectors.STATES,
            "days": ahead,
        },
    )


@login_required
def vaccination_coverage(request, code):
    user = request.user
    area = scoped_or_404(Area, user, perm=VIEW_VACCINATION, code=code)
    by = grouping_of(request)
    found = selectors.coverage(user, area, selectors.children_of(user, area), by=by)
    return render(
        request,
        "vaccination/coverage.html",
        {
            "area": area,
            "breadcrumbs": breadcrumbs(area),
            "coverage": found,
            "marks": selectors.MARKS,
            "by": by,
            "query": request.GET.urlencode(),
        },
    )


@login_required
def dose_intervals(request, code):
    """A county's dose intervals per vaccine and dose (its own or the default); a supervisor
    sets one."""
    user = request.user
    area = scoped_or_404(Area, user, perm=VIEW_INTERVALS, code=code)
    if area.level != Level.COUNTY:
        raise PermissionDenied(_("Dose intervals are set for a county."))
    may_set = user.has_perm(SET_INTERVALS, area)
    form = IntervalForm(request.POST or None) if may_set else None
    if request.method == "POST":
        if not may_set:
            raise PermissionDenied
        if form.is_valid() and call_service(
            form, services.set_interval, actor=user, area=area, **form.cleaned_data
        ):
            messages.success(request, _("Saved."))
            return redirect("dose_intervals", code=code)
    intervals = rules.intervals_for(area.path)
    rows = [
        (Vaccine(vaccine).label, after, days)
        for (vaccine, after), days in sorted(intervals.items())
    ]
    return render(
        request,
        "vaccination/intervals.html",
        {"area": area, "breadcrumbs": breadcrumbs(area), "rows": rows, "form": form},
    )


@login_required
def vaccination_home(request):
    """The due list of the user's first area where they may see vaccination."""
    user = request.user
    require_list(user, VIEW_VACCINATION)
    area = (
        Area.objects.visible_to(user, VIEW_VACCINATION)
        .filter(
            level__in=(Level.COUNTY, Level.TOWNSHIP, Level.COMMUNITY, Level.PROVINCE, Level.CITY)
        )
        .order_by("path")
        .first()
    )
    if area is None:
        raise PermissionDenied(_("Your role cannot see this list."))
    return redirect("vaccination_due", code=area.code)
