from django.urls import path

from . import views

urlpatterns = [
    path("my-data/", views.my_data, name="account_my_data"),
    path("delete/", views.delete_account, name="account_delete"),
]
