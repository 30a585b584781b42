from django.contrib import admin

from vigil.linkage.models import LinkRun, Match, Merge


@admin.register(Match)
class MatchAdmin(admin.ModelAdmin):
    list_display = ["id", "person_a", "person_b", "list_row", "probability", "status", "model_version", "decided_by", "decided_at"]
    list_filter = ["status", "model_version"]
    raw_id_fields = ["person_a", "person_b", "list_row", "decided_by"]
    readonly_fields = ["probability", "match_weight", "field_weights", "model_version", "created_at"]


@admin.register(Merge)
class MergeAdmin(admin.ModelAdmin):
    list_display = ["id", "survivor", "merged", "merged_by", "merged_at", "undone_at"]
    raw_id_fields = ["survivor", "merged", "match", "merged_by", "undone_by"]
    readonly_fields = ["members", "merged_at", "undone_at"]


@admin.register(LinkRun)
class LinkRunAdmin(admin.ModelAdmin):
    list_display = ["started_at", "model_version", "records", "candidate_pairs", "proposed", "auto_merged", "seconds", "incremental"]
