from __future__ import annotations

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from vigil.core.dates import PartialDate
from vigil.core.names import Script, detect_script
from vigil.records.derived import EvidenceLevel
from vigil.records.models import Claim, Person

register = template.Library()

_STATUS = dict(Claim.Type.choices)


@register.simple_tag
def script_text(text: str, script: str | None = None) -> SafeString:
    """Text in its script: Arabic script is isolated and right-to-left wherever it appears."""
    script = script or detect_script(text).value
    if script == Script.ARABIC.value:
        return format_html('<bdi class="arabic" dir="rtl" lang="ug">{}</bdi>', text)
    if script == Script.HAN.value:
        return format_html('<bdi lang="zh">{}</bdi>', text)
    return format_html("<bdi>{}</bdi>", text)


@register.simple_tag
def person_name(person: Person) -> SafeString:
    name = next(iter(sorted(person.names.all(), key=lambda n: (n.kind != "full", n.pk))), None)
    if name is None:
        return format_html("<span class=muted>#{}</span>", person.pk)
    return script_text(name.text, name.script)


@register.simple_tag
def partial_date(value: PartialDate | None) -> SafeString:
    """A partial date, isolated left to right ("~1982" must not read "1982~" on a Uyghur page)."""
    return format_html('<bdi dir="ltr">{}</bdi>', str(value)) if value is not None else mark_safe("")


@register.simple_tag
def status_label(status: str) -> str:
    return str(_STATUS.get(status, status))


@register.simple_tag
def evidence_label(level: int) -> str:
    return EvidenceLevel.LABELS.get(level, "")
