"""A facility's name read as what it names: a kind of place of detention, where, and which of them.

Relatives name a camp in their own language ("Awati County Vocational Skills Education and Training
Centre No. 2"); a leaked police list names it in Chinese (阿瓦提县第二职业技能教育培训中心). Official
names follow one pattern in both: the place (county, city or prefecture), an ordinal when there are
several, and the kind of facility. :func:`parse_facility` splits a name into those three; the linker
resolves the place through the gazetteer like any place text, so the two names above give one key.

A name that does not follow the pattern (a nickname, "the camp by the river") has no kind; it is compared
as written, romanised and folded.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from anyascii import anyascii

#: Chinese kind words, longest first: a facility name ends with one of them.
_KINDS_ZH: tuple[tuple[str, str], ...] = tuple(sorted((
    ("职业技能教育培训中心", "camp"), ("教育转化培训中心", "camp"), ("教育培训中心", "camp"), ("教培中心", "camp"),
    ("培训中心", "camp"), ("培训学校", "camp"), ("转化中心", "camp"), ("教育转化中心", "camp"), ("再教育营", "camp"),
    ("看守所", "detention_centre"), ("拘留所", "detention_house"), ("监狱", "prison"), ("女子监狱", "prison"),
    ("未成年犯管教所", "prison"), ("戒毒所", "drug_rehabilitation"), ("强制隔离戒毒所", "drug_rehabilitation"),
    ("服装厂", "factory"), ("纺织厂", "factory"), ("工厂", "factory"), ("扶贫车间", "factory"), ("卫星工厂", "factory"),
), key=lambda kv: -len(kv[0])))

#: Latin words (after anyascii, so Cyrillic and Arabic script come here romanised) and the kind they name.
#: The first that occurs in the name decides; the order puts the specific before the general.
_KINDS_LATIN: tuple[tuple[re.Pattern[str], str], ...] = tuple((re.compile(p), k) for p, k in (
    (r"\bvocational\b|\bvetc\b|\bre-?education\b|\btransformation\b|\btraining (?:centre|center|school)\b"
     r"|\bconcentration camp\b|\bcamp\b|\blager|\blagir|\bterbiyelesh|\btarbiyalash", "camp"),
    (r"\bdetention (?:house)\b|\bizoliator vremennogo\b", "detention_house"),
    (r"\bdetention\b|\bsizo\b|\bizoliator|\bqamaqxan|\bqamaqkhan", "detention_centre"),
    (r"\bprison\b|\bpenitentiary\b|\btiurm|\btyur'?m|\bturm", "prison"),
    (r"\bdrug rehabilitation\b|\bdrug rehab\b", "drug_rehabilitation"),
    (r"\bfactory\b|\bgarment\b|\bworkshop\b|\bindustrial park\b|\bfabrika\b|\bzavod\b", "factory"),
))

_ZH_DIGITS = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_NUMBER_ZH = re.compile(r"第([一二三四五六七八九十百\d]+)|([一二三四五六七八九十\d]+)号")
_NUMBER_LATIN = re.compile(r"(?:\bno\b\.?|\bnumber\b|#|№|\bnomer\b)\s*(\d+)|\b(\d+)(?:st|nd|rd|th)?\b")
#: Chinese words between a place and the kind that are neither ("工业园区" of a factory, "市" left over).
_FILLER_ZH = re.compile(r"工业园区|产业园区?|园区|地区|公安局|司法局")
_FILLER_LATIN = re.compile(r"\b(?:no|number|nomer|the|of|and|city|county|prefecture|district|municipal|"
                           r"public security|bureau|skills?|education|training|centre|center|industrial|park|"
                           r"house|school|women'?s|juvenile|xinjiang|uyghur autonomous region|xian|shi)\b")


@dataclass(frozen=True, slots=True)
class FacilityName:
    """A facility name's parts: its kind (None when no kind word is found), its place text and its number."""

    kind: str | None
    place: str
    number: int


def _zh_number(text: str) -> int:
    if text.isdigit():
        return int(text)
    if text == "十":
        return 10
    if "十" in text:
        tens, _, ones = text.partition("十")
        return (_ZH_DIGITS.get(tens, 1)) * 10 + _ZH_DIGITS.get(ones, 0)
    return _ZH_DIGITS.get(text, 1)


@lru_cache(maxsize=16384)
def parse_facility(text: str) -> FacilityName:
    """The kind, place text and number of a facility name in any script (see the module's docstring).

    >>> parse_facility("阿瓦提县第二职业技能教育培训中心")
    FacilityName(kind='camp', place='阿瓦提县', number=2)
    >>> parse_facility("Awati County Vocational Skills Education and Training Centre No. 2")
    FacilityName(kind='camp', place='awati', number=2)
    """
    text = text.strip()
    if any("\u4e00" <= ch <= "\u9fff" for ch in text):
        kind = None
        for word, k in _KINDS_ZH:
            at = text.rfind(word)
            if at > 0 or (at == 0 and len(text) > len(word)):
                kind, text = k, text[:at] + text[at + len(word):]
                break
        number = 1
        m = _NUMBER_ZH.search(text)
        if m:
            number = _zh_number(m[1] or m[2])
            text = text[:m.start()] + text[m.end():]
        place = _FILLER_ZH.sub("", text).strip()
        # "某看守所" (a certain detention centre) names no place.
        return FacilityName(kind, "" if len(place) < 2 or place.startswith("某") else place, number)
    latin = anyascii(text).lower()
    kind = next((k for pattern, k in _KINDS_LATIN if pattern.search(latin)), None)
    number = 1
    m = _NUMBER_LATIN.search(latin)
    if m:
        number = int(m[1] or m[2])
        latin = latin[:m.start()] + " " + latin[m.end():]
    first = min((found.start() for p, _k in _KINDS_LATIN if (found := p.search(latin))), default=len(latin))
    place = latin[:first]
    if not place.strip():  # the kind first: "Prison No. 3 of Kashgar"
        for pattern, _k in _KINDS_LATIN:
            latin = pattern.sub(" ", latin)
        place = latin
    place = _FILLER_LATIN.sub(" ", place)
    place = " ".join(re.findall(r"[a-z]+", place))
    return FacilityName(kind, place if len(place) >= 3 else "", number)
