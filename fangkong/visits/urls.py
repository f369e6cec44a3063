from django.urls import path

from fangkong.visits import care_views, views

urlpatterns = [
    path("visits/", views.visit_list, name="visit_list"),
    path("visits/due/", views.visit_due, name="visit_due"),
    path("households/<int:pk>/visits/new/", views.visit_record, name="visit_record"),
    path("patrols/", views.patrol_list, name="patrol_list"),
    path("patrols/new/", views.patrol_new, name="patrol_new"),
    path("patrols/<int:pk>/photo/", views.patrol_photo, name="patrol_photo"),
    path("areas/<areacode:code>/visits/", views.visit_coverage, name="visit_coverage"),
    path("areas/<areacode:code>/visits/cycle/", views.visit_cycle, name="visit_cycle"),
    path("care-visits/", care_views.care_visit_list, name="care_visit_list"),
    path("care-visits/due/", care_views.care_due, name="care_due"),
    path(
        "residents/<int:pk>/care-visits/new/",
        care_views.care_visit_record,
        name="care_visit_record",
    ),
    path(
        "areas/<areacode:code>/care-plans/make/", care_views.care_plans_make, name="care_plans_make"
    ),
    path("areas/<areacode:code>/care-cadence/", care_views.care_cadence, name="care_cadence"),
    path("care-campaigns/", care_views.care_campaigns, name="care_campaigns"),
    path(
        "areas/<areacode:code>/care-campaigns/new/",
        care_views.care_campaign_new,
        name="care_campaign_new",
    ),
    path("care-campaigns/<int:pk>/", care_views.care_campaign, name="care_campaign"),
]
