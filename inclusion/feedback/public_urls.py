"""Respondent pages: outside the /lv/ /en/ prefixes, in the respondent's own language."""

from django.urls import path

from . import public_views

app_name = "respond"

urlpatterns = [
    path("<str:token>/", public_views.entry, name="entry"),
    path("<str:token>/<str:language>/", public_views.survey, name="survey"),
    path("<str:token>/<str:language>/thanks/", public_views.thanks, name="thanks"),
    path("<str:token>/<str:language>/changes/", public_views.changes, name="changes"),
    path("<str:token>/<str:language>/privacy/", public_views.privacy, name="privacy"),
    path("<str:token>/<str:language>/recordings/<int:question_id>/", public_views.recording, name="recording"),
]
