from __future__ import annotations

from django.conf import settings
from django.db import models

from vigil.keys.fields import EncryptedJSONField


class IntakeDraft(models.Model):
    """A testimony being entered, saved as it is typed so that a reload loses nothing. One per user."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="intake_draft")
    data = EncryptedJSONField(default=dict)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"intake draft of user #{self.user_id}"


class Preference(models.Model):
    """What a user chose for the interface (their language), remembered across sessions and devices."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="preference")
    language = models.CharField(max_length=16, blank=True)

    def __str__(self) -> str:
        return f"preferences of user #{self.user_id}"
