from django.urls import path

from . import views

app_name = "api_tokens"

urlpatterns = [
    path("<slug:slug>/api-tokens/", views.tokens, name="tokens"),
    path("<slug:slug>/api-tokens/<int:token_id>/revoke/", views.revoke, name="revoke"),
]
