from django.urls import path

from fangkong.response import plan_views, task_views, views

urlpatterns = [
    path("risk/", views.risk_board, name="risk_board"),
    path("areas/<areacode:code>/risk/", views.risk_area, name="risk_area"),
    path("areas/<areacode:code>/risk/set/", views.risk_area_set, name="risk_area_set"),
    path("areas/<areacode:code>/traits/", views.risk_traits, name="risk_traits"),
    path("buildings/<int:pk>/risk/", views.risk_building, name="risk_building"),
    path("buildings/<int:pk>/risk/set/", views.risk_building_set, name="risk_building_set"),
    path("areas/<areacode:code>/plan/", plan_views.plan_page, name="response_plan"),
    path(
        "areas/<areacode:code>/plan/measures/add/",
        plan_views.measure_add,
        name="response_measure_add",
    ),
    path(
        "areas/<areacode:code>/plan/documents/upload/",
        plan_views.document_upload,
        name="response_document_upload",
    ),
    path("plan-documents/<int:pk>/", plan_views.document_download, name="response_document"),
    path("areas/<areacode:code>/response/", plan_views.response_area, name="response_area"),
    path("responses/", plan_views.response_list, name="response_list"),
    path("emergency-responses/<int:pk>/", plan_views.response_detail, name="response_detail"),
    path("response-tasks/", plan_views.task_list, name="response_tasks"),
    path("response-tasks/<int:pk>/", plan_views.task_page, name="response_task"),
    path(
        "response-tasks/<int:pk>/reassign/",
        task_views.task_reassign,
        name="response_task_reassign",
    ),
    path(
        "response-tasks/<int:pk>/evidence/",
        plan_views.task_evidence,
        name="response_task_evidence",
    ),
]
