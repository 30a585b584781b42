from __future__ import annotations

from django.conf import settings
from django.db import models

from vigil.core.dates import PartialDate, Precision
from vigil.keys.fields import EncryptedTextField
from vigil.records.models.choices import DatePrecision


class Testifier(models.Model):
    """Who gave a testimony. Their identity is the most sensitive data in the system."""

    ref = models.CharField(max_length=64, null=True, blank=True, unique=True)
    name = EncryptedTextField(blank=True)
    relation = models.CharField(max_length=64, blank=True, help_text="Relation to the persons they spoke about")
    country = models.CharField(max_length=2, blank=True, help_text="Where they live (ISO 3166 alpha-2)")
    phone = EncryptedTextField(blank=True)
    email = EncryptedTextField(blank=True)
    note = EncryptedTextField(blank=True, help_text="Anything identifying, e.g. how to reach them safely")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        # Never the name: this string reaches lists, logs and audit entries.
        return f"testifier #{self.pk}"


class Testimony(models.Model):
    """One account from one testifier on one date."""

    class Medium(models.TextChoices):
        IN_PERSON = "in_person", "in person"
        VIDEO = "video"
        AUDIO = "audio"
        WRITTEN = "written"
        PHONE = "phone"
        ONLINE = "online"

    class Consent(models.TextChoices):
        NONE = "none", "do not publish"
        ANONYMISED = "anonymised", "publish anonymised"
        FULL = "full", "publish in full"

    ref = models.CharField(max_length=64, null=True, blank=True, unique=True)
    testifier = models.ForeignKey(Testifier, on_delete=models.PROTECT, related_name="testimonies")
    persons = models.ManyToManyField("records.Person", through="TestimonyPerson", related_name="testimonies")
    date = models.DateField(help_text="Earliest day the testimony can have been given")
    date_latest = models.DateField()
    date_precision = models.CharField(max_length=8, choices=DatePrecision.choices)
    language = models.CharField(max_length=16, blank=True)
    medium = models.CharField(max_length=16, choices=Medium.choices, default=Medium.IN_PERSON)
    summary = EncryptedTextField(blank=True)
    transcript = EncryptedTextField(blank=True)
    sensitive = models.BooleanField(default=False, help_text="Summary and transcript are shown only to editors and administrators")
    consent = models.CharField(max_length=16, choices=Consent.choices, default=Consent.NONE, db_index=True)
    summary_public = models.BooleanField(
        default=False,
        db_default=False,  # rows written by plain INSERTs (vigil.bulk) get it too
        help_text="An editor read the summary and found nothing identifying a testifier; it is published only with full consent",
    )
    evidence = models.ManyToManyField("evidence.EvidenceFile", blank=True, related_name="testimonies")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-date", "id"]
        verbose_name_plural = "testimonies"

    def __str__(self) -> str:
        return f"testimony #{self.pk} of {self.when}"

    @property
    def when(self) -> PartialDate:
        return PartialDate(self.date, self.date_latest, Precision(self.date_precision))


class TestimonyPerson(models.Model):
    """A testimony concerns a person."""

    testimony = models.ForeignKey(Testimony, on_delete=models.CASCADE)
    person = models.ForeignKey("records.Person", on_delete=models.CASCADE)
    relation = models.CharField(max_length=64, blank=True, help_text="The testifier's relation to this person")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["testimony", "person"], name="testimony_person_unique")]
