"""Testimonies: what relatives abroad say about a person, in their own script and with what they know.

Each testifier is a synthetic relative (a sister shares the person's father, a son carries the
person's given name as his patronymic) with contact data from reserved ranges only: e-mail at
example.org/.com/.net, telephone numbers in fictional ranges.
"""

from __future__ import annotations

import random
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from vigil.core.dates import parse_partial_date
from vigil.core.synth.claims import Event, add_months
from vigil.core.synth.people import Person, PersonFactory
from vigil.core.synth.render import NameParts, Rendered, available, choose_column, noisy, render
from vigil.core.synth.ric import corrupt_ric

_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")

EXAMPLE_DOMAINS = ("example.org", "example.com", "example.net")

_COUNTRIES = {
    "kazakh": {"KZ": 85, "TR": 5, "US": 3, "KG": 2, "DE": 2, "GB": 2, "NL": 1},
    "uyghur": {"KZ": 40, "TR": 25, "US": 12, "DE": 6, "KG": 5, "NL": 4, "GB": 3, "AU": 3, "SE": 2},
    "kyrgyz": {"KG": 70, "KZ": 25, "TR": 5},
    "hui": {"KZ": 60, "KG": 30, "US": 10},
}
_WEST = ("US", "DE", "NL", "GB", "AU", "SE")

# (ethnicity, where the relative lives) -> script column they write the name in, with weights.
_SCRIPTS = {
    ("kazakh", "near"): {"kazakh_cyrillic": 50, "russian_cyrillic": 15, "latin_passport": 12,
                         "kazakh_latin_2021": 8, "kazakh_arabic": 8, "chinese": 7},
    ("kazakh", "TR"): {"turkish_style": 70, "kazakh_arabic": 15, "kazakh_cyrillic": 15},
    ("kazakh", "west"): {"latin_passport": 60, "kazakh_cyrillic": 20, "pinyin_style": 20},
    ("uyghur", "near"): {"kazakh_cyrillic": 35, "russian_cyrillic": 30, "uyghur_arabic": 12, "chinese": 10,
                         "uly": 8, "latin_passport": 5},
    ("uyghur", "TR"): {"turkish_style": 55, "uyghur_arabic": 30, "uly": 10, "chinese": 5},
    ("uyghur", "west"): {"uly": 45, "pinyin_style": 20, "uyghur_arabic": 20, "chinese": 10, "turkish_style": 5},
    ("kyrgyz", "near"): {"kazakh_cyrillic": 60, "russian_cyrillic": 20, "latin_passport": 12, "chinese": 8},
    ("kyrgyz", "TR"): {"turkish_style": 80, "kazakh_cyrillic": 20},
    ("hui", "near"): {"chinese": 40, "pinyin_style": 30, "russian_cyrillic": 30},
    ("hui", "west"): {"pinyin_style": 60, "chinese": 40},
}
_LANGUAGE = {"kazakh": "kk", "uyghur": "ug", "kyrgyz": "ky", "hui": "zh"}

_RELATIONS_ONE = {"sister": 14, "brother": 14, "spouse": 14, "son": 10, "daughter": 10, "mother": 8,
                  "father": 4, "niece": 4, "nephew": 4, "cousin": 5, "uncle": 3, "aunt": 3, "neighbour": 3,
                  "friend": 2}
_RELATIONS_SIBLINGS = {"mother": 25, "father": 10, "sister": 20, "brother": 20, "cousin": 10, "aunt": 5,
                       "uncle": 5, "neighbour": 5}
_FEMALE = {"sister", "wife", "daughter", "mother", "niece", "aunt"}
_INVERSE = {"sister": "sibling", "brother": "sibling", "wife": "husband", "husband": "wife", "son": "parent",
            "daughter": "parent", "mother": "child", "father": "child", "niece": "uncle or aunt",
            "nephew": "uncle or aunt", "cousin": "cousin", "uncle": "nephew or niece",
            "aunt": "nephew or niece", "neighbour": "neighbour", "friend": "friend"}
_MEDIUM = {"in_person": 55, "video": 20, "phone": 10, "audio": 5, "written": 5, "online": 5}
_CONSENT = {"none": 30, "anonymised": 50, "full": 20}


def pick(rng: random.Random, weights: dict[str, int]) -> str:
    keys = list(weights)
    return rng.choices(keys, weights=list(weights.values()))[0]


@dataclass(frozen=True, slots=True)
class Testifier:
    ref: str
    name: str
    relation: str
    country: str
    column: str
    phone: str | None
    email: str | None

    def as_json(self, rng: random.Random) -> dict[str, Any]:
        out: dict[str, Any] = {"ref": self.ref, "name": self.name, "relation": self.relation,
                               "country": self.country}
        if self.phone:
            out["phone"] = self.phone
        if self.email:
            out["email"] = self.email
        if rng.random() < 0.1:
            out["note"] = "Prefers contact through the group's office."
        return out


def fake_phone(country: str, rng: random.Random) -> str:
    """A number in a range reserved for fiction or clearly fake (+7 700 555 ...)."""
    if country == "US":
        return f"+1 202 555 01{rng.randrange(100):02d}"
    if country == "GB":
        return f"+44 7700 900{rng.randrange(1000):03d}"
    return f"+7 700 555 {rng.randrange(10000):04d}"


def fake_email(latin: str, rng: random.Random) -> str:
    ascii_name = unicodedata.normalize("NFKD", latin).encode("ascii", "ignore").decode().lower()
    local = "".join(ch for ch in ascii_name if ch.isalnum()) or "witness"
    if rng.random() < 0.6:
        local += str(rng.randrange(1, 100))
    return f"{local}@{rng.choice(EXAMPLE_DOMAINS)}"


class TestimonyMaker:
    """Builds testimony lines (JSON-ready dicts) and their flat person records for a household."""

    def __init__(self, *, rng: random.Random, factory: PersonFactory) -> None:
        self.rng = rng
        self.factory = factory
        self.testimony_no = 0
        self.testifier_no = 0
        self.record_no = 0

    # -- testifiers ---------------------------------------------------------------------------
    def testifier(self, persons: tuple[Person, ...]) -> Testifier:
        rng, p = self.rng, persons[0]
        relation = pick(rng, _RELATIONS_SIBLINGS if len(persons) > 1 else _RELATIONS_ONE)
        if relation == "spouse":
            relation = "wife" if p.sex == "m" else "husband"
        sex = "f" if relation in _FEMALE else "m"
        given = self.factory.given_name(p.ethnicity, sex)
        father = self.factory.given_name(p.ethnicity, "m")
        if relation in ("sister", "brother"):
            father = p.father
        elif relation in ("son", "daughter") and p.sex == "m":
            father = p.given
        elif relation == "father":
            given = p.father
        surname = p.surname if p.surname is not None and relation not in ("wife", "mother") else None
        if p.ethnicity == "hui" and surname is None:
            surname = rng.choice(self.factory.lexicon.surnames)
        country = pick(rng, _COUNTRIES[p.ethnicity])
        region = "TR" if country == "TR" else "west" if country in _WEST else "near"
        scripts = _SCRIPTS.get((p.ethnicity, region)) or _SCRIPTS[(p.ethnicity, "near")]
        parts = NameParts(given, father if surname is None else None, surname, sex, p.ethnicity)
        column = choose_column(parts, pick(rng, scripts))
        name = render(parts, column, rng).text
        self.testifier_no += 1
        return Testifier(
            ref=f"W{self.testifier_no:07d}",
            name=name,
            relation=relation,
            country=country,
            column=column,
            phone=fake_phone(country, rng) if rng.random() < 0.75 else None,
            email=fake_email(given.form("latin_passport"), rng) if rng.random() < 0.55 else None,
        )

    # -- one person entry ---------------------------------------------------------------------
    def names(self, p: Person, column: str) -> tuple[list[dict[str, str]], Rendered]:
        rng = self.rng
        father = None if (p.surname is not None or rng.random() < 0.1) else p.father
        parts = NameParts(p.given, father, p.surname, p.sex, p.ethnicity)
        column = choose_column(parts, column)
        main = noisy(render(parts, column, rng), rng)
        out = [self._name(main.text, "full", main.script)]
        if rng.random() < 0.2:
            if main.given:
                out.append(self._name(main.given, "given", main.script))
            if main.father:
                out.append(self._name(main.father, "father", main.script))
        if rng.random() < 0.2:
            # A second spelling, copied from an identity card or a passport.
            other = "chinese" if column != "chinese" and rng.random() < 0.6 else "pinyin_style"
            if other != column and available(parts, other):
                extra = render(parts, other, rng)
                out.append(self._name(extra.text, "full", extra.script))
        return out, main

    def _name(self, text: str, kind: str, script: str) -> dict[str, str]:
        name = {"text": text, "kind": kind}
        if self.rng.random() < 0.5:
            name["script"] = script
        return name

    def birth_date(self, p: Person) -> str | None:
        rng = self.rng
        r = rng.random()
        year = p.birth.year + (rng.choice((-1, 1)) if rng.random() < 0.08 else 0)
        if r < 0.12:
            return None
        if r < 0.30:
            return p.birth.isoformat()
        if r < 0.40:
            return f"{p.birth:%Y-%m}"
        if r < 0.85:
            return str(year)
        if r < 0.95:
            return f"~{year}" if rng.random() < 0.6 else f"about {year}"
        return f"{p.birth.year - 1}/{p.birth.year + 1}"

    def partial(self, d: date) -> str:
        rng = self.rng
        if rng.random() < 0.1:
            d = add_months(d, rng.choice((-1, 1)))
        r = rng.random()
        if r < 0.3:
            return d.isoformat()
        if r < 0.7:
            return f"{d:%Y-%m}"
        if r < 0.95:
            return str(d.year)
        return f"~{d.year}"

    def claim(self, e: Event) -> dict[str, Any]:
        rng = self.rng
        c: dict[str, Any] = {"type": e.type, "date": self.partial(e.start)}
        if e.end is not None and rng.random() < 0.5:
            c["date_end"] = self.partial(e.end)
        if e.facility is not None:
            r = rng.random()
            if r < 0.4:
                c["facility"] = e.facility.as_json()
            elif r < 0.9:
                c["facility"] = {"name": e.facility.name}
            else:
                c["facility"] = {"name": e.facility.name_zh}
        if e.place is not None and rng.random() < 0.5:
            c["place"] = {"code": e.place.code}
        if e.term_months is not None and rng.random() < 0.9:
            c["term_months"] = e.term_months
        return c

    def person_entry(self, p: Person, column: str) -> tuple[dict[str, Any], dict[str, str]]:
        rng = self.rng
        self.record_no += 1
        ref = f"R{self.record_no:07d}"
        names, main = self.names(p, column)
        entry: dict[str, Any] = {"ref": ref, "names": names}
        record = {"id": ref, "full_name": main.text, "given_name": "", "father_name": "",
                  "family_name": main.family, "birth_date": "", "birth_year": "", "sex": "",
                  "ethnicity": "", "id_number": "", "place": "", "address": "",
                  "facility": "", "detained_date": ""}
        for n in names:
            if n["kind"] in ("given", "father"):
                record[f"{n['kind']}_name"] = n["text"]
        if rng.random() < 0.9:
            entry["sex"] = record["sex"] = p.sex
        birth = self.birth_date(p)
        if birth is not None:
            entry["birth_date"] = birth
            if _ISO_DAY.fullmatch(birth):
                record["birth_date"] = birth
            # The flat record carries what the database gives the linker: the most likely year, also of
            # "about 1978" and "1977/1979" (see vigil.linkage.features).
            record["birth_year"] = str(parse_partial_date(birth).year)
        if rng.random() < 0.88:
            entry["ethnicity"] = record["ethnicity"] = p.ethnicity
        if rng.random() < 0.6:
            entry["citizenship"] = ["CN", "KZ"] if p.ethnicity == "kazakh" and rng.random() < 0.05 else ["CN"]
        r = rng.random()
        if r < 0.7:
            entry["hometown"] = {"code": p.hometown.code}
            record["place"] = p.hometown.code
        elif r < 0.88:
            text = p.hometown.name_zh if rng.random() < 0.5 else p.hometown.name_en
            entry["hometown"] = {"text": text}
            record["address"] = text
        if p.id_number is not None and rng.random() < 0.25:
            value = p.id_number if rng.random() < 0.97 else corrupt_ric(p.id_number, rng)
            entry["identity_numbers"] = [{"scheme": "cn_ric", "value": value}]
            record["id_number"] = value
        known = [e for e in p.events if rng.random() < (0.92 if e.type == "detained" else 0.6)]
        entry["claims"] = [self.claim(e) for e in (known or p.events[:1])]
        # The flat record carries what the database gives the linker of these claims: every facility named
        # (vigil.linkage.features) and the date of detention.
        named = (c["facility"]["name"] for c in entry["claims"] if "facility" in c)
        record["facility"] = ";".join(dict.fromkeys(named))
        record["detained_date"] = next((c["date"] for c in entry["claims"] if c["type"] == "detained"), "")
        return entry, record

    # -- testimonies --------------------------------------------------------------------------
    def household(self, persons: tuple[Person, ...]) -> tuple[list[dict[str, Any]], list[tuple[str, dict[str, str]]]]:
        """Testimony lines for one household and (person id, record) pairs for every person entry."""
        rng = self.rng
        count = rng.choices((1, 2, 3, 4, 5), weights=(45, 25, 15, 10, 5))[0]
        count = max(count, len(persons))
        lines, records = [], []
        mentioned: set[str] = set()
        earliest = min(e.start for p in persons for e in p.events)
        testifier = None
        for i in range(count):
            if testifier is None or rng.random() > 0.05:
                testifier = self.testifier(persons)
            about = persons
            if len(persons) > 1 and rng.random() < 0.5:
                about = (persons[i % len(persons)],)
            if i == count - 1:
                missing = tuple(p for p in persons if p.id not in mentioned)
                about = missing or about
            entries = []
            for p in about:
                entry, record = self.person_entry(p, testifier.column)
                entries.append(entry)
                records.append((p.id, record))
                mentioned.add(p.id)
            lines.append(self.testimony(testifier, about, entries, earliest))
        return lines, records

    def testimony(self, t: Testifier, about: tuple[Person, ...], entries: list[dict[str, Any]],
                  earliest: date) -> dict[str, Any]:
        rng = self.rng
        self.testimony_no += 1
        given = earliest + timedelta(days=rng.randrange(30, 1500))
        given = min(given, date(2023, 12, 31))
        language = _LANGUAGE[about[0].ethnicity]
        if t.column == "russian_cyrillic":
            language = "ru"
        elif t.column == "turkish_style" and rng.random() < 0.5:
            language = "tr"
        elif t.country in _WEST and rng.random() < 0.3:
            language = "en"
        year = earliest.year
        return {
            "ref": f"T{self.testimony_no:07d}",
            "date": given.isoformat(),
            "language": language,
            "medium": pick(rng, _MEDIUM),
            "summary": f"The testifier's {_INVERSE[t.relation]} was detained in {year}.",
            "consent": pick(rng, _CONSENT),
            "testifier": t.as_json(rng),
            "persons": entries,
        }

