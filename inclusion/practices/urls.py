from django.urls import path

from . import export_views, views

app_name = "practices"

urlpatterns = [
    path("", views.library_page, name="library"),
    path("<int:practice_id>/", views.detail, name="detail"),
    path("scoring/", views.scoring_rules, name="scoring"),
    path("yours/", views.yours, name="yours"),
    path("new/", views.new, name="new"),
    path("manage/<int:practice_id>/", views.manage, name="manage"),
    path("manage/<int:practice_id>/edit/", views.edit, name="edit"),
    path("manage/<int:practice_id>/submit/", views.submit, name="submit"),
    path("manage/<int:practice_id>/rate/", views.rate, name="rate"),
    path("manage/<int:practice_id>/consensus/", views.consensus, name="consensus"),
    path("manage/<int:practice_id>/versions/<int:number>/", views.version, name="version"),
    path("manage/<int:practice_id>/ratings/<int:rating_id>/", views.rating, name="rating"),
    path(
        "manage/<int:practice_id>/ratings/<int:rating_id>/export.<str:fmt>",
        export_views.rating_export,
        name="rating_export",
    ),
    path("moderation/", views.moderation_queue, name="moderation"),
    path("moderation/<int:version_id>/", views.review, name="review"),
]
