from django.urls import path

from vigil.web.views import dashboard, evidence, exports, facilities, intake, lists, persons, review, search, tokens

app_name = "web"

urlpatterns = [
    path("", search.home, name="home"),
    path("search/", search.search, name="search"),
    path("persons/<int:pk>/", persons.person, name="person"),
    path("intake/", intake.intake, name="intake"),
    path("intake/draft/", intake.draft_save, name="intake_draft"),
    path("intake/check-id/", intake.check_id, name="intake_check_id"),
    path("intake/candidates/", intake.candidates_panel, name="intake_candidates"),
    path("intake/counties/", intake.counties, name="intake_counties"),
    path("review/", review.review, name="review"),
    path("review/<int:pk>/", review.review_match, name="review_match"),
    path("review/<int:pk>/decide/", review.review_decide, name="review_decide"),
    path("merges/<int:pk>/unmerge/", review.unmerge, name="unmerge"),
    path("lists/", lists.lists, name="lists"),
    path("lists/<int:pk>/", lists.list_detail, name="list"),
    path("lists/rows/<int:pk>/person/", lists.row_person, name="list_row_person"),
    path("evidence/<str:sha256>/", evidence.evidence_file, name="evidence"),
    path("evidence/<str:sha256>/thumbnail.jpg", evidence.evidence_thumb, name="evidence_thumb"),
    path("facilities/", facilities.facilities, name="facilities"),
    path("facilities/<int:pk>/", facilities.facility, name="facility"),
    path("dashboard/", dashboard.dashboard, name="dashboard"),
    path("dashboard/<str:key>.csv", dashboard.dashboard_csv, name="dashboard_csv"),
    path("exports/", exports.exports, name="exports"),
    path("exports/jobs/", exports.export_jobs_panel, name="export_jobs"),
    path("exports/start/", exports.export_start, name="export_start"),
    path("exports/<int:pk>/download/", exports.export_download, name="export_download"),
    path("account/tokens/", tokens.tokens, name="tokens"),
    path("account/tokens/<int:pk>/revoke/", tokens.token_revoke_view, name="token_revoke"),
]
