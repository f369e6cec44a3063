"""The project's routes plus views that forget the scope or the permission, to prove the route
walker fails them (tests/areas/test_scope_routes.py)."""

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import path
from django.views.decorators.http import require_POST

from fangkong.areas.models import Building
from fangkong.people.models import Resident
from fangkong.urls import urlpatterns as project_urlpatterns
from fangkong.web import scoped_or_404
from tests.world import every


def leaky_building(request, pk):
    # No scope at all.
    return HttpResponse(get_object_or_404(every(Building), pk=pk).name)


def leaky_residents(request):
    # The scope, but of a permission every role holds: a volunteer lists residents.
    residents = Resident.objects.visible_to(request.user, "areas.view_area")
    return HttpResponse(", ".join(residents.values_list("name", flat=True)))


def leaky_resident(request, pk):
    # The same for one record: a volunteer opens a resident's page.
    residents = Resident.objects.visible_to(request.user, "areas.view_area")
    return HttpResponse(get_object_or_404(residents, pk=pk).name)


@require_POST
def leaky_building_rename(request, pk):
    # The record is fetched in view, but the change is not checked (areas.change_building).
    building = scoped_or_404(Building, request.user, pk=pk)
    return HttpResponse(building.name)


urlpatterns = [
    *project_urlpatterns,
    path("leaky/buildings/<int:pk>/", leaky_building, name="leaky_building"),
    path("leaky/residents/", leaky_residents, name="leaky_residents"),
    path("leaky/residents/<int:pk>/", leaky_resident, name="leaky_resident"),
    path("leaky/buildings/<int:pk>/rename/", leaky_building_rename, name="leaky_building_rename"),
]
