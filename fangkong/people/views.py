from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from fangkong.areas.models import Building
from fangkong.areas.selectors import breadcrumbs
from fangkong.people import services
from fangkong.people.forms import HouseholdForm, ResidentForm
from fangkong.people.models import Household, Resident
from fangkong.people.selectors import households_with_counts
from fangkong.web import call_service, require_perm, scoped_or_404


@login_required
def building_detail(request, pk):
    building = scoped_or_404(Building, request.user, pk=pk)
    return render(
        request,
        "people/building_detail.html",
        {
            "building": building,
            "breadcrumbs": breadcrumbs(building.area),
            "households": households_with_counts(building),
            "can_edit": request.user.has_perm("areas.change_building", building),
            "can_add_household": request.user.has_perm("people.add_household", building),
        },
    )


@login_required
def household_create(request, pk):
    building = scoped_or_404(Building, request.user, pk=pk)
    require_perm(request.user, "people.add_household", building)
    form = HouseholdForm(request.POST or None)
    if form.is_valid():
        household = call_service(
            form,
            services.create_household,
            actor=request.user,
            building=building,
            **form.cleaned_data,
        )
        if household:
            messages.success(request, _("Saved."))
            return redirect("household_detail", pk=household.pk)
    return render(
        request,
        "areas/form.html",
        {
            "form": form,
            "area": building.area,
            "title": _("Add a household to %(b)s") % {"b": building},
        },
    )


@login_required
def household_detail(request, pk):
    household = scoped_or_404(Household, request.user, pk=pk)
    return render(
        request,
        "people/household_detail.html",
        {
            "household": household,
            "breadcrumbs": breadcrumbs(household.area),
            "residents": household.residents.order_by("id"),
            "can_add_resident": request.user.has_perm("people.add_resident", household),
        },
    )


@login_required
def resident_create(request, pk):
    household = scoped_or_404(Household, request.user, pk=pk)
    require_perm(request.user, "people.add_resident", household)
    form = ResidentForm(request.POST or None)
    if form.is_valid():
        resident = call_service(
            form,
            services.register_resident,
            actor=request.user,
            household=household,
            **form.cleaned_data,
        )
        if resident:
            messages.success(request, _("Saved."))
            return redirect("household_detail", pk=household.pk)
    return render(
        request,
        "areas/form.html",
        {
            "form": form,
            "area": household.area,
            "title": _("Add a member to %(h)s") % {"h": household},
        },
    )


@login_required
def resident_detail(request, pk):
    resident = scoped_or_404(Resident, request.user, pk=pk)
    return render(
        request,
        "people/resident_detail.html",
        {"resident": resident, "breadcrumbs": breadcrumbs(resident.area)},
    )
