from django.urls import path

from fangkong.tracing import case_views, import_views, views

urlpatterns = [
    path("cases/", views.case_list, name="tracing_cases"),
    path("cases/new/", views.case_add, name="tracing_case_add"),
    path("cases/<int:pk>/", views.case_detail, name="tracing_case"),
    path("cases/import/", import_views.case_import, name="tracing_case_import"),
    path(
        "cases/import/template.xlsx", import_views.import_template, name="tracing_import_template"
    ),
    path("case-imports/<int:pk>/", import_views.import_detail, name="tracing_import"),
    path(
        "case-imports/<int:pk>/problems.xlsx",
        import_views.import_problems,
        name="tracing_import_problems",
    ),
    path("cases/<int:pk>/reclassify/", case_views.case_reclassify, name="tracing_reclassify"),
    path("cases/<int:pk>/rule-out/", case_views.case_rule_out, name="tracing_rule_out"),
    path("cases/<int:pk>/chain/", views.chain_page, name="tracing_chain"),
    path("cases/<int:pk>/chain.json", views.chain_data, name="tracing_chain_data"),
    path("cases/<int:pk>/chain.xlsx", views.chain_export, name="tracing_chain_export"),
    path("traced-persons/", views.person_list, name="tracing_persons"),
    path("traced-persons/<int:pk>/", views.person_detail, name="tracing_person"),
    path("traced-persons/<int:pk>/case/", views.person_case_add, name="tracing_person_case"),
    path("traced-persons/<int:pk>/contacts/add/", views.contact_add, name="tracing_contact_add"),
    path(
        "traced-persons/<int:pk>/suggest-building/",
        case_views.building_suggest,
        name="tracing_building_suggest",
    ),
    path("contacts/<int:pk>/decide/", views.suggestion_decide, name="tracing_suggestion"),
    path("tracing-tasks/", views.task_list, name="tracing_tasks"),
    path("tracing-tasks/<int:pk>/", views.task_detail, name="tracing_task"),
]
