from django.urls import path

from fangkong.verification import views

urlpatterns = [
    path("verification/", views.list_index, name="verification_list_index"),
    path("verification/template/", views.template, name="verification_template"),
    path("areas/<areacode:code>/verification/new/", views.upload, name="verification_upload"),
    path("verification/<int:pk>/", views.list_detail, name="verification_list_detail"),
    path("verification/<int:pk>/export/", views.list_export, name="verification_list_export"),
    path("verification/tasks/", views.task_list, name="verification_task_list"),
    path("verification/queue/", views.queue, name="verification_queue"),
    path("verification/tasks/<int:pk>/", views.task_detail, name="verification_task_detail"),
    path("verification/tasks/<int:pk>/result/", views.task_result, name="verification_task_result"),
    path(
        "verification/tasks/<int:pk>/candidates/",
        views.task_candidates,
        name="verification_task_candidates",
    ),
    path(
        "verification/tasks/<int:pk>/pass-down/",
        views.task_pass_down,
        name="verification_task_pass_down",
    ),
]
