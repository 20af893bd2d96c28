from django.urls import path

from declarations import dashboard_views, job_views, performance_views, review_views, views
from declarations.wizards import entry

urlpatterns = [
    path("", views.home, name="home"),
    path("declarations/", views.declaration_list, name="declaration_list"),
    path("declarations/new/<str:kind>/", entry.start, name="wizard_start"),
    path("declarations/<int:pk>/", views.declaration_detail, name="declaration_detail"),
    path("declarations/<int:pk>/edit/", entry.edit, name="declaration_edit"),
    path("declarations/<int:pk>/copy/", entry.copy, name="declaration_copy"),
    path(
        "declarations/<int:pk>/export/<str:fmt>/",
        views.declaration_export,
        name="declaration_export",
    ),
    path("drafts/<int:draft_id>/", entry.resume, name="wizard_resume"),
    path("drafts/<int:draft_id>/discard/", entry.discard, name="wizard_discard"),
    path("drafts/<int:draft_id>/<str:step>/", entry.resume, name="wizard_step"),
    path("indicators/library/", entry.indicator_library, name="indicator_library"),
    path("declarations/<int:pk>/move/<str:action>/", review_views.move, name="declaration_move"),
    path("declarations/<int:pk>/review/", review_views.review, name="declaration_review"),
    path("declarations/<int:pk>/adjust/", entry.adjust, name="declaration_adjust"),
    path(
        "declarations/<int:pk>/compare/<int:other_pk>/",
        review_views.compare_versions,
        name="declaration_compare",
    ),
    path("comments/<int:comment_pk>/reply/", review_views.reply, name="comment_reply"),
    path("reviews/", review_views.queue, name="review_queue"),
    path("dashboard/", dashboard_views.dashboard_page, name="dashboard"),
    path("exports/", views.bulk_export, name="bulk_export"),
    path("jobs/", job_views.job_list, name="job_list"),
    path("jobs/<int:pk>/", job_views.job_detail, name="job_detail"),
    path("jobs/<int:pk>/status/", job_views.job_status, name="job_status"),
    path("jobs/<int:pk>/download/", job_views.job_download, name="job_download"),
    path("performance/", performance_views.performance_index, name="performance_index"),
    path("performance/rounds/open/", performance_views.open_round, name="open_round"),
    path("performance/rounds/<int:pk>/", performance_views.round_overview, name="round_overview"),
    path(
        "performance/evaluations/start/",
        performance_views.start_evaluations,
        name="start_evaluations",
    ),
    path(
        "performance/evaluations/",
        performance_views.evaluation_overview,
        name="evaluation_overview",
    ),
    path("performance/<str:kind>/<int:pk>/", performance_views.report_page, name="report_page"),
    path(
        "performance/<str:kind>/<int:pk>/preview/",
        performance_views.report_preview,
        name="report_preview",
    ),
    path(
        "performance/<str:kind>/<int:pk>/export/<str:fmt>/",
        performance_views.report_export,
        name="report_export",
    ),
    path(
        "performance/<str:kind>/<int:pk>/template/",
        performance_views.report_template,
        name="report_template",
    ),
    path(
        "performance/<str:kind>/<int:pk>/upload/",
        performance_views.report_upload,
        name="report_upload",
    ),
    path(
        "performance/<str:kind>/<int:pk>/move/<str:action>/",
        performance_views.report_move,
        name="report_move",
    ),
]
