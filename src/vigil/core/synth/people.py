"""Synthetic persons: who they are (the ground truth every rendering is made from)."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from vigil.core.synth.claims import Event, history
from vigil.core.synth.geography import HOMELANDS, County, FacilityTable, counties_by_prefecture, registration_code
from vigil.core.synth.lexicon import GivenName, Lexicon, Surname
from vigil.core.synth.ric import make_ric

# Relatives in Almaty are mostly Kazakh; Uyghur, Kyrgyz and Hui families come too.
ETHNICITY_WEIGHTS = {"kazakh": 50, "uyghur": 38, "kyrgyz": 6, "hui": 6}

# Public figures' names must not be produced by chance as a full name (given, father).
AVOID = frozenset({("Ilham", "Toxti"), ("Mihrigül", "Tursun"), ("Rabiye", "Qadir"), ("Gülbahar", "Jelil")})


@dataclass(frozen=True, slots=True)
class Person:
    """One synthetic person. ``father`` is the father's given name, which Uyghur, Kazakh and
    Kyrgyz names carry as the second part; Hui persons have a ``surname`` instead."""

    id: str
    ethnicity: str
    sex: str
    given: GivenName
    father: GivenName
    surname: Surname | None
    birth: date
    hometown: County
    id_number: str | None
    events: tuple[Event, ...]


def person_id(n: int) -> str:
    return f"S{n:07d}"


class PersonFactory:
    """Makes persons from one random stream; remembers issued identity numbers to keep them unique."""

    def __init__(self, *, rng: random.Random, lexicon: Lexicon, facilities: FacilityTable) -> None:
        self.rng = rng
        self.lexicon = lexicon
        self.facilities = facilities
        self._issued: set[str] = set()
        self._ethnicities = sorted(ETHNICITY_WEIGHTS)
        self._eth_weights = [ETHNICITY_WEIGHTS[e] for e in self._ethnicities]
        by_pref = counties_by_prefecture()
        self._homelands = {
            eth: ([by_pref[p] for p in sorted(w)], [w[p] for p in sorted(w)]) for eth, w in HOMELANDS.items()
        }

    def hometown(self, ethnicity: str) -> County:
        groups, weights = self._homelands[ethnicity]
        return self.rng.choice(self.rng.choices(groups, weights=weights)[0])

    def given_name(self, ethnicity: str, sex: str) -> GivenName:
        return self.rng.choice(self.lexicon.names(ethnicity, sex))

    def birth_date(self) -> date:
        year = min(max(round(self.rng.gauss(1978, 11)), 1945), 2000)
        return date(year, 1, 1) + timedelta(days=self.rng.randrange(0, 365))

    def id_number(self, hometown: County, birth: date, sex: str) -> str | None:
        code = registration_code(hometown.code, birth.year)
        if code is None:
            return None
        for _ in range(5):
            number = make_ric(code=code, birth=birth, sex=sex, rng=self.rng)
            if number not in self._issued:
                self._issued.add(number)
                return number
        return None

    def person(self, n: int, *, sibling_of: Person | None = None) -> Person:
        """Person number ``n``; a sibling shares ethnicity, father, surname and hometown."""
        rng = self.rng
        sex = "m" if rng.random() < 0.72 else "f"
        if sibling_of is not None:
            ethnicity, father, surname = sibling_of.ethnicity, sibling_of.father, sibling_of.surname
            hometown = sibling_of.hometown
        else:
            ethnicity = rng.choices(self._ethnicities, weights=self._eth_weights)[0]
            father = self.given_name(ethnicity, "m")
            surname = rng.choice(self.lexicon.surnames) if ethnicity == "hui" else None
            hometown = self.hometown(ethnicity)
        given = self.given_name(ethnicity, sex)
        while given.canonical == father.canonical or (given.canonical, father.canonical) in AVOID:
            given = self.given_name(ethnicity, sex)
        birth = self.birth_date()
        return Person(
            id=person_id(n),
            ethnicity=ethnicity,
            sex=sex,
            given=given,
            father=father,
            surname=surname,
            birth=birth,
            hometown=hometown,
            id_number=self.id_number(hometown, birth, sex),
            events=history(rng, hometown=hometown, facilities=self.facilities),
        )
