from django.urls import path

from fangkong.gatherings import family_views, sanitation_views, views

urlpatterns = [
    path("gatherings/", views.gathering_list, name="gathering_list"),
    path("gatherings/new/", views.gathering_new, name="gathering_new"),
    path("gatherings/<int:pk>/", views.gathering_detail, name="gathering_detail"),
    path("gatherings/<int:pk>/advice/", views.gathering_advice, name="gathering_advice"),
    path("gatherings/<int:pk>/follow-up/", views.gathering_follow_up, name="gathering_follow_up"),
    path("gatherings/<int:pk>/confirm/", family_views.gathering_confirm, name="gathering_confirm"),
    path("gatherings/<int:pk>/dismiss/", family_views.gathering_dismiss, name="gathering_dismiss"),
    # A family's own report: public, no login (docs/gatherings.md).
    path("family-events/<areacode:code>/", family_views.family_report, name="family_report"),
    path(
        "family-events/<areacode:code>/<uuid:uuid>/",
        family_views.family_reported,
        name="family_reported",
    ),
    path(
        "areas/<areacode:code>/family-events-poster/",
        family_views.family_report_poster,
        name="family_report_poster",
    ),
    path("meetings/", views.meeting_list, name="meeting_list"),
    path("meetings/new/", views.meeting_new, name="meeting_new"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting_detail"),
    path("meetings/<int:pk>/outcome/", views.meeting_outcome, name="meeting_outcome"),
    path("areas/<areacode:code>/meeting-limits/", views.meeting_limits, name="meeting_limits"),
    path("areas/<areacode:code>/gatherings/", views.gatherings_summary, name="gatherings_summary"),
    path("sanitation/", sanitation_views.sanitation_tasks, name="sanitation_tasks"),
    path("sanitation/new/", sanitation_views.sanitation_new, name="sanitation_new"),
    path("sanitation/<int:pk>/", sanitation_views.sanitation_task, name="sanitation_task"),
    path(
        "sanitation/<int:pk>/assign/", sanitation_views.sanitation_assign, name="sanitation_assign"
    ),
    path(
        "sanitation/<int:pk>/done/",
        sanitation_views.sanitation_complete,
        name="sanitation_complete",
    ),
    path("sanitation/<int:pk>/photo/", sanitation_views.sanitation_photo, name="sanitation_photo"),
    path(
        "sanitation-campaigns/",
        sanitation_views.sanitation_campaigns,
        name="sanitation_campaigns",
    ),
    path(
        "areas/<areacode:code>/sanitation-campaigns/new/",
        sanitation_views.sanitation_campaign_new,
        name="sanitation_campaign_new",
    ),
    path(
        "sanitation-campaigns/<int:pk>/",
        sanitation_views.sanitation_campaign,
        name="sanitation_campaign",
    ),
]
