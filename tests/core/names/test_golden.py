"""Golden cases in tests/testdata/names/*.tsv, readable and extendable without Python."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from vigil.core.names import MATCH_THRESHOLD, detect_script, match_keys, romanize, similarity, split_name

DATA = Path(__file__).resolve().parents[2] / "testdata" / "names"


def rows(name: str) -> list[dict[str, str]]:
    with (DATA / name).open(encoding="utf-8") as f:
        lines = [line for line in f if not line.startswith("#")]
    return list(csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE))


def ids(table: list[dict[str, str]], *cols: str) -> list[str]:
    return [" | ".join(r[c] for c in cols) for r in table]


MATCH = rows("match.tsv")
NONMATCH = rows("nonmatch.tsv")
ROMANIZE = rows("romanize.tsv")
SPLIT = rows("split.tsv")


@pytest.mark.parametrize("row", MATCH, ids=ids(MATCH, "convention", "a", "b"))
def test_renderings_of_one_name_match(row: dict[str, str]) -> None:
    """Two renderings of the same name score at or above MATCH_THRESHOLD, in either order."""
    assert similarity(row["a"], row["b"]) >= MATCH_THRESHOLD
    assert similarity(row["b"], row["a"]) >= MATCH_THRESHOLD


@pytest.mark.parametrize("row", MATCH, ids=ids(MATCH, "convention", "a", "b"))
def test_renderings_of_one_name_share_a_match_key(row: dict[str, str]) -> None:
    """Two renderings of the same name share at least one blocking key."""
    assert set(match_keys(row["a"])) & set(match_keys(row["b"]))


@pytest.mark.parametrize("row", NONMATCH, ids=ids(NONMATCH, "convention", "a", "b"))
def test_different_names_do_not_match(row: dict[str, str]) -> None:
    """Different names score below MATCH_THRESHOLD, even when they share the given name."""
    assert similarity(row["a"], row["b"]) < MATCH_THRESHOLD


def test_every_convention_has_match_and_nonmatch_cases() -> None:
    """Each convention named in the golden files has must-match and must-not-match cases."""
    required = {
        "kazakh-russian-cyrillic", "patronymic", "kyrgyz-cyrillic", "parliament-caps", "passport-bgn",
        "kazakh-latin-2021", "uly", "turkish", "pinyin", "uyghur-arabic", "kazakh-arabic", "chinese",
        "affix", "honorific", "order",
    }
    assert required <= {r["convention"] for r in MATCH}
    assert required <= {r["convention"] for r in NONMATCH}


@pytest.mark.parametrize("row", ROMANIZE, ids=ids(ROMANIZE, "input"))
def test_romanize(row: dict[str, str]) -> None:
    """A name is romanised to readable Latin and its script is detected."""
    assert detect_script(row["input"]).value == row["script"]
    assert romanize(row["input"]) == row["expected"]


@pytest.mark.parametrize("row", SPLIT, ids=ids(SPLIT, "input"))
def test_split_name(row: dict[str, str]) -> None:
    """A name is split into given name, father's name, family name and affixes."""
    parts = split_name(row["input"])
    assert (parts.given or "", parts.father or "", parts.family or "") == (row["given"], row["father"], row["family"])
    assert "|".join(parts.affixes) == row["affixes"]


KNOWN = rows("known-failures.tsv")


@pytest.mark.parametrize("row", KNOWN, ids=ids(KNOWN, "expect", "a", "b"))
@pytest.mark.xfail(strict=True, reason="a known weakness, listed in known-failures.tsv")
def test_known_failures_still_fail(row: dict[str, str]) -> None:
    """Known wrong answers stay listed until they are fixed (a fix turns this test red: move the row)."""
    score = similarity(row["a"], row["b"])
    assert (score >= MATCH_THRESHOLD) == (row["expect"] == "match")
