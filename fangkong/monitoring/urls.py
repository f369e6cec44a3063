from django.urls import path

from fangkong.monitoring import views

urlpatterns = [
    path("monitoring/", views.board, name="monitoring_board"),
    path("monitoring/rest-normal/", views.rest_normal, name="monitoring_rest_normal"),
    path("monitoring/alerts/", views.alert_list, name="monitoring_alerts"),
    path("monitoring/alerts/<int:pk>/dispose/", views.alert_dispose, name="alert_dispose"),
    path("monitoring/plans/<int:pk>/", views.plan_detail, name="monitoring_plan"),
    path("monitoring/plans/<int:pk>/checks/", views.check_add, name="check_add"),
    path("monitoring/plans/<int:pk>/stop/", views.plan_stop, name="plan_stop"),
    path(
        "monitoring/plans/<int:pk>/report-link/", views.report_link_renew, name="report_link_renew"
    ),
    path("residents/<int:pk>/monitoring/new/", views.plan_create, name="plan_create"),
    path(
        "households/<int:pk>/monitoring/new/",
        views.newcomer_plan_create,
        name="newcomer_plan_create",
    ),
    path("areas/<areacode:code>/monitoring/", views.area_counts, name="monitoring_counts"),
    # The personal self-report link: no login, the signature is the key.
    path("r/<str:token>/", views.self_report, name="self_report"),
]
