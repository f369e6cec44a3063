from django.urls import path

from fangkong.audit import views

urlpatterns = [
    path("audit/", views.event_list, name="audit_event_list"),
]
