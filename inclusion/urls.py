from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path

from inclusion import views
from inclusion.api.api import api
from inclusion.handbook import views as handbook_views

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("api/", api.urls),
    # Survey respondents choose their language on the page, so these URLs carry none.
    path("s/", include("inclusion.feedback.public_urls")),
]

urlpatterns += i18n_patterns(
    path("", handbook_views.home, name="home"),
    path("handbook/", include("inclusion.handbook.urls")),
    path("accounts/", include("inclusion.accounts.urls")),
    path("accounts/", include("allauth.urls")),
    path("organisations/", include("inclusion.organisations.urls")),
    path("organisations/", include("inclusion.api.urls")),
    path("assessments/", include("inclusion.assessments.urls")),
    path("practices/", include("inclusion.practices.urls")),
    path("feedback/", include("inclusion.feedback.urls")),
    path("networks/", include("inclusion.networks.urls")),
    path("staff/", include("inclusion.staff.urls")),
    path("notifications/", include("inclusion.notifications.urls")),
    prefix_default_language=True,
)

handler404 = "inclusion.core.views.not_found"
handler500 = "inclusion.core.views.server_error"
