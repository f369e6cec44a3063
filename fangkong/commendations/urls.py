from django.urls import path

from fangkong.commendations import views

urlpatterns = [
    path("commendations/", views.commendation_list, name="commendation_list"),
    path("commendations/new/", views.commendation_new, name="commendation_new"),
    path("commendations/<int:pk>/", views.commendation_detail, name="commendation_detail"),
    path("commendations/<int:pk>/decide/", views.commendation_decide, name="commendation_decide"),
    path(
        "commendations/<int:pk>/publish/", views.commendation_publish, name="commendation_publish"
    ),
    path(
        "commendation-board/<areacode:code>/", views.commendation_board, name="commendation_board"
    ),
]
