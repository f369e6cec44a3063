"""Pages of facilities: the list with each one's state now, registering and changing one,
its page (state, reason, history, disinfection), suspending and reopening it by hand, and
the door counter a phone at the door taps; the disinfection logs and logging one."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fangkong.areas.models import Area
from fangkong.areas.selectors import breadcrumbs
from fangkong.checkpoints.models import Checkpoint
from fangkong.checkpoints.permissions import VIEW as VIEW_CHECKPOINT
from fangkong.facilities import selectors, services
from fangkong.facilities.filters import DisinfectionFilter, FacilityFilter
from fangkong.facilities.forms import (
    DisinfectionForm,
    FacilityEditForm,
    FacilityForm,
    ReasonForm,
    TapForm,
)
from fangkong.facilities.models import DisinfectionLog, Facility
from fangkong.facilities.permissions import (
    COUNT_VISITS,
    LOG_DISINFECTION,
    MANAGE_FACILITY,
    SUSPEND_FACILITY,
    VIEW_DISINFECTION,
    VIEW_FACILITY,
)
from fangkong.response.models import RiskLevel
from fangkong.response.selectors import level_at
from fangkong.web import (
    call_service,
    chosen_place,
    paged,
    require_list,
    scoped_or_404,
    without_page,
)

RECENT = 10
MOST_AREAS = 300


def places_of(user, perm):
    """The communities and grids where the user holds `perm` (their roles' subtrees)."""
    return list(
        Area.objects.visible_to(user, perm)
        .filter(level__in=services.PLACE_LEVELS)
        .order_by("path")[:MOST_AREAS]
    )


def checkpoints_near(user, area):
    """The checkpoints the user sees in the community of `area`: a facility's door may be one."""
    community = area if area.level == "community" else area.parent
    return (
        Checkpoint.objects.visible_to(user, VIEW_CHECKPOINT).within(community).order_by("name")
        if user.has_perm(VIEW_CHECKPOINT)
        else Checkpoint.objects.none()
    )


@login_required
def facility_list(request):
    user = request.user
    require_list(user, VIEW_FACILITY)
    found = FacilityFilter(request.GET, selectors.facilities(user), request=request)
    page = paged(request, found.qs)
    selectors.with_state(page.object_list)
    return render(
        request,
        "facilities/facilities.html",
        {
            "page": page,
            "query": without_page(request),
            "filter": found,
            "may_register": user.has_perm(MANAGE_FACILITY),
            "may_log": user.has_perm(LOG_DISINFECTION),
        },
    )


@login_required
def facility_new(request):
    user = request.user
    areas, area = chosen_place(request, places_of(user, MANAGE_FACILITY))
    form = FacilityForm(request.POST or None, checkpoints=checkpoints_near(user, area))
    if request.method == "POST" and form.is_valid():
        facility = call_service(
            form, services.register_facility, actor=user, area=area, **form.cleaned_data
        )
        if facility:
            messages.success(request, _("Facility registered."))
            return redirect("facility_detail", pk=facility.pk)
    return render(
        request,
        "facilities/facility_form.html",
        {
            "form": form,
            "areas": areas,
            "area": area,
            "level": RiskLevel(level_at(area)),
            "title": _("Register a facility"),
        },
    )


@login_required
def facility_edit(request, pk):
    user = request.user
    facility = scoped_or_404(Facility, user, perm=MANAGE_FACILITY, pk=pk)
    initial = {name: getattr(facility, name) for name in services.EDITABLE}
    form = FacilityEditForm(
        request.POST or None, initial=initial, checkpoints=checkpoints_near(user, facility.area)
    )
    if (
        request.method == "POST"
        and form.is_valid()
        and call_service(
            form, services.change_facility, actor=user, facility=facility, **form.cleaned_data
        )
    ):
        messages.success(request, _("Saved."))
        return redirect("facility_detail", pk=pk)
    return render(
        request,
        "form.html",
        {"form": form, "area": facility.area, "title": _("Change %(f)s") % {"f": facility}},
    )


@login_required
def facility_detail(request, pk):
    user = request.user
    facility = selectors.with_current_state(scoped_or_404(Facility, user, pk=pk))
    logs = (
        selectors.disinfections(user).filter(facility=facility)[:RECENT]
        if user.has_perm(VIEW_DISINFECTION, facility)
        else []
    )
    changes = facility.changes.visible_to(user, VIEW_FACILITY).select_related("changed_by")
    return render(
        request,
        "facilities/facility.html",
        {
            "facility": facility,
            "breadcrumbs": breadcrumbs(facility.area),
            "taps": selectors.taps_today(facility),
            "logs": logs,
            "changes": changes[:RECENT],
            "may_manage": user.has_perm(MANAGE_FACILITY, facility),
            "may_suspend": user.has_perm(SUSPEND_FACILITY, facility),
            "may_count": user.has_perm(COUNT_VISITS, facility),
            "may_log": user.has_perm(LOG_DISINFECTION, facility),
            "reason_form": ReasonForm(),
        },
    )


def _suspension(request, pk, service, saved):
    user = request.user
    facility = scoped_or_404(Facility, user, perm=SUSPEND_FACILITY, pk=pk)
    form = ReasonForm(request.POST)
    if form.is_valid() and call_service(
        form, service, actor=user, facility=facility, reason=form.cleaned_data["reason"]
    ):
        messages.success(request, saved)
    else:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return redirect("facility_detail", pk=pk)


@login_required
@require_POST
def facility_suspend(request, pk):
    return _suspension(request, pk, services.suspend_facility, _("Facility suspended."))


@login_required
@require_POST
def facility_reopen(request, pk):
    return _suspension(request, pk, services.reopen_facility, _("Facility reopened."))


@login_required
def facility_door(request, pk):
    """The counter a phone at the door taps: +1 in, -1 out, who is inside now against the
    most it may hold, "full" at the limit. Each tap carries the uuid the page was shown
    with, so a tap sent twice (a double tap, a retry) counts once; the page is shown again
    with a new one."""
    user = request.user
    facility = scoped_or_404(Facility, user, perm=COUNT_VISITS, pk=pk)
    form = TapForm(request.POST or None)
    errors = []
    if request.method == "POST":
        if form.is_valid() and call_service(
            form,
            services.count_visit,
            actor=user,
            facility=facility,
            change=form.cleaned_data["change"],
            client_uuid=form.cleaned_data["client_uuid"],
        ):
            return redirect("facility_door", pk=pk)
        errors = [e for field_errors in form.errors.values() for e in field_errors]
    selectors.with_current_state(facility)
    return render(
        request,
        "facilities/door.html",
        {
            "facility": facility,
            "form": TapForm(),
            "errors": errors,
            "taps": selectors.taps_today(facility),
        },
        status=400 if errors else 200,
    )


# ----------------------------------------------------------------------- disinfection


@login_required
def disinfection_list(request):
    user = request.user
    require_list(user, VIEW_DISINFECTION)
    found = DisinfectionFilter(request.GET, selectors.disinfections(user), request=request)
    return render(
        request,
        "facilities/disinfections.html",
        {
            "page": paged(request, found.qs),
            "query": without_page(request),
            "filter": found,
            "may_log": user.has_perm(LOG_DISINFECTION),
        },
    )


@login_required
def disinfection_new(request):
    """Log a disinfection in a community or grid: of one of its facilities, or of a place or
    shared items named in words."""
    user = request.user
    areas, area = chosen_place(request, places_of(user, LOG_DISINFECTION))
    facilities = selectors.facilities(user, LOG_DISINFECTION).filter(area=area)
    chosen = request.GET.get("facility")
    initial = {"disinfected_by": getattr(getattr(user, "worker", None), "name", "")}
    if chosen and chosen.isdigit():
        initial["facility"] = facilities.filter(pk=chosen).first()
    form = DisinfectionForm(request.POST or None, initial=initial, facilities=facilities)
    if request.method == "POST" and form.is_valid():
        log = call_service(
            form, services.log_disinfection, actor=user, area=area, **form.cleaned_data
        )
        if log:
            messages.success(request, _("Disinfection logged."))
            if log.facility_id:
                return redirect("facility_detail", pk=log.facility_id)
            return redirect("disinfection_detail", pk=log.pk)
    return render(
        request,
        "facilities/disinfection_form.html",
        {
            "form": form,
            "areas": areas,
            "area": area,
            "level": RiskLevel(level_at(area)),
        },
    )


@login_required
def disinfection_detail(request, pk):
    log = scoped_or_404(DisinfectionLog, request.user, pk=pk)
    return render(
        request,
        "facilities/disinfection.html",
        {"log": log, "breadcrumbs": breadcrumbs(log.area)},
    )
