from __future__ import annotations

from django.db import models

from vigil.core.dates import PartialDate, Precision
from vigil.keys.fields import EncryptedTextField, blind_index
from vigil.records.models.choices import DatePrecision, Ethnicity, Script, Sex


class Person(models.Model):
    """Someone who was detained or disappeared. One record per source until linkage merges them."""

    ref = models.CharField(max_length=64, null=True, blank=True, unique=True, help_text="Record identifier in the source it came from")
    sex = models.CharField(max_length=1, choices=Sex.choices, blank=True)
    birth_date = models.DateField(null=True, blank=True, help_text="Earliest day the birth date can be")
    birth_date_latest = models.DateField(null=True, blank=True)
    birth_precision = models.CharField(max_length=8, choices=DatePrecision.choices, blank=True)
    ethnicity = models.CharField(max_length=16, choices=Ethnicity.choices, blank=True, db_index=True)
    citizenship = models.JSONField(default=list, blank=True, help_text="ISO 3166 alpha-2 codes")
    hometown = models.ForeignKey("places.Place", null=True, blank=True, on_delete=models.PROTECT, related_name="natives")
    hometown_text = models.CharField(max_length=200, blank=True, help_text="The hometown as given, when it is not a known code")
    notes = EncryptedTextField(blank=True)
    evidence = models.ManyToManyField("evidence.EvidenceFile", blank=True, related_name="persons")
    # A merge never moves or deletes rows: the merged record points at the record it was merged
    # into, and every record of a cluster points at the cluster's root (``canonical``, itself for a
    # root). Unmerging restores both pointers, so a merge round-trips exactly.
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="merged",
        help_text="Set when this record was merged into another; unmerge clears it",
    )
    canonical = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="cluster",
        help_text="The root record of this person's cluster (itself when not merged)",
    )
    # Derived from the claims of the whole cluster (vigil.records.derived), kept on the root for lists.
    status = models.CharField(max_length=24, blank=True, db_index=True, help_text="Type of the latest claim (derived)")
    status_date = models.DateField(null=True, blank=True, help_text="Date of the latest claim (derived)")
    sources = models.PositiveIntegerField(default=0, help_text="Independent sources: testifiers and documents (derived)")
    evidence_level = models.PositiveSmallIntegerField(default=0, db_index=True, help_text="0 none, 1 single source, 2 corroborated, 3 documented (derived)")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["birth_date"]), models.Index(fields=["sex"])]

    def __str__(self) -> str:
        name = self.display_name
        return f"{name} (#{self.pk})" if name else f"person #{self.pk}"

    @property
    def display_name(self) -> str:
        """The first full name on record, else the first name of any kind."""
        names = list(self.names.all())
        full = [n for n in names if n.kind == Name.Kind.FULL]
        return (full or names)[0].text if names else ""

    @property
    def birth(self) -> PartialDate | None:
        if self.birth_date is None or self.birth_date_latest is None or not self.birth_precision:
            return None
        return PartialDate(self.birth_date, self.birth_date_latest, Precision(self.birth_precision))


class Name(models.Model):
    """One rendering of a person's name, kept exactly as given, with its script and source."""

    class Kind(models.TextChoices):
        FULL = "full", "full name"
        GIVEN = "given", "given name"
        FATHER = "father", "father's name / patronymic"
        FAMILY = "family", "family name"
        ALIAS = "alias", "alias"

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="names")
    text = models.CharField(max_length=300)
    script = models.CharField(max_length=16, choices=Script.choices)
    script_overridden = models.BooleanField(default=False, help_text="Set by a person rather than detected")
    kind = models.CharField(max_length=8, choices=Kind.choices, default=Kind.FULL)
    romanized = models.CharField(max_length=300, blank=True, db_index=True, help_text="vigil's Latin form, for display and search")
    testimony = models.ForeignKey("records.Testimony", null=True, blank=True, on_delete=models.PROTECT, related_name="names")
    document = models.ForeignKey("evidence.Document", null=True, blank=True, on_delete=models.PROTECT, related_name="names")

    class Meta:
        ordering = ["person", "id"]

    def __str__(self) -> str:
        return self.text


class NameKey(models.Model):
    """A cross-script match key of a name (vigil.core.names.match_keys), indexed for blocking and search."""

    name = models.ForeignKey(Name, on_delete=models.CASCADE, related_name="keys")
    key = models.CharField(max_length=64)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["name", "key"], name="name_key_unique")]
        # (key, name) covers the lookup "which names share these keys" without touching the table.
        indexes = [models.Index(fields=["key", "name"], name="name_key_lookup")]

    def __str__(self) -> str:
        return self.key


class IdentityNumber(models.Model):
    """An identity number of a person under its scheme. A number that fails its check is kept and flagged."""

    class Scheme(models.TextChoices):
        CN_RIC = "cn_ric", "Chinese resident identity number"
        KZ_IIN = "kz_iin", "Kazakhstan IIN"
        PASSPORT = "passport", "passport"
        OTHER = "other", "other"

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="identity_numbers")
    scheme = models.CharField(max_length=12, choices=Scheme.choices)
    value = EncryptedTextField(help_text="As given")
    normalized = EncryptedTextField(help_text="The form records are matched on")
    lookup = models.CharField(max_length=64, db_index=True, help_text="Blind index (keyed hash) of the normalised form: finds a number without decrypting")
    valid = models.BooleanField()
    problem = models.CharField(max_length=300, blank=True, help_text="Why the check failed")
    notes = EncryptedTextField(blank=True)
    birth_date = models.DateField(null=True, blank=True, help_text="Decoded from the number")
    sex = models.CharField(max_length=1, choices=Sex.choices, blank=True, help_text="Decoded from the number")
    county_code = models.CharField(max_length=6, blank=True, help_text="Decoded from the number")
    testimony = models.ForeignKey("records.Testimony", null=True, blank=True, on_delete=models.PROTECT, related_name="identity_numbers")
    document = models.ForeignKey("evidence.Document", null=True, blank=True, on_delete=models.PROTECT, related_name="identity_numbers")

    class Meta:
        ordering = ["person", "id"]

    def __str__(self) -> str:
        # Never the number: this string reaches logs and audit entries.
        return f"{self.get_scheme_display()} #{self.pk}" + ("" if self.valid else " (failed check)")

    @staticmethod
    def lookup_of(normalized: str) -> str:
        """The blind index of a normalised number (what ``lookup`` holds)."""
        return blind_index(normalized, purpose="identity_number")
