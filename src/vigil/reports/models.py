from __future__ import annotations

from django.conf import settings
from django.db import models

from vigil.keys.fields import EncryptedJSONField
from django.utils.translation import gettext_lazy as _


class CaseForm(models.Model):
    """A case form for the UN Working Group on Enforced or Involuntary Disappearances, as the user edited it.

    ``content`` holds every statement of the form with its sources (vigil.reports.wgeid): prefilled
    from the record, then reviewed and edited. What the record cannot say (the authorities believed
    responsible, the steps the relatives took, the submitting organisation) is typed in here.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        REVIEWED = "reviewed", _("reviewed")

    person = models.ForeignKey("records.Person", on_delete=models.PROTECT, related_name="case_forms")
    content = EncryptedJSONField(default=dict, help_text="The form's statements and choices, as edited (vigil.reports.wgeid); names, numbers and the source's details, so encrypted")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.DRAFT)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated_at", "-id"]

    def __str__(self) -> str:
        return f"WGEID case form #{self.pk} (person #{self.person_id})"
