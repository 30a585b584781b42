from __future__ import annotations

from django.db import models


class Place(models.Model):
    """An administrative division (GB/T 2260 code for Xinjiang's counties)."""

    class Level(models.TextChoices):
        PROVINCE = "province"
        PREFECTURE = "prefecture"
        COUNTY = "county"

    code = models.CharField(max_length=12, unique=True)
    name_zh = models.CharField("name (Chinese)", max_length=100, help_text="The latest Chinese name of the code")
    pinyin = models.CharField(max_length=150)
    level = models.CharField(max_length=16, choices=Level.choices)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    valid_from = models.PositiveSmallIntegerField(null=True, blank=True, help_text="First year the code was in use")
    valid_to = models.PositiveSmallIntegerField(null=True, blank=True, help_text="Last year the code was in use")

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.name_zh} ({self.pinyin}, {self.code})"


class PlaceName(models.Model):
    """One name of a place: a historical Chinese name, or a name in another script."""

    place = models.ForeignKey(Place, on_delete=models.CASCADE, related_name="names")
    text = models.CharField(max_length=150)
    script = models.CharField(max_length=16)
    language = models.CharField(max_length=16, blank=True)
    valid_from = models.PositiveSmallIntegerField(null=True, blank=True)
    valid_to = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["place", "valid_from"]
        constraints = [models.UniqueConstraint(fields=["place", "text", "valid_from"], name="place_name_unique")]

    def __str__(self) -> str:
        return self.text


class Facility(models.Model):
    """A camp, detention centre, prison or other place where people are held."""

    class Type(models.TextChoices):
        CAMP = "camp", "internment camp"
        DETENTION_CENTRE = "detention_centre", "detention centre"
        PRISON = "prison"
        POLICE_STATION = "police_station", "police station"
        FORCED_LABOUR = "forced_labour", "forced labour site"
        OTHER = "other"
        UNKNOWN = "unknown"

    name = models.CharField(max_length=200, unique=True)
    other_names = models.JSONField(default=list, blank=True, help_text="Other names and spellings")
    type = models.CharField(max_length=24, choices=Type.choices, default=Type.UNKNOWN)
    county = models.ForeignKey(Place, null=True, blank=True, on_delete=models.PROTECT, related_name="facilities")
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "facilities"

    def __str__(self) -> str:
        return self.name
