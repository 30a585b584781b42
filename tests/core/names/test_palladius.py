"""Chinese names in Russian text: the Palladius spellings, from pypinyin's Cyrillic style."""

from __future__ import annotations

import pytest

from vigil.core.names.cyrillic import palladius_pinyin


@pytest.mark.parametrize(("cyrillic", "pinyin"), [
    ("Чжан", "zhang"), ("Цзинь", "jin"), ("Сяоянь", "xiaoyan"), ("Юйлань", "yulan"), ("Хэ", "he"),
    ("Ван", "wang"), ("Юцай", "youcai"), ("Ло", "luo"),
    # The standard table writes -о after these initials, where pypinyin writes -уо.
    ("До", "duo"), ("Шо", "shuo"),
])
def test_a_palladius_spelling_reads_as_its_pinyin(cyrillic: str, pinyin: str) -> None:
    assert palladius_pinyin(cyrillic) == pinyin


@pytest.mark.parametrize("word", ["Нурлан", "Исакунова", "Жумабеков"])
def test_turkic_names_are_not_read_as_palladius(word: str) -> None:
    assert palladius_pinyin(word) is None
