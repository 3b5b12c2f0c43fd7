from django.urls import path

from . import mirror_views, upload_views, views

app_name = "accounts"

urlpatterns = [
    path("accounts/", views.account_list, name="list"),
    path("accounts/new/", views.account_entry, name="entry"),
    path("accounts/new/check/", views.account_entry_check, name="entry_check"),
    path("accounts/export.csv", views.account_export, name="export"),
    path("accounts/export.xlsx", views.account_export_xlsx, name="export_xlsx"),
    path("accounts/upload/", upload_views.upload_start, name="upload"),
    path("accounts/upload/<int:pk>/", upload_views.upload_mapping, name="upload_mapping"),
    path("accounts/upload/<int:pk>/preview/", upload_views.upload_preview, name="upload_preview"),
    path("accounts/upload/<int:pk>/import/", upload_views.upload_import, name="upload_import"),
    path("accounts/upload/<int:pk>/result/", upload_views.upload_result, name="upload_result"),
    path(
        "accounts/upload/<int:pk>/progress/", upload_views.upload_progress, name="upload_progress"
    ),
    path(
        "accounts/upload/<int:pk>/rows-to-fix.csv",
        upload_views.upload_bad_rows,
        name="upload_bad_rows",
    ),
    path("accounts/bulk/", views.account_bulk, name="bulk"),
    path("accounts/<int:pk>/", views.account_detail, name="detail"),
    path("accounts/<int:pk>/evidence/", views.evidence_add, name="evidence_add"),
    path("accounts/<int:pk>/status/", views.account_status, name="status"),
    path("evidence/<int:pk>/file/", views.evidence_file, name="evidence_file"),
    path(
        "mirrors/<int:pk>/confirm/",
        views.mirror_decide,
        {"confirm": True},
        name="mirror_confirm",
    ),
    path(
        "mirrors/<int:pk>/reject/",
        views.mirror_decide,
        {"confirm": False},
        name="mirror_reject",
    ),
    path("mirrors/", mirror_views.mirror_queue, name="mirror_queue"),
    path("mirrors/<int:pk>/", mirror_views.mirror_review_page, name="mirror_review"),
    path(
        "mirrors/<int:pk>/suppress/",
        mirror_views.mirror_signal_suppress,
        name="mirror_suppress",
    ),
    path("accounts/<int:pk>/avatar/", mirror_views.account_avatar, name="avatar"),
    path("groups/", views.group_list, name="groups"),
    path("groups/pick/", views.group_picker, name="group_picker"),
    path("groups/<int:pk>/", views.group_detail, name="group_detail"),
]
