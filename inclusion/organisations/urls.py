from django.urls import path

from . import views

app_name = "organisations"

# Fixed paths come before "<slug:slug>/"; services.RESERVED_SLUGS keeps slugs from shadowing them.
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("new/", views.create, name="create"),
    path("invitations/<str:token>/", views.accept_invitation, name="accept_invitation"),
    path("<slug:slug>/", views.detail, name="detail"),
    path("<slug:slug>/settings/", views.edit, name="edit"),
    path("<slug:slug>/members/", views.members, name="members"),
    path("<slug:slug>/members/<int:membership_id>/role/", views.change_role, name="change_role"),
    path("<slug:slug>/members/<int:membership_id>/remove/", views.remove_member, name="remove_member"),
    path("<slug:slug>/invitations/<int:invitation_id>/revoke/", views.revoke_invitation, name="revoke_invitation"),
    path("<slug:slug>/leave/", views.leave, name="leave"),
    path("<slug:slug>/delete/", views.delete, name="delete"),
]
