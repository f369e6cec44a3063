from django.urls import path

from fangkong.checkpoints import offline_views, pass_views, registration_views, views

urlpatterns = [
    path("checkpoints/", views.checkpoint_list, name="checkpoint_list"),
    path("checkpoints/gate-sw.js", offline_views.gate_service_worker, name="gate_service_worker"),
    path("areas/<areacode:code>/checkpoints/new/", views.checkpoint_add, name="checkpoint_add"),
    path("checkpoints/<int:pk>/", views.checkpoint, name="checkpoint"),
    path("checkpoints/<int:pk>/record/", views.checkpoint_record, name="checkpoint_record"),
    path("checkpoints/<int:pk>/visitor/", views.checkpoint_visitor, name="checkpoint_visitor"),
    path("checkpoints/<int:pk>/mode/", views.checkpoint_mode, name="checkpoint_mode"),
    path("checkpoints/<int:pk>/edit/", views.checkpoint_edit, name="checkpoint_edit"),
    path(
        "checkpoints/<int:pk>/poster/",
        registration_views.checkpoint_poster,
        name="checkpoint_poster",
    ),
    path("v/<str:token>/", registration_views.checkpoint_register, name="checkpoint_register"),
    path(
        "v/<str:token>/<uuid:uuid>/",
        registration_views.checkpoint_registered,
        name="checkpoint_registered",
    ),
    path(
        "registrations/<int:pk>/confirm/",
        registration_views.registration_confirm,
        name="registration_confirm",
    ),
    path(
        "registrations/<int:pk>/reject/",
        registration_views.registration_reject,
        name="registration_reject",
    ),
    path("gate-alerts/", views.gate_alert_list, name="gate_alert_list"),
    path("areas/<areacode:code>/passes/", pass_views.pass_list, name="pass_list"),
    path("areas/<areacode:code>/passes/new/", pass_views.pass_issue, name="pass_issue"),
    path(
        "areas/<areacode:code>/passes/work/new/",
        pass_views.work_pass_issue,
        name="work_pass_issue",
    ),
    path("areas/<areacode:code>/passes/sheet/", pass_views.pass_sheet, name="pass_sheet"),
    path("passes/<int:pk>/", pass_views.pass_detail, name="pass_detail"),
    path("passes/<int:pk>/revoke/", pass_views.pass_revoke, name="pass_revoke"),
    path("gate-alerts/<int:pk>/", views.gate_alert, name="gate_alert"),
    path("gate-alerts/<int:pk>/dispose/", views.gate_alert_dispose, name="gate_alert_dispose"),
]
