"""Labels for the public pages, from the plain values of vigil.public.selectors."""

from __future__ import annotations

from django import template
from django.utils.translation import gettext_lazy as _

from vigil.records.derived import EvidenceLevel
from vigil.records.models.choices import Ethnicity, Sex

register = template.Library()

_SEX = dict(Sex.choices)
_ETHNICITY = dict(Ethnicity.choices)
# The models' labels of these are plain English: the public pages translate them here.
_FACILITY_TYPE = {
    "camp": _("internment camp"), "detention_centre": _("detention centre"), "prison": _("prison"),
    "police_station": _("police station"), "forced_labour": _("forced labour site"), "other": _("other"), "unknown": _("unknown"),
}
_DOCUMENT_KIND = {
    "leaked_list": _("leaked list"), "verdict": _("court verdict"), "notice": _("government notice"),
    "report": _("report"), "other": _("other"),
}


@register.simple_tag
def sex_label(value: str) -> str:
    return str(_SEX.get(value, "")) if value else ""


@register.simple_tag
def ethnicity_label(value: str) -> str:
    return str(_ETHNICITY.get(value, "")) if value else ""


@register.simple_tag
def facility_type_label(value: str) -> str:
    return str(_FACILITY_TYPE.get(value, value))


@register.simple_tag
def document_kind_label(value: str) -> str:
    return str(_DOCUMENT_KIND.get(value, value))


@register.simple_tag
def evidence_level_label(level: int) -> str:
    return str(EvidenceLevel.LABELS.get(level, ""))
