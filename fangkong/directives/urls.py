from django.urls import path

from fangkong.directives import receipt_views, views

urlpatterns = [
    path("directives/", views.directive_inbox, name="directive_inbox"),
    path("directives/sent/", views.directive_sent, name="directive_sent"),
    path("directives/new/", views.directive_new, name="directive_new"),
    path("directives/<int:pk>/", views.directive_detail, name="directive_detail"),
    path("directives/<int:pk>/print/", views.directive_print, name="directive_print"),
    path(
        "directives/<int:pk>/progress.xlsx",
        views.directive_progress_xlsx,
        name="directive_progress_xlsx",
    ),
    path("directives/<int:pk>/file/", views.directive_file, name="directive_file"),
    path("directive-receipts/<int:pk>/", receipt_views.receipt_detail, name="receipt_detail"),
    path(
        "directive-receipts/<int:pk>/acknowledge/",
        receipt_views.receipt_acknowledge,
        name="receipt_acknowledge",
    ),
    path(
        "directive-receipts/<int:pk>/forward/",
        receipt_views.receipt_forward,
        name="receipt_forward",
    ),
    path(
        "directive-receipts/<int:pk>/report/", receipt_views.receipt_report, name="receipt_report"
    ),
    path("directive-receipts/<int:pk>/print/", receipt_views.receipt_print, name="receipt_print"),
    path("directive-receipts/<int:pk>/file/", receipt_views.receipt_file, name="receipt_file"),
    path(
        "directive-receipts/<int:pk>/progress.xlsx",
        receipt_views.receipt_progress_xlsx,
        name="receipt_progress_xlsx",
    ),
    path(
        "implementation-reports/<int:pk>/approve/",
        receipt_views.report_approve,
        name="implementation_report_approve",
    ),
    path(
        "implementation-reports/<int:pk>/send-back/",
        receipt_views.report_send_back,
        name="implementation_report_send_back",
    ),
]
