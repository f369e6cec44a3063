from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from fangkong.areas.models import Building
from fangkong.areas.selectors import breadcrumbs
from fangkong.people import services
from fangkong.people.forms import HouseholdForm, ResidentForm
from fangkong.people.models import Household, Resident
from fangkong.people.selectors import households_with_counts
from fangkong.web import form_page, require_perm, scoped_or_404


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
    return form_page(
        request,
        HouseholdForm(request.POST or None),
        services.create_household,
        title=_("Add a household to %(b)s") % {"b": building},
        page_area=building.area,
        done=lambda household: reverse("household_detail", args=[household.pk]),
        building=building,
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
    return form_page(
        request,
        ResidentForm(request.POST or None),
        services.register_resident,
        title=_("Add a member to %(h)s") % {"h": household},
        page_area=household.area,
        done=lambda resident: reverse("household_detail", args=[household.pk]),
        household=household,
    )


@login_required
def resident_detail(request, pk):
    resident = scoped_or_404(Resident, request.user, pk=pk)
    return render(
        request,
        "people/resident_detail.html",
        {"resident": resident, "breadcrumbs": breadcrumbs(resident.area)},
    )
