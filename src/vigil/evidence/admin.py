from django.contrib import admin

from vigil.evidence.models import Document, DocumentRow, EvidenceFile, WorkingCopy


@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "file_name", "obtained_on", "created_at"]
    list_filter = ["kind"]
    search_fields = ["title", "sha256", "file_name"]
    readonly_fields = ["sha256", "stored_path", "created_at"]


@admin.register(DocumentRow)
class DocumentRowAdmin(admin.ModelAdmin):
    list_display = ["document", "number"]
    list_filter = ["document"]
    readonly_fields = ["document", "number", "data"]


@admin.register(EvidenceFile)
class EvidenceFileAdmin(admin.ModelAdmin):
    list_display = ["sha256", "kind", "media_type", "size", "created_at"]
    list_filter = ["kind"]
    search_fields = ["sha256"]
    readonly_fields = ["sha256", "size", "stored_path", "created_at"]


@admin.register(WorkingCopy)
class WorkingCopyAdmin(admin.ModelAdmin):
    list_display = ["evidence", "kind", "recipe", "sha256", "size", "created_at"]
    list_filter = ["kind"]
    search_fields = ["sha256", "evidence__sha256"]
    readonly_fields = ["evidence", "kind", "recipe", "method", "sha256", "size", "media_type", "stored_path", "made_by", "created_at"]
