from django.urls import path

from . import views

app_name = "feedback"

urlpatterns = [
    path("<slug:slug>/", views.survey_list, name="list"),
    path("<slug:slug>/new/", views.survey_create, name="create"),
    path("<slug:slug>/<int:survey_id>/", views.survey_detail, name="detail"),
    path("<slug:slug>/<int:survey_id>/settings/", views.survey_edit, name="edit"),
    path("<slug:slug>/<int:survey_id>/questions/new/", views.question_add, name="question_add"),
    path(
        "<slug:slug>/<int:survey_id>/questions/<int:question_id>/remove/", views.question_remove, name="question_remove"
    ),
    path("<slug:slug>/<int:survey_id>/questions/<int:question_id>/recordings/", views.recordings, name="recordings"),
    path("<slug:slug>/<int:survey_id>/questions/<int:question_id>/", views.question_edit, name="question_edit"),
    path("<slug:slug>/<int:survey_id>/questions/<int:question_id>/move/", views.question_move, name="question_move"),
    path("<slug:slug>/<int:survey_id>/preview/<str:language>/", views.preview, name="preview"),
    path("<slug:slug>/<int:survey_id>/results/", views.results, name="results"),
    path("<slug:slug>/<int:survey_id>/report.pdf", views.report_pdf, name="report"),
    path("<slug:slug>/<int:survey_id>/results/review/", views.review_comments, name="review"),
    path("<slug:slug>/<int:survey_id>/responses.<str:fmt>", views.export, name="export"),
    path("<slug:slug>/<int:survey_id>/results.<str:fmt>", views.results_export, name="results_export"),
    path("<slug:slug>/<int:survey_id>/qr.<str:fmt>", views.qr_code, name="qr"),
    path("<slug:slug>/<int:survey_id>/poster.pdf", views.poster, name="poster"),
    path("<slug:slug>/<int:survey_id>/paper/", views.paper_entry, name="paper_entry"),
    path("<slug:slug>/<int:survey_id>/paper/<str:language>.pdf", views.paper_form, name="paper_form"),
    path("<slug:slug>/<int:survey_id>/you-said-we-did/", views.changes_edit, name="changes"),
    path("<slug:slug>/<int:survey_id>/kiosks/", views.kiosk_devices, name="kiosks"),
    path("<slug:slug>/<int:survey_id>/kiosks/<int:device_id>/revoke/", views.kiosk_revoke, name="kiosk_revoke"),
]
