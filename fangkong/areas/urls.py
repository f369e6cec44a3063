from django.urls import path, register_converter

from fangkong.areas import views
from fangkong.areas.models import AREA_CODE


class AreaCodeConverter:
    """Only text shaped like a code reaches a view: anything else is a plain 404."""

    regex = AREA_CODE.pattern

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(AreaCodeConverter, "areacode")

urlpatterns = [
    path("", views.home, name="home"),
    path("areas/import/", views.area_import, name="area_import"),
    path("areas/import/template/", views.area_import_template, name="area_import_template"),
    path("areas/<areacode:code>/", views.area_detail, name="area_detail"),
    path("areas/<areacode:code>/edit/", views.area_edit, name="area_edit"),
    path("areas/<areacode:code>/grids/new/", views.grid_create, name="grid_create"),
    path("areas/<areacode:code>/buildings/new/", views.building_create, name="building_create"),
    path("buildings/<int:pk>/edit/", views.building_edit, name="building_edit"),
    path("workers/", views.worker_list, name="worker_list"),
    path("workers/new/", views.worker_create, name="worker_create"),
    path("workers/<int:pk>/", views.worker_detail, name="worker_detail"),
    path("workers/<int:pk>/edit/", views.worker_edit, name="worker_edit"),
    path("workers/<int:pk>/role-kinds/", views.worker_role_kinds, name="worker_role_kinds"),
    path("roles/<int:pk>/revoke/", views.role_revoke, name="role_revoke"),
]
