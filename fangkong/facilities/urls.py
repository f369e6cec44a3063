from django.urls import path

from fangkong.facilities import views

urlpatterns = [
    path("facilities/", views.facility_list, name="facility_list"),
    path("facilities/new/", views.facility_new, name="facility_new"),
    path("facilities/<int:pk>/", views.facility_detail, name="facility_detail"),
    path("facilities/<int:pk>/edit/", views.facility_edit, name="facility_edit"),
    path("facilities/<int:pk>/suspend/", views.facility_suspend, name="facility_suspend"),
    path("facilities/<int:pk>/reopen/", views.facility_reopen, name="facility_reopen"),
    path("facilities/<int:pk>/door/", views.facility_door, name="facility_door"),
    path("disinfections/", views.disinfection_list, name="disinfection_list"),
    path("disinfections/new/", views.disinfection_new, name="disinfection_new"),
    path("disinfections/<int:pk>/", views.disinfection_detail, name="disinfection_detail"),
]
