from django.urls import path

from fangkong.training import views

urlpatterns = [
    path("trainings/", views.training_list, name="training_list"),
    path("trainings/new/", views.training_new, name="training_new"),
    path("trainings/<int:pk>/", views.training_detail, name="training_detail"),
    path("trainings/<int:pk>/attendees/", views.training_attendees, name="training_attendees"),
    path(
        "trainings/<int:pk>/remove-attendee/",
        views.training_attendee_remove,
        name="training_attendee_remove",
    ),
    path("trainings/<int:pk>/assessment/", views.training_assessment, name="training_assessment"),
    path("trainings/<int:pk>/materials/", views.training_materials, name="training_materials"),
    path(
        "trainings/<int:pk>/materials/upload/",
        views.training_materials_upload,
        name="training_materials_upload",
    ),
    path("workers/<int:pk>/trainings/", views.worker_trainings, name="worker_trainings"),
    path(
        "areas/<areacode:code>/training-coverage/",
        views.training_coverage,
        name="training_coverage",
    ),
]
