from django.urls import path

from fangkong.subsidies import views

urlpatterns = [
    path("subsidies/", views.subsidy_list, name="subsidy_list"),
    path("subsidies/compute/", views.subsidy_compute, name="subsidy_compute"),
    path("subsidies/approve-all/", views.subsidy_approve_all, name="subsidy_approve_all"),
    path("subsidies/export/", views.subsidy_export, name="subsidy_export"),
    path("subsidies/<int:pk>/", views.subsidy_detail, name="subsidy_detail"),
    path("subsidies/<int:pk>/approve/", views.subsidy_approve, name="subsidy_approve"),
    path("subsidies/<int:pk>/adjust/", views.subsidy_adjust, name="subsidy_adjust"),
    path("areas/<areacode:code>/subsidy-rules/", views.subsidy_rules, name="subsidy_rules"),
]
