"""The public surface of vigil.core.names."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from typer.testing import CliRunner

import vigil.core.names as names
from vigil.cli.names import app
from vigil.core.names import (
    MATCH_THRESHOLD, Explanation, PreparedName, Script, detect_script, explain, match_keys, prepare, similarity,
    split_name,
)

PAIRS = [("Ilham Tohti", "伊力哈木·土赫提"), ("Жұмабеков Нұрлан", "Dilnigar Ilhamjan"), ("", "Ilham"), ("123", "Ilham")]


def test_script_values() -> None:
    """Script values are the plain strings stored in the database."""
    assert [s.value for s in Script] == ["cyrillic", "latin", "arabic", "han", "mixed", "unknown"]
    assert detect_script("Ильхам") is Script.CYRILLIC


@pytest.mark.parametrize(("a", "b"), PAIRS)
def test_similarity_accepts_raw_and_prepared_names(a: str, b: str) -> None:
    """similarity gives the same score for raw strings and prepared names, in [0, 1], symmetric."""
    s = similarity(a, b)
    assert 0.0 <= s <= 1.0
    assert similarity(prepare(a), prepare(b)) == pytest.approx(s)
    assert similarity(prepare(a), b) == pytest.approx(s)
    assert similarity(b, a) == pytest.approx(s)


def test_identical_names_score_one() -> None:
    """A name compared with itself scores 1."""
    assert similarity("АБДЫЛДАЕВ Мыктыбек Юсупович", "АБДЫЛДАЕВ Мыктыбек Юсупович") == 1.0


def test_prepare_is_cached() -> None:
    """Preparing the same text twice returns the same prepared name."""
    assert prepare("Ilham Tohti") is prepare("Ilham Tohti")
    assert isinstance(prepare("Ilham Tohti"), PreparedName)


def test_match_keys_are_few() -> None:
    """A name has at most MAX_KEYS blocking keys, even with many parts."""
    assert 1 <= len(match_keys("Әбдіров Нұрлан Мәжитұлы Haji Memet Tursun")) <= names.MAX_KEYS
    assert match_keys(prepare("Ilham Tohti")) == match_keys("Ilham Tohti")


def test_explain_shows_the_alignment() -> None:
    """explain pairs each part with its counterpart, whatever the order, and leaves extra parts unpaired."""
    e = explain("ABDRAKHMANOV Sauytbek", "Сауытбек Абдрахманұлы Абдрахманов")
    assert isinstance(e, Explanation)
    assert e.is_match and e.score == pytest.approx(similarity(e.a, e.b))
    pairs = {(p.a, p.b) for p in e.parts}
    assert ("ABDRAKHMANOV", "Абдрахманов") in pairs and ("Sauytbek", "Сауытбек") in pairs
    assert (None, "Абдрахманұлы") in pairs


def test_split_name_order_does_not_matter() -> None:
    """Kazakh name parts are found by their form, in any order."""
    a = split_name("Нұрлан Мәжитұлы Әбдіров")
    assert (a.given, a.father, a.family) == ("Нұрлан", "Мәжитұлы", "Әбдіров")


def test_threshold_is_documented() -> None:
    """MATCH_THRESHOLD is a documented score in (0, 1)."""
    assert 0 < MATCH_THRESHOLD < 1
    assert "MATCH_THRESHOLD" in (names.__doc__ or "")


def test_core_names_never_imports_django() -> None:
    """vigil.core.names is pure Python: no module imports Django."""
    for path in Path(names.__file__).parent.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                assert not any(a.name.startswith("django") for a in node.names), path
            if isinstance(node, ast.ImportFrom):
                assert not (node.module or "").startswith("django"), path


@pytest.mark.parametrize("command", app.registered_commands, ids=lambda c: c.name or "")
def test_cli_commands_have_help(command: object) -> None:
    """Each `vigil names` command has a docstring, which is its --help."""
    assert getattr(command, "callback").__doc__


def test_cli_compare_prints_score_and_alignment() -> None:
    """`vigil names compare` prints the score, the verdict and the aligned parts."""
    result = CliRunner().invoke(app, ["compare", "Ilham Tohti", "伊力哈木·土赫提"])
    assert result.exit_code == 0
    assert "same name" in result.output and "伊力哈木" in result.output


def test_cli_romanize() -> None:
    """`vigil names romanize` prints the Latin form."""
    result = CliRunner().invoke(app, ["romanize", "ئىلھام توختى"])
    assert result.exit_code == 0 and "Ilham Toxti" in result.output
