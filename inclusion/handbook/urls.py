from django.urls import path

from . import views

app_name = "handbook"

urlpatterns = [
    path("", views.contents, name="contents"),
    path("foreword/", views.foreword, name="foreword"),
    path("privacy/", views.privacy, name="privacy"),
    path("introduction/", views.introduction, name="introduction"),
    path("areas/<int:number>/", views.area, name="area"),
    path("areas/<int:number>/pdf/", views.area_pdf, name="area_pdf"),
    path("summary-checklist/", views.summary_checklist, name="summary"),
    path("assessment-table/", views.assessment_table, name="criteria"),
    path("glossary/", views.glossary, name="glossary"),
    path("search/", views.search_view, name="search"),
    path("pdf/", views.handbook_pdf, name="pdf"),
    path("videos/<str:filename>", views.video_file, name="video_file"),
]
