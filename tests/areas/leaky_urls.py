"""The project's routes plus two that forget the scope, to prove the route walker fails them."""

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import path

from fangkong.areas.models import Building
from fangkong.urls import urlpatterns as project_urlpatterns


def leaky_building(request, pk):
    return HttpResponse(get_object_or_404(Building.all_objects, pk=pk).name)


def leaky_list(request):
    return HttpResponse(", ".join(Building.all_objects.values_list("name", flat=True)))


urlpatterns = [
    *project_urlpatterns,
    path("leaky/buildings/<int:pk>/", leaky_building, name="leaky_building"),
    path("leaky/buildings/", leaky_list, name="leaky_list"),
]
