from django.db import models

from vigil.core.dates import Precision


class DatePrecision(models.TextChoices):
    DAY = Precision.DAY.value, "exact day"
    MONTH = Precision.MONTH.value, "month"
    YEAR = Precision.YEAR.value, "year"
    ABOUT = Precision.ABOUT.value, "about (± 2 years)"
    RANGE = Precision.RANGE.value, "range of years"


class Sex(models.TextChoices):
    MALE = "m", "male"
    FEMALE = "f", "female"


class Ethnicity(models.TextChoices):
    UYGHUR = "uyghur", "Uyghur"
    KAZAKH = "kazakh", "Kazakh"
    KYRGYZ = "kyrgyz", "Kyrgyz"
    HUI = "hui", "Hui"
    UZBEK = "uzbek", "Uzbek"
    TATAR = "tatar", "Tatar"
    TAJIK = "tajik", "Tajik"
    HAN = "han", "Han"
    OTHER = "other", "other"


class Script(models.TextChoices):
    CYRILLIC = "cyrillic", "Cyrillic"
    LATIN = "latin", "Latin"
    ARABIC = "arabic", "Arabic script"
    HAN = "han", "Chinese characters"
    MIXED = "mixed", "mixed"
    UNKNOWN = "unknown", "unknown"
