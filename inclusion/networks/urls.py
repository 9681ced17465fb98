from django.urls import path

from . import views

app_name = "networks"

# Fixed paths come before "<slug:network_slug>/"; membership.RESERVED_SLUGS keeps network
# slugs from shadowing them.
urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.create, name="create"),
    path("join/<str:token>/", views.join, name="join"),
    path("organisation/<slug:slug>/", views.organisation_networks, name="organisation_networks"),
    path("organisation/<slug:slug>/<int:entry_id>/accept/", views.accept, name="accept"),
    path("organisation/<slug:slug>/<int:entry_id>/sharing/", views.change_sharing, name="sharing"),
    path("organisation/<slug:slug>/<int:entry_id>/leave/", views.leave, name="leave"),
    path(
        "organisation/<slug:slug>/<int:entry_id>/practices/",
        views.organisation_practices,
        name="organisation_practices",
    ),
    path("<slug:network_slug>/", views.detail, name="detail"),
    path("<slug:network_slug>/manage/", views.manage, name="manage"),
    path("<slug:network_slug>/manage/invite/", views.invite, name="invite"),
    path("<slug:network_slug>/manage/join-link/", views.join_link, name="join_link"),
    path("<slug:network_slug>/manage/members/<int:entry_id>/approve/", views.approve, name="approve"),
    path("<slug:network_slug>/manage/practices/", views.practices, name="practices"),
    path("<slug:network_slug>/manage/practices/<int:submission_id>/feature/", views.feature, name="feature"),
    path("<slug:network_slug>/dashboard/", views.dashboard, name="dashboard"),
    path("<slug:network_slug>/report.<str:fmt>", views.report, name="report"),
    path("<slug:network_slug>/surveys/", views.surveys, name="surveys"),
    path("<slug:network_slug>/surveys/<int:survey_id>/", views.survey_results, name="survey_results"),
]
