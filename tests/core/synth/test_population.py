"""Synthetic persons and their renderings, straight from vigil.core.synth.generate."""

from __future__ import annotations

import re
from collections import Counter

import pytest
from stdnum.cn import ric

from vigil.core.synth import generate
from vigil.core.synth.geography import build_facilities, counties, registration_code
from vigil.core.synth.lexicon import SCRIPT_COLUMNS, lexicon
from vigil.core.synth.people import Person
from vigil.core.synth.testimonies import EXAMPLE_DOMAINS

from .conftest import PERSONS, SEED


@pytest.fixture(scope="module")
def batches() -> list:
    return list(generate(persons=PERSONS, seed=SEED))


def all_persons(batches: list) -> list[Person]:
    return [p for b in batches for p in (*b.persons, *b.list_only)]


def test_identity_numbers_are_valid_and_encode_the_person(batches: list) -> None:
    """Generated numbers pass stdnum and carry the birth date, sex parity and home county."""
    numbered = [p for p in all_persons(batches) if p.id_number]
    assert len(numbered) > 0.8 * len(all_persons(batches))
    for p in numbered:
        n = p.id_number
        assert ric.is_valid(n), n
        assert n[6:14] == f"{p.birth:%Y%m%d}"
        assert int(n[16]) % 2 == (1 if p.sex == "m" else 0)
        assert n[:6] == registration_code(p.hometown.code, p.birth.year)
        assert n[:4] == p.hometown.code[:4] or n[:2] == "65"
    assert len({p.id_number for p in numbered}) == len(numbered)


def test_list_rows_carry_the_persons_own_number(batches: list) -> None:
    """A list row's identity number is that person's number."""
    people = {p.id: p for p in all_persons(batches)}
    for b in batches:
        for row in b.list_rows:
            pid = next(pid for pid, rec in b.records if rec["id"] == row["row_id"])
            assert row["身份证号"] == people[pid].id_number


def test_every_script_appears_in_renderings(batches: list) -> None:
    """Names are written in Cyrillic, Latin, Arabic and Han script, and Kazakh patronymics appear."""
    texts = [n["text"] for b in batches for t in b.testimonies for p in t["persons"] for n in p["names"]]
    joined = "\n".join(texts)
    assert re.search(r"[\u0400-\u04ff]", joined)
    assert re.search(r"[A-Za-z]", joined)
    assert re.search(r"[\u0600-\u06ff]", joined)
    assert re.search(r"[\u4e00-\u9fff]·[\u4e00-\u9fff]", joined)
    assert re.search(r"(ұлы|қызы|ович|овна|uly|kyzy)\b", joined)


def test_contact_data_is_only_reserved_or_fake(batches: list) -> None:
    """Testifiers' e-mails are on example domains and phones in fake ranges."""
    seen = Counter()
    for b in batches:
        for t in b.testimonies:
            who = t["testifier"]
            if "email" in who:
                seen["email"] += 1
                assert who["email"].rsplit("@", 1)[1] in EXAMPLE_DOMAINS
            if "phone" in who:
                seen["phone"] += 1
                assert re.fullmatch(r"\+7 700 555 \d{4}|\+1 202 555 01\d{2}|\+44 7700 900\d{3}", who["phone"])
    assert seen["email"] and seen["phone"]


def test_claims_follow_a_plausible_timeline(batches: list) -> None:
    """Each history starts with a detention between 2014 and 2022, in date order, mostly 2017-2019."""
    years = Counter()
    for p in all_persons(batches):
        assert p.events[0].type == "detained"
        years[p.events[0].start.year] += 1
        starts = [e.start for e in p.events]
        assert starts == sorted(starts)
        assert 2014 <= starts[0].year and starts[-1].year <= 2022
    assert sum(years[y] for y in (2017, 2018, 2019)) > 0.6 * sum(years.values())


def test_facilities_lie_inside_xinjiang() -> None:
    """Facilities have names, types and coordinates inside Xinjiang, about 60 per 10,000 persons."""
    table = build_facilities(persons=10_000, seed=1)
    assert len(table.facilities) == 60
    assert len({f.name for f in table.facilities}) == 60
    for f in table.facilities:
        assert 34.3 < f.lat < 49.2 and 73.5 < f.lon < 96.4
        assert f.county.code.startswith("65")


def test_lexicon_has_each_people_and_both_sexes() -> None:
    """The lexicon has a few hundred names, each with a passport Latin form."""
    lex = lexicon()
    for eth in ("uyghur", "kazakh", "kyrgyz", "hui"):
        for sex in ("m", "f"):
            assert len(lex.names(eth, sex)) >= 15, (eth, sex)
    rows = [n for names in lex.given.values() for n in names]
    assert 250 <= len(rows) <= 400
    assert all(n.form("latin_passport") for n in rows)
    assert all(set(n.forms) == set(SCRIPT_COLUMNS) for n in rows)
    assert len(counties()) > 100
