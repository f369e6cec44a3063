from django.urls import path

from fangkong.reports import views

urlpatterns = [
    path("reports/", views.report_home, name="report_home"),
    path("areas/<areacode:code>/reports/", views.report_area, name="report_area"),
    path("areas/<areacode:code>/reports/submit/", views.report_submit, name="report_submit"),
    path("areas/<areacode:code>/reports/amend/", views.report_amend, name="report_amend"),
    path("areas/<areacode:code>/reports/print/", views.report_print, name="report_print"),
    path("areas/<areacode:code>/reports/workbook/", views.report_workbook, name="report_workbook"),
    path("areas/<areacode:code>/reports/export/", views.report_export, name="report_export"),
    path("areas/<areacode:code>/reports/trend/", views.report_trend, name="report_trend"),
]
