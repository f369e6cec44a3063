from django.urls import path

from fangkong.quarantine import site_views, transfer_views, views

urlpatterns = [
    path("quarantine/", views.quarantine_list, name="quarantine_list"),
    path("quarantine/to-place/", views.quarantine_to_place, name="quarantine_to_place"),
    path("quarantine/<int:pk>/", views.quarantine, name="quarantine"),
    path("quarantine/<int:pk>/place/", views.quarantine_place, name="quarantine_place"),
    path("quarantine/<int:pk>/check-in/", views.quarantine_check_in, name="quarantine_check_in"),
    path("quarantine/<int:pk>/test/", views.quarantine_test, name="quarantine_test"),
    path("quarantine/<int:pk>/release/", views.quarantine_release, name="quarantine_release"),
    path("quarantine/<int:pk>/end/", views.quarantine_end, name="quarantine_end"),
    path("traced-persons/<int:pk>/quarantine/", views.quarantine_start, name="quarantine_start"),
    path(
        "verification/tasks/<int:pk>/quarantine/",
        views.quarantine_from_verification,
        name="quarantine_from_verification",
    ),
    path("quarantine-sites/", site_views.site_list, name="quarantine_site_list"),
    path(
        "areas/<areacode:code>/quarantine-sites/new/",
        site_views.site_add,
        name="quarantine_site_add",
    ),
    path("quarantine-sites/<int:pk>/", site_views.site, name="quarantine_site"),
    path("quarantine-sites/<int:pk>/rooms/", site_views.site_rooms, name="quarantine_site_rooms"),
    path(
        "quarantine-sites/<int:pk>/disinfect/",
        site_views.site_disinfect,
        name="quarantine_site_disinfect",
    ),
    path(
        "quarantine-sites/<int:pk>/allocate/",
        site_views.site_allocate,
        name="quarantine_site_allocate",
    ),
    path("transfers/", transfer_views.transfer_list, name="quarantine_transfer_list"),
    path(
        "areas/<areacode:code>/transfers/new/",
        transfer_views.transfer_add,
        name="quarantine_transfer_add",
    ),
    path(
        "areas/<areacode:code>/vehicles/new/",
        transfer_views.vehicle_add,
        name="quarantine_vehicle_add",
    ),
    path("transfers/<int:pk>/", transfer_views.transfer, name="quarantine_transfer"),
    path(
        "transfers/<int:pk>/notice/",
        transfer_views.transfer_notice,
        name="quarantine_transfer_notice",
    ),
    path(
        "transfers/<int:pk>/trips/", transfer_views.transfer_trip, name="quarantine_transfer_trip"
    ),
    path(
        "transfers/<int:pk>/publish/",
        transfer_views.transfer_publish,
        name="quarantine_transfer_publish",
    ),
    path(
        "transfers/<int:pk>/dispatch/",
        transfer_views.transfer_dispatch,
        name="quarantine_transfer_dispatch",
    ),
    path(
        "transfers/<int:pk>/arrive/",
        transfer_views.transfer_arrive,
        name="quarantine_transfer_arrive",
    ),
]
