from django.urls import path

from submissions import organizer_views, views

app_name = "submissions"
entry = "me/entries/<uuid:entry_id>/"
urlpatterns = [
    path("me/profile/", views.profile, name="profile"),
    path("me/entries/", views.dashboard, name="dashboard"),
    path("me/entries/new/<int:category_id>/", views.entry_new, name="entry_new"),
    path(entry, views.entry_edit, name="entry"),
    path(f"{entry}autosave/", views.entry_autosave, name="entry_autosave"),
    path(f"{entry}submit/", views.entry_submit, name="entry_submit"),
    path(f"{entry}withdraw/", views.entry_withdraw, name="entry_withdraw"),
    path(f"{entry}delete/", views.entry_delete, name="entry_delete"),
    path(f"{entry}files/", views.files_fragment, name="files"),
    path(f"{entry}files/upload/", views.upload_start, name="upload_start"),
    path(f"{entry}files/reorder/", views.assets_reorder, name="assets_reorder"),
    path(f"{entry}files/<uuid:asset_id>/finalize/", views.upload_finalize, name="upload_finalize"),
    path(f"{entry}files/<uuid:asset_id>/release/", views.upload_release, name="upload_release"),
    path(f"{entry}files/<uuid:asset_id>/", views.asset_change, name="asset_change"),
    path(f"{entry}files/<uuid:asset_id>/<str:variant>/", views.asset_file, name="asset_file"),
    path("organize/", organizer_views.organizer_home, name="organize_home"),
    path("organize/<int:year>/", organizer_views.organizer_home, name="organize_home_year"),
    path("organize/<int:year>/entries/", organizer_views.entry_list, name="organize_list"),
    path(
        "organize/<int:year>/entries/export.csv",
        organizer_views.entry_export,
        name="organize_export",
    ),
    path("organize/entries/<uuid:entry_id>/", organizer_views.entry_detail, name="organize_entry"),
]
