from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from vigil.core.dates import PartialDate, Precision
from vigil.keys.fields import EncryptedTextField
from vigil.records.models.choices import DatePrecision


class Claim(models.Model):
    """One fact a testimony or document asserts about a person. Never stored without its source."""

    class Type(models.TextChoices):
        DETAINED = "detained", _("detained")
        HELD_AT = "held_at", _("held at")
        SENTENCED = "sentenced", _("sentenced")
        TRANSFERRED = "transferred", _("transferred")
        RELEASED = "released", _("released")
        HOUSE_ARREST = "house_arrest", _("under house arrest")
        FORCED_LABOUR = "forced_labour", _("in forced labour")
        DIED = "died", _("died")
        WHEREABOUTS_UNKNOWN = "whereabouts_unknown", _("whereabouts unknown")

    person = models.ForeignKey("records.Person", on_delete=models.CASCADE, related_name="claims")
    type = models.CharField(max_length=24, choices=Type.choices, db_index=True)
    date = models.DateField(null=True, blank=True, help_text="Earliest day the fact can have begun")
    date_latest = models.DateField(null=True, blank=True)
    date_precision = models.CharField(max_length=8, choices=DatePrecision.choices, blank=True)
    end_date = models.DateField(null=True, blank=True)
    end_date_latest = models.DateField(null=True, blank=True)
    end_date_precision = models.CharField(max_length=8, choices=DatePrecision.choices, blank=True)
    facility = models.ForeignKey("places.Facility", null=True, blank=True, on_delete=models.PROTECT, related_name="claims")
    place = models.ForeignKey("places.Place", null=True, blank=True, on_delete=models.PROTECT, related_name="claims")
    place_text = models.CharField(max_length=200, blank=True)
    term_months = models.PositiveIntegerField(null=True, blank=True, help_text="Length of a sentence")
    note = EncryptedTextField(blank=True)
    testimony = models.ForeignKey("records.Testimony", null=True, blank=True, on_delete=models.PROTECT, related_name="claims")
    document = models.ForeignKey("evidence.Document", null=True, blank=True, on_delete=models.PROTECT, related_name="claims")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["person", "date", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(testimony__isnull=False) | Q(document__isnull=False),
                name="claim_has_source",
                violation_error_message="A claim needs the testimony or document that asserts it.",
            )
        ]

    def __str__(self) -> str:
        when = f" {self.start}" if self.start else ""
        return f"{self.get_type_display()}{when}"

    @property
    def start(self) -> PartialDate | None:
        if self.date is None or self.date_latest is None or not self.date_precision:
            return None
        return PartialDate(self.date, self.date_latest, Precision(self.date_precision))

    @property
    def end(self) -> PartialDate | None:
        if self.end_date is None or self.end_date_latest is None or not self.end_date_precision:
            return None
        return PartialDate(self.end_date, self.end_date_latest, Precision(self.end_date_precision))
