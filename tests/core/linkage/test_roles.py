"""Names compared by role: the given name to the given name, the father's name to the father's name."""

from __future__ import annotations

import pytest

from vigil.core.linkage import prepare_record
from vigil.core.linkage.comparisons import BLOCKING_RULES, all_comparisons

NAME = all_comparisons("native")[0]


def _level(a: str, b: str) -> str:
    ra, rb = prepare_record({"id": "a", "full_name": a}), prepare_record({"id": "b", "full_name": b})
    return NAME.levels[NAME.level_of(ra, rb)].label


@pytest.mark.parametrize(("text", "given", "father"), [
    ("Асан Болатұлы", "asan", "bulat"),          # a patronymic is the father's name wherever it stands
    ("Болатұлы Асан", "asan", "bulat"),
    ("Асанов Абдыракман", "abtirakman", "asan"),  # a family name made of the father's name
    ("МАРАТОВ Асан Болатович", "asan", "bulat"),   # a patronymic before a family name
    ("Болат Асан", "bulat", "asan"),              # no mark: the first part is the given name
    # The given name is the part before the patronymic, when the family name has no family-name ending.
    ("Кадыр Асан Болатович", "asan", "bulat"),
    ("Асан Болатович Кадыр", "asan", "bulat"),
    ("阿迪力·吐尔逊别克", "atil", "tursunbak"),
])
def test_the_given_and_the_fathers_name_are_told_apart(text: str, given: str, father: str) -> None:
    rec = prepare_record({"id": "x", "full_name": text})
    assert given in rec.nm_gforms
    assert any(form.startswith(father) for form in rec.nm_fforms)


def test_one_part_names_have_a_given_name_and_no_fathers_name() -> None:
    rec = prepare_record({"id": "x", "full_name": "Қайрат"})
    assert rec.nm_gforms and not rec.nm_fforms


@pytest.mark.parametrize(("a", "b", "label"), [
    ("Асан Болат", "Асан Болатұлы", "same name, same roles"),
    ("Асан Болат", "ئاسان بولات", "same name, same roles"),
    # A father and his son named after the grandfather: the same two names in swapped roles.
    ("Болат Асан", "Асан Болатұлы", "same parts, other roles"),
    ("Асанов Абдыракман", "Абдыракман Асан уулу", "given and father's names jaro-winkler >= 0.9"),
    ("吐尔逊·阿不都克力木", "Tursun Abdukerim", "given and father's names jaro-winkler >= 0.9"),
    # Marat and Murat are two names with one consonant skeleton: a weaker level than a close spelling.
    ("Marat Bolat", "Murat Bolat", "every part agrees by skeleton"),
    # Given name, patronymic, family name: the patronymic is the father's name, wherever the family name stands.
    ("Асан Болатович Маратов", "МАРАТОВ Асан Болатович", "same name, same roles"),
    ("Асан Болатович Кадыр", "Кадыр Асан Болатович", "same name, same roles"),
    ("Қайрат", "Қайрат Мұхтарұлы", "a one-part name close to the given name, jaro-winkler >= 0.9"),
    # A given name alone is not the father's name of someone else.
    ("Қайрат", "Мұхтар Қайратұлы", "a one-part name close to a part, jaro-winkler >= 0.9"),
])
def test_name_levels_ask_for_roles_first(a: str, b: str, label: str) -> None:
    assert _level(a, b) == label
    assert _level(b, a) == label


def test_a_short_name_blocks_with_its_county_and_birth_year() -> None:
    """Adil (two consonants) is too common to block on alone; with the county and the birth year it is not."""
    a = prepare_record({"id": "a", "full_name": "Adil", "birth_year": 1994, "place": "653227"})
    b = prepare_record({"id": "b", "full_name": "Адил Илһам", "birth_year": 1994, "place": "653227"})
    c = prepare_record({"id": "c", "full_name": "Адил Илһам", "birth_year": 1995, "place": "653227"})
    assert any(rule.holds(a, b) for rule in BLOCKING_RULES)
    assert not any(rule.holds(a, c) for rule in BLOCKING_RULES)



def test_two_given_names_alone_are_weighed_apart_from_full_names() -> None:
    """Aygul and Айгүл agree as much as two given names alone can: a level of their own, asked before the full
    name's, with its own (smaller) weight; a full name agreeing is still "same name, same roles"."""
    assert _level("Aygul", "Айгүл") == "two one-part names, jaro-winkler >= 0.9"
    assert _level("Aygul", "Aygul") == "two one-part names, jaro-winkler >= 0.9"
    assert _level("Aygul Tursun", "Айгүл Турсун") == "same name, same roles"
    assert _level("Aygul", "Aygul Tursun") == "a one-part name close to the given name, jaro-winkler >= 0.9"
