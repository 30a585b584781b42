from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q


class Match(models.Model):
    """A candidate pair that may be one person: two persons, or a list row and a person."""

    class Status(models.TextChoices):
        PROPOSED = "proposed"
        ACCEPTED = "accepted"
        REJECTED = "rejected"

    person_a = models.ForeignKey("records.Person", on_delete=models.CASCADE, related_name="+")
    person_b = models.ForeignKey("records.Person", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    list_row = models.ForeignKey("evidence.DocumentRow", null=True, blank=True, on_delete=models.CASCADE, related_name="matches")
    probability = models.FloatField(help_text="Match probability under the model")
    match_weight = models.FloatField(help_text="Sum of the field weights (log2 Bayes factor) plus the prior")
    field_weights = models.JSONField(default=dict, help_text="Weight of each compared field, for the review screen")
    model_version = models.CharField(max_length=80, help_text="The linkage model that scored the pair")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PROPOSED, db_index=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-probability", "id"]
        verbose_name_plural = "matches"
        constraints = [
            models.CheckConstraint(
                condition=(Q(person_b__isnull=False) & Q(list_row__isnull=True) & Q(person_a__lt=F("person_b")))
                | (Q(person_b__isnull=True) & Q(list_row__isnull=False)),
                name="match_is_a_pair",
                violation_error_message="A match is two persons (lower id first) or a list row and a person.",
            ),
            models.UniqueConstraint(fields=["person_a", "person_b"], condition=Q(person_b__isnull=False), name="match_person_pair_unique"),
            models.UniqueConstraint(fields=["list_row", "person_a"], condition=Q(list_row__isnull=False), name="match_row_person_unique"),
        ]

    def __str__(self) -> str:
        other = f"person #{self.person_b_id}" if self.person_b_id else f"row #{self.list_row_id}"
        return f"person #{self.person_a_id} ~ {other} ({self.probability:.2f}, {self.status})"


class Merge(models.Model):
    """One person record merged into another, with everything needed to undo it exactly."""

    survivor = models.ForeignKey("records.Person", on_delete=models.PROTECT, related_name="merges_in")
    merged = models.ForeignKey("records.Person", on_delete=models.PROTECT, related_name="merges_out")
    match = models.ForeignKey(Match, null=True, blank=True, on_delete=models.SET_NULL, related_name="merges")
    members = models.JSONField(help_text="Ids of the person records that joined the survivor's cluster")
    merged_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    merged_at = models.DateTimeField()
    undone_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    undone_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-merged_at"]

    def __str__(self) -> str:
        return f"#{self.merged_id} into #{self.survivor_id}" + (" (undone)" if self.undone_at else "")


class LinkRun(models.Model):
    """One run of the linkage over the database: which model scored it and what it proposed."""

    started_at = models.DateTimeField()
    seconds = models.FloatField(default=0)
    model_version = models.CharField(max_length=80)
    trained = models.BooleanField(default=False, help_text="Whether this run trained the model it used")
    incremental = models.BooleanField(default=False)
    max_person_id = models.BigIntegerField(default=0, help_text="Records up to this id were compared")
    records = models.PositiveIntegerField(default=0)
    candidate_pairs = models.PositiveBigIntegerField(default=0)
    proposed = models.PositiveIntegerField(default=0)
    auto_merged = models.PositiveIntegerField(default=0)
    run_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"link run {self.started_at:%Y-%m-%d %H:%M} ({self.proposed} proposed)"
