from django.db import models
from django.utils.translation import gettext_lazy as _

from vigil.core.dates import Precision


class DatePrecision(models.TextChoices):
    DAY = Precision.DAY.value, _("exact day")
    MONTH = Precision.MONTH.value, _("month")
    YEAR = Precision.YEAR.value, _("year")
    ABOUT = Precision.ABOUT.value, _("about (± 2 years)")
    RANGE = Precision.RANGE.value, _("range of years")


class Sex(models.TextChoices):
    MALE = "m", _("male")
    FEMALE = "f", _("female")


class Ethnicity(models.TextChoices):
    UYGHUR = "uyghur", _("Uyghur")
    KAZAKH = "kazakh", _("Kazakh")
    KYRGYZ = "kyrgyz", _("Kyrgyz")
    HUI = "hui", _("Hui")
    UZBEK = "uzbek", _("Uzbek")
    TATAR = "tatar", _("Tatar")
    TAJIK = "tajik", _("Tajik")
    HAN = "han", _("Han")
    OTHER = "other", _("other")


class Script(models.TextChoices):
    CYRILLIC = "cyrillic", _("Cyrillic")
    LATIN = "latin", _("Latin")
    ARABIC = "arabic", _("Arabic script")
    HAN = "han", _("Chinese characters")
    MIXED = "mixed", _("mixed")
    UNKNOWN = "unknown", _("unknown")
