from __future__ import annotations

from django.conf import settings
from django.db import models

from vigil.keys.fields import EncryptedJSONField, EncryptedTextField


class Document(models.Model):
    """A leaked list, court verdict or government notice: a file with its hash, provenance and rows."""

    class Kind(models.TextChoices):
        LEAKED_LIST = "leaked_list", "leaked list"
        VERDICT = "verdict", "court verdict"
        NOTICE = "notice", "government notice"
        REPORT = "report"
        OTHER = "other"

    title = models.CharField(max_length=300)
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.OTHER)
    sha256 = models.CharField(max_length=64, unique=True)
    file_name = models.CharField(max_length=300, blank=True, help_text="The file's name as received")
    stored_path = models.CharField(max_length=300, blank=True, help_text="Path of the original under the media folder")
    provenance = EncryptedTextField(blank=True, help_text="How and from whom the document was obtained")
    obtained_on = models.DateField(null=True, blank=True)
    mapping = models.JSONField(default=dict, blank=True, help_text="Which column holds which field (tabular documents)")
    published = models.BooleanField(
        default=False,
        db_default=False,  # rows written by plain INSERTs (vigil.bulk) get it too
        help_text="An editor decided the facts this document asserts may be public (vigil.public.services.document_publish); its rows and file never are",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title


class DocumentRow(models.Model):
    """One row of a tabular document, kept exactly as it was in the file."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="rows")
    number = models.PositiveIntegerField(help_text="Row number as a spreadsheet shows it (1 = the header, 2 = the first data row)")
    data = EncryptedJSONField(help_text="The row's cells by column header, as in the file (identity numbers among them)")
    person = models.OneToOneField(
        "records.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="list_row",
        help_text="The person record made from this row, once a reviewer linked or created it",
    )

    class Meta:
        ordering = ["document", "number"]
        constraints = [models.UniqueConstraint(fields=["document", "number"], name="document_row_unique")]

    def __str__(self) -> str:
        return f"{self.document} row {self.number}"


class EvidenceFile(models.Model):
    """A video, photo, audio or scan, stored by SHA-256; the original is kept apart from working copies."""

    class Kind(models.TextChoices):
        PHOTO = "photo"
        VIDEO = "video"
        AUDIO = "audio"
        SCAN = "scan"
        OTHER = "other"

    sha256 = models.CharField(max_length=64, unique=True)
    kind = models.CharField(max_length=8, choices=Kind.choices, default=Kind.OTHER)
    media_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveBigIntegerField()
    original_name = EncryptedTextField(blank=True, help_text="File names often carry names")
    stored_path = models.CharField(max_length=300, help_text="Path of the write-once original under the media folder")
    description = EncryptedTextField(blank=True)
    metadata_checked = models.BooleanField(
        default=False,
        db_default=False,  # rows written by plain INSERTs (vigil.bulk) get it too
        help_text="An editor checked the file's embedded metadata (GPS, device, names); a video or audio file is published only with this and full consent",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.kind} {self.sha256[:12]}"


class WorkingCopy(models.Model):
    """A file derived from an evidence file's original (thumbnail, redacted copy, transcode), stored apart from it.

    It has its own SHA-256 and records how it was made, so that anyone can tell a working copy from
    the original and see what was done to it.
    """

    class Kind(models.TextChoices):
        THUMBNAIL = "thumbnail"
        REDACTED = "redacted", "redacted (metadata removed)"
        TRANSCODE = "transcode"

    evidence = models.ForeignKey(EvidenceFile, on_delete=models.PROTECT, related_name="working_copies")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    recipe = models.CharField(max_length=100, help_text="Short name of how it was made; one copy per original and recipe")
    method = models.JSONField(default=dict, help_text="How it was made: operation, tool and version, settings, kinds of metadata removed")
    sha256 = models.CharField(max_length=64)
    size = models.PositiveBigIntegerField()
    media_type = models.CharField(max_length=100)
    stored_path = models.CharField(max_length=300, help_text="Path of the copy under the media folder's working/ area")
    made_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["evidence", "kind", "created_at"]
        constraints = [models.UniqueConstraint(fields=["evidence", "recipe"], name="working_copy_one_per_recipe")]

    def __str__(self) -> str:
        return f"{self.kind} {self.sha256[:12]} of {self.evidence}"


class FileKey(models.Model):
    """The file key of a stored file that is encrypted at rest (a sealed file, see vigil.core.sealed_files).

    Kept by the file's path rather than on the record that refers to it, so that the media folder's two
    functions (``write_blob``, ``open_blob``) encrypt and decrypt every kind of stored file the same way,
    and so that one content-addressed file referred to by two records has one key. The key is wrapped
    under the field keyring (an ``EncryptedTextField``): ``vigil keys rotate`` re-wraps it without
    touching the file. A stored file without a row here is plaintext.
    """

    stored_path = models.CharField(max_length=300, unique=True, help_text="Path of the sealed file under the media folder")
    file_key = EncryptedTextField(help_text="The file's own AES-256 key (base64), wrapped under the field keyring")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["stored_path"]

    def __str__(self) -> str:
        return f"file key of {self.stored_path}"
