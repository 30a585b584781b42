from django.contrib import admin

from vigil.evidence.models import Document, DocumentRow, EvidenceFile


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
