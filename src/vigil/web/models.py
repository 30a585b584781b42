from __future__ import annotations

from django.conf import settings
from django.db import models


class IntakeDraft(models.Model):
    """A testimony being entered, saved as it is typed so that a reload loses nothing. One per user."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="intake_draft")
    data = models.JSONField(default=dict)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"intake draft of user #{self.user_id}"
