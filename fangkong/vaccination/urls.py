from django.urls import path

from fangkong.vaccination import views

urlpatterns = [
    path("vaccination/", views.vaccination_home, name="vaccination_home"),
    path("workers/<int:pk>/vaccination/", views.worker_vaccination, name="worker_vaccination"),
    path("workers/<int:pk>/vaccination/doses/", views.dose_new, name="dose_new"),
    path("workers/<int:pk>/vaccination/exemptions/", views.exemption_new, name="exemption_new"),
    path("doses/<int:pk>/remove/", views.dose_remove, name="dose_remove"),
    path("vaccination-exemptions/<int:pk>/end/", views.exemption_end, name="exemption_end"),
    path("areas/<areacode:code>/vaccination-due/", views.vaccination_due, name="vaccination_due"),
    path(
        "areas/<areacode:code>/vaccination-coverage/",
        views.vaccination_coverage,
        name="vaccination_coverage",
    ),
    path("areas/<areacode:code>/dose-intervals/", views.dose_intervals, name="dose_intervals"),
]
