"""Respondent pages: outside the /lv/ /en/ prefixes, in the respondent's own language."""

from django.urls import path

from . import public_views

app_name = "respond"

urlpatterns = [
    path("<str:token>/", public_views.entry, name="entry"),
    # Kiosk mode on a shared tablet (before <language>/: "kiosk" is not a language code).
    path("<str:token>/kiosk/", public_views.kiosk, name="kiosk"),
    path("<str:token>/kiosk/sw.js", public_views.kiosk_service_worker, name="kiosk_sw"),
    path("<str:token>/kiosk/manifest.webmanifest", public_views.kiosk_manifest, name="kiosk_manifest"),
    path("<str:token>/kiosk/sync/", public_views.kiosk_sync, name="kiosk_sync"),
    path("<str:token>/kiosk/<str:language>/", public_views.kiosk_survey, name="kiosk_survey"),
    path("<str:token>/<str:language>/", public_views.survey, name="survey"),
    path("<str:token>/<str:language>/thanks/", public_views.thanks, name="thanks"),
    path("<str:token>/<str:language>/changes/", public_views.changes, name="changes"),
    path("<str:token>/<str:language>/privacy/", public_views.privacy, name="privacy"),
    path("<str:token>/<str:language>/recordings/<int:question_id>/", public_views.recording, name="recording"),
]
