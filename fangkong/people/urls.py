from django.urls import path

from fangkong.people import identity_views, import_views, views

urlpatterns = [
    path("buildings/<int:pk>/", views.building_detail, name="building_detail"),
    path("buildings/<int:pk>/households/new/", views.household_create, name="household_create"),
    path("households/<int:pk>/", views.household_detail, name="household_detail"),
    path("households/<int:pk>/residents/new/", views.resident_create, name="resident_create"),
    path("residents/<int:pk>/", views.resident_detail, name="resident_detail"),
    path("residents/<int:pk>/reveal/", identity_views.resident_reveal, name="resident_reveal"),
    path("residents/", views.resident_list, name="resident_list"),
    path("residents/export/", views.resident_export, name="resident_export"),
    path("residents/<int:pk>/edit/", views.resident_edit, name="resident_edit"),
    path("residents/<int:pk>/move/", views.resident_move, name="resident_move"),
    path("residents/<int:pk>/status/", views.resident_status, name="resident_status"),
    path("residents/<int:pk>/key-groups/", views.key_group_add, name="key_group_add"),
    path(
        "residents/<int:pk>/suggestions/dismiss/",
        views.suggestion_dismiss,
        name="suggestion_dismiss",
    ),
    path("households/", views.household_list, name="household_list"),
    path("households/export/", views.household_export, name="household_export"),
    path("households/assign/", views.household_assign, name="household_assign"),
    path("households/<int:pk>/edit/", views.household_edit, name="household_edit"),
    path("key-groups/", views.key_group_list, name="key_group_list"),
    path("key-groups/export/", views.key_group_export, name="key_group_export"),
    path("key-groups/<int:pk>/end/", views.key_group_end, name="key_group_end"),
    path("areas/<areacode:code>/key-groups/", views.key_group_summary, name="key_group_summary"),
    # Resident import (摸排表导入): fangkong/people/import_views.py
    path(
        "areas/<areacode:code>/residents/import/",
        import_views.resident_import,
        name="resident_import",
    ),
    path(
        "areas/<areacode:code>/residents/import/template/",
        import_views.resident_import_template,
        name="resident_import_template",
    ),
    path("imports/<int:pk>/", import_views.resident_import_job, name="resident_import_job"),
    path(
        "imports/<int:pk>/confirm/",
        import_views.resident_import_commit,
        name="resident_import_commit",
    ),
    path(
        "imports/<int:pk>/columns/",
        import_views.resident_import_columns,
        name="resident_import_columns",
    ),
    path(
        "imports/<int:pk>/cancel/",
        import_views.resident_import_cancel,
        name="resident_import_cancel",
    ),
    path(
        "imports/<int:pk>/rejected/",
        import_views.resident_import_rejected,
        name="resident_import_rejected",
    ),
]
