from django.urls import path

from . import consensus_views, evidence_views, export_views, views

app_name = "assessments"

urlpatterns = [
    path("", views.start, name="start"),
    path("how-it-works/", views.how_it_works, name="how_it_works"),
    path("private/<str:token>/", views.private_link, name="private_link"),
    path("shared/<str:token>/", views.shared_summary, name="shared"),
    path("<uuid:public_id>/", views.overview, name="overview"),
    path("<uuid:public_id>/areas/<int:number>/", views.area, name="area"),
    path("<uuid:public_id>/areas/<int:number>/note/", views.save_note, name="save_note"),
    path("<uuid:public_id>/answers/", views.save_answer, name="save_answer"),
    path("<uuid:public_id>/evidence/<str:item_id>/", evidence_views.evidence, name="evidence"),
    path("<uuid:public_id>/evidence/<int:evidence_id>/delete/", evidence_views.evidence_delete, name="evidence_delete"),
    path("<uuid:public_id>/evidence/<int:earlier_id>/keep/", evidence_views.evidence_keep, name="evidence_keep"),
    path("<uuid:public_id>/evidence/<int:evidence_id>/file/", evidence_views.evidence_file, name="evidence_file"),
    path("<uuid:public_id>/summary/", views.summary, name="summary"),
    path("<uuid:public_id>/actions/", views.actions, name="actions"),
    path("<uuid:public_id>/actions/new/", views.action_edit, name="action_new"),
    path("<uuid:public_id>/actions/from-gap/", views.action_from_gap, name="action_from_gap"),
    path("<uuid:public_id>/actions/<int:action_id>/", views.action_edit, name="action_edit"),
    path("<uuid:public_id>/actions/<int:action_id>/delete/", views.action_delete, name="action_delete"),
    path("<uuid:public_id>/rounds/new/", views.new_round, name="new_round"),
    path("<uuid:public_id>/round/reopen/", views.reopen_round, name="reopen_round"),
    path("<uuid:public_id>/round/sign-off/", views.sign_off, name="sign_off"),
    path("<uuid:public_id>/round/delete/", views.delete_round_view, name="delete_round"),
    path("<uuid:public_id>/consensus/", consensus_views.status, name="consensus"),
    path("<uuid:public_id>/consensus/open/", consensus_views.open_step, name="consensus_open"),
    path("<uuid:public_id>/consensus/areas/<int:number>/", consensus_views.area, name="consensus_area"),
    path("<uuid:public_id>/history/", views.history, name="history"),
    path("<uuid:public_id>/compare/", views.compare, name="compare"),
    path("<uuid:public_id>/share/", views.share, name="share"),
    path("<uuid:public_id>/share/<int:link_id>/revoke/", views.revoke_share_link, name="revoke_share_link"),
    path("<uuid:public_id>/claim/", views.claim, name="claim"),
    path("<uuid:public_id>/export.<str:fmt>", export_views.export, name="export"),
    path("import/", export_views.import_assessment, name="import"),
]
