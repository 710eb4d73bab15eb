from django.urls import path

from judging import organizer_views, public_views, results_views, views

app_name = "judging"
urlpatterns = [
    # Jurors
    path("jury/", views.home, name="home"),
    path("jury/invitations/<str:token>/", views.invitation, name="invitation"),
    path("jury/<int:year>/ties/", views.ties, name="ties"),
    path("jury/rounds/<int:round_id>/", views.queue, name="round"),
    path("jury/score/<uuid:assignment_id>/", views.score, name="score"),
    path("jury/score/<uuid:assignment_id>/autosave/", views.autosave, name="autosave"),
    path("jury/score/<uuid:assignment_id>/recuse/", views.recuse, name="recuse"),
    path(
        "jury/score/<uuid:assignment_id>/files/<uuid:asset_id>/<str:variant>/",
        views.jury_file,
        name="file",
    ),
    # The chair: the jury's standings and decisions, blind
    path("jury/rounds/<int:round_id>/standings/", views.chair_standings, name="chair_standings"),
    path("jury/<int:year>/decisions/", views.chair_decisions, name="chair_decisions"),
    # Creators: conflicts with the announced jury, declared from their entry
    path("me/entries/<uuid:entry_id>/jury/", views.creator_conflicts, name="creator_conflicts"),
    # Organizers
    path("organize/<int:year>/jury/", organizer_views.jury, name="organize_jury"),
    path("organize/jurors/<uuid:juror_id>/", organizer_views.juror_action, name="juror_action"),
    path("organize/<int:year>/conflicts/", organizer_views.conflicts, name="organize_conflicts"),
    path(
        "organize/conflicts/<int:conflict_id>/",
        organizer_views.conflict_action,
        name="conflict_action",
    ),
    path("organize/<int:year>/rounds/", organizer_views.rounds, name="organize_rounds"),
    path("organize/rounds/<int:round_id>/", organizer_views.round_board, name="organize_round"),
    path("organize/rounds/<int:round_id>/assign/", organizer_views.assign, name="organize_assign"),
    path(
        "organize/rounds/<int:round_id>/assignments/",
        organizer_views.assignment_change,
        name="assignment_change",
    ),
    path("organize/rounds/<int:round_id>/close/", organizer_views.close, name="organize_close"),
    # Results: standings and decisions (organizers), then the published results (everyone)
    path(
        "organize/rounds/<int:round_id>/standings/",
        results_views.standings,
        name="standings",
    ),
    path("organize/rounds/<int:round_id>/advance/", results_views.advance, name="advance"),
    path("organize/<int:year>/decisions/", results_views.decisions, name="decisions"),
    path("awards/<int:year>/results/", public_views.results, name="results"),
    path("awards/<int:year>/results.json", public_views.results_json, name="results_json"),
    path("awards/<int:year>/results.csv", public_views.results_csv, name="results_csv"),
    path(
        "awards/<int:year>/results/images/<uuid:asset_id>/<str:variant>/",
        public_views.image,
        name="results_image",
    ),
    path("awards/<int:year>/results/<slug:slug>/", public_views.winner, name="winner"),
    path("verify/<str:code>/", public_views.verify, name="verify"),
    path("verify/<str:code>/certificate.pdf", public_views.certificate, name="certificate"),
]
