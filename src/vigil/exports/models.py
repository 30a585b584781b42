"""Export jobs (an export running in the background, with its progress) and the column mappings of person imports."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class ExportJob(models.Model):
    """One export started from the web: its progress while it runs, then the file to download."""

    class Status(models.TextChoices):
        QUEUED = "queued"
        RUNNING = "running"
        DONE = "done"
        FAILED = "failed"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", help_text="Who started it: the only one who may download it")
    dataset = models.CharField(max_length=16)
    format = models.CharField(max_length=8)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.QUEUED)
    done = models.PositiveIntegerField(default=0, help_text="Rows written so far")
    total = models.PositiveIntegerField(default=0, help_text="Rows to write")
    file = models.CharField(max_length=300, blank=True, help_text="The file's name in the exports folder, once done")
    sha256 = models.CharField(max_length=64, blank=True)
    size = models.PositiveBigIntegerField(default=0)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, help_text="Last progress report: a running job silent for long was interrupted")
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"export #{self.pk} of {self.dataset} ({self.format}, {self.status})"

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        return int(100 * self.done / self.total) if self.total else 0


class ImportSource(models.Model):
    """A source of person lists (a partner organisation, a spreadsheet series) and the column mapping its files use."""

    name = models.CharField(max_length=100, unique=True)
    mapping = models.JSONField(default=dict, help_text="File column -> vigil field, reused when an import gives no --map")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
