from django.urls import path

from fangkong.care import public_views, registry_views, views

urlpatterns = [
    path("care/requests/", views.request_list, name="care_requests"),
    path("care/requests/<int:pk>/", views.request_detail, name="care_request"),
    path("care/requests/<int:pk>/dispatch/", views.request_dispatch, name="care_request_dispatch"),
    path("care/requests/<int:pk>/start/", views.request_start, name="care_request_start"),
    path("care/requests/<int:pk>/done/", views.request_done, name="care_request_done"),
    path("care/requests/<int:pk>/confirm/", views.request_confirm, name="care_request_confirm"),
    path("care/requests/<int:pk>/cancel/", views.request_cancel, name="care_request_cancel"),
    path("households/<int:pk>/service-requests/new/", views.request_add, name="care_request_add"),
    path("households/<int:pk>/service-link/", views.household_link, name="care_household_link"),
    path("care/symptom-reports/", registry_views.symptom_reports, name="care_symptom_reports"),
    path(
        "care/symptom-reports/<int:pk>/",
        registry_views.symptom_report,
        name="care_symptom_report",
    ),
    path("care/providers/", registry_views.provider_list, name="care_providers"),
    path(
        "areas/<areacode:code>/providers/new/",
        registry_views.provider_add,
        name="care_provider_add",
    ),
    path(
        "care/providers/<int:pk>/active/",
        registry_views.provider_active,
        name="care_provider_active",
    ),
    path(
        "areas/<areacode:code>/fever-clinics/",
        registry_views.fever_clinics,
        name="care_fever_clinics",
    ),
    path(
        "care/fever-clinics/<int:pk>/active/",
        registry_views.fever_clinic_active,
        name="care_fever_clinic_active",
    ),
    path("areas/<areacode:code>/to-serve/", registry_views.to_serve, name="care_to_serve"),
    # The residents' own pages, no login: a community's page by its code, a household's
    # signed link, a request's signed status page.
    path("c/<areacode:code>/", public_views.community_page, name="care_public"),
    path("c/<areacode:code>/fever/", public_views.community_fever, name="care_public_fever"),
    path("h/<str:token>/", public_views.household_page, name="care_household_page"),
    path("s/<str:token>/", public_views.request_status, name="care_request_status"),
]
