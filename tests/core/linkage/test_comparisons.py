"""The comparison levels: the SQL Splink runs is the Python test score_pair runs."""

import duckdb
import pytest

from vigil.core.linkage.comparisons import Level, all_comparisons
from vigil.core.linkage.engine import _connection, records_table
from vigil.core.linkage.features import prepare_record

#: Names with repeated skeletons (Чжан Сэцзюнь: sn, sn), a part without one (Асан Аай), one part, the same
#: parts in other orders and scripts, and longer names.
NAMES = [
    "Чжан Сэцзюнь", "Чжан Сюэцзюнь", "Асан Аай", "Асан Асан", "Asan Aai", "Zhongyi Ye", "冶忠义", "Е Чжунъи",
    "Abdulla Tursun", "Tursun Abdulla", "Abdulla Tursun Mamat", "Abdulla Abdulla", "Abdulla", "Tursun",
    "Ilham Tohti", "伊力哈木·土赫提", "Илham Тохти", "Mamat Abdulla Tursun Ablat", "Asan uulu Bolot",
]


NAME_LEVELS = [lvl.label for lvl in next(c for c in all_comparisons() if c.name == "name").levels
               if not lvl.is_null and lvl.label != "else"]


def _sql_and_python(level: Level, names: list[str] | list[dict[str, object]], con: duckdb.DuckDBPyConnection
                    ) -> tuple[dict[tuple[str, str], bool], dict[tuple[str, str], bool]]:
    """The level on every pair of ``names`` (or records' fields; ids are their positions): by its DuckDB SQL,
    and by its Python test."""
    recs = [prepare_record({"id": str(i), **({"full_name": n} if isinstance(n, str) else n)})
            for i, n in enumerate(names)]
    table = records_table(recs)
    con.register("t", table)
    cols = ", ".join(f"l.{c} AS {c}_l, r.{c} AS {c}_r" for c in table.column_names if c != "unique_id")
    con.execute(f"CREATE TABLE pairs AS SELECT l.unique_id AS id_l, r.unique_id AS id_r, {cols} FROM t AS l, t AS r")
    got = {(a, b): bool(ok) for a, b, ok in con.sql(
        f"SELECT id_l, id_r, coalesce({level.sql('duckdb')}, false) FROM pairs").fetchall()}
    return got, {(a.unique_id, b.unique_id): level.test(a, b) for a in recs for b in recs}


@pytest.mark.parametrize("label", NAME_LEVELS)
def test_the_sql_of_a_name_level_is_its_python_test(label: str) -> None:
    name = next(c for c in all_comparisons() if c.name == "name")
    level = next(lvl for lvl in name.levels if lvl.label == label)
    got, want = _sql_and_python(level, NAMES, duckdb.connect())
    assert got == want
    assert any(want.values()) and not all(want.values())


def _name_level(name_similarity: str, a: str, b: str) -> str:
    name = next(c for c in all_comparisons(name_similarity) if c.name == "name")
    ra, rb = prepare_record({"id": "a", "full_name": a}), prepare_record({"id": "b", "full_name": b})
    return name.levels[name.level_of(ra, rb)].label


@pytest.mark.parametrize(("a", "b"), [("Алмазбек Назарбаев", "Almazbek Atambayev"),
                                      ("Abdurahim Shahidi", "Abdurahim Hayit")])
def test_names_the_engine_reads_as_two_people_get_no_credit_from_looser_keys(a: str, b: str) -> None:
    """One given name, two fathers' names whose keys happen to be 0.8 alike (nasarbab / atanbab): without the
    name engine that level is the only lenient one; with it, the engine has read them as unlike, and they are
    "else"."""
    assert _name_level("native", a, b) == "every part jaro-winkler >= 0.8"
    assert _name_level("engine", a, b) == "else"
    # A name the engine reads as one person's is still found at its level.
    assert _name_level("engine", "艾力更·依明巴海", "Arken Imirbaki") == "name similarity >= 0.8"


def test_every_part_agreeing_by_skeleton_is_weighed_apart_when_the_engine_reads_two_people() -> None:
    """With the engine, the skeleton level is asked before the engine's level only where the engine agrees too;
    a pair it reads as two people (a father's name sharing a skeleton with the other's given name, or a name
    written in part) falls to the later level, which EM weighs apart."""
    labels = [lvl.label for lvl in next(c for c in all_comparisons("engine") if c.name == "name").levels]
    late = labels.index("every part agrees by skeleton")
    assert labels.index("every part agrees by skeleton, and the engine agrees") < labels.index(
        "name similarity >= 0.8") < late
    assert _name_level("engine", "Tursunbaev Soyuzbekovna", "Tursunbaev Azizbek Atakozuevich") == labels[late]
    assert _name_level("engine", "穆罕默德·伊敏", "Muhammad Amin Bughra") == labels[late]
    assert _name_level("engine", "Ilham Tohti", "Tohti Ilham Abdulla") == labels[late - 4]
    # Without the engine there is one skeleton level, where it always was.
    assert _name_level("native", "Tursunbaev Soyuzbekovna", "Tursunbaev Azizbek Atakozuevich") == labels[late]


def test_the_sql_of_the_engine_checked_level_is_its_python_test() -> None:
    name = next(c for c in all_comparisons("engine") if c.name == "name")
    level = next(lvl for lvl in name.levels if lvl.label == "every part agrees by skeleton, and the engine agrees")
    names = [*NAMES, "Tursunbaev Soyuzbekovna", "Tursunbaev Azizbek Atakozuevich", "Tohti Ilham Abdulla"]
    got, want = _sql_and_python(level, names, _connection("engine"))  # the engine's DuckDB function
    assert got == want
    ids = {n: str(i) for i, n in enumerate(names)}
    assert want[(ids["Ilham Tohti"], ids["Tohti Ilham Abdulla"])]
    # Every part agrees by skeleton, but the engine reads the two Tursunbaevs as two people.
    assert not want[(ids["Tursunbaev Soyuzbekovna"], ids["Tursunbaev Azizbek Atakozuevich"])]


#: Records with facilities and detention dates at every precision, and without.
CUSTODY = [
    {"facility": "阿瓦提县第二看守所", "detained_date": "2018-03-05"},
    {"facility": "Awati County Detention Centre No. 2;Kashgar Prison", "detained_date": "2018-03-28"},
    {"facility": "Kashgar Prison", "detained_date": "2018-04"},
    {"facility": "喀什市第三看守所", "detained_date": "2018-05-02"},
    {"detained_date": "2018"}, {"detained_date": "~2019"}, {"detained_date": "2017/2019"}, {"detained_date": "2021-01"},
    {"facility": "某看守所"}, {},
]


#: Birth dates and years at every precision, and none.
BIRTHS = [{"birth_date": "19800314"}, {"birth_date": "19800315"}, {"birth_date": "19801125"}, {"birth_year": 1980},
          {"birth_year": 1981}, {"birth_year": 1984}, {"birth_year": 1990}, {}]


@pytest.mark.parametrize("label", [lvl.label for c in all_comparisons() if c.name == "birth" for lvl in c.levels
                                   if lvl.label != "else"])
def test_the_sql_of_a_birth_level_is_its_python_test(label: str) -> None:
    level = next(lvl for c in all_comparisons() if c.name == "birth" for lvl in c.levels if lvl.label == label)
    got, want = _sql_and_python(level, BIRTHS, duckdb.connect())
    assert got == want
    assert any(want.values()) and not all(want.values())


def test_two_birth_days_of_one_year_are_not_a_shared_year() -> None:
    """14 March and 25 November 1980 are two birth dates: weighed apart from 1980 against 14 March 1980."""
    birth = next(c for c in all_comparisons() if c.name == "birth")
    march, november, year = (prepare_record({"id": str(i), **f}) for i, f in enumerate(BIRTHS[0:3:2] + BIRTHS[3:4]))
    assert birth.levels[birth.level_of(march, november)].label == "birth dates differ"
    assert birth.levels[birth.level_of(march, year)].label == "birth years equal"


@pytest.mark.parametrize(("comparison", "label"), [
    (c.name, lvl.label) for c in all_comparisons() if c.name in ("facility", "detained")
    for lvl in c.levels if lvl.label != "else"])
def test_the_sql_of_a_custody_level_is_its_python_test(comparison: str, label: str) -> None:
    level = next(lvl for c in all_comparisons() if c.name == comparison for lvl in c.levels if lvl.label == label)
    got, want = _sql_and_python(level, CUSTODY, duckdb.connect())
    assert got == want
    assert any(want.values()) and not all(want.values())


def _custody_level(comparison: str, a: dict[str, str], b: dict[str, str]) -> str:
    c = next(c for c in all_comparisons() if c.name == comparison)
    return c.levels[c.level_of(prepare_record({"id": "a", **a}), prepare_record({"id": "b", **b}))].label


def test_one_facility_in_two_scripts_and_a_custody_date_weeks_after_the_arrest_agree() -> None:
    """A relative's English name for a detention centre and the list's Chinese one are one facility; the list's
    custody date three weeks after the arrest the relative remembers is "within a month"."""
    relative = {"facility": "Awati County Detention Centre No. 2", "detained_date": "2018-03-05"}
    listed = {"facility": "阿瓦提县第二看守所", "detained_date": "2018-03-26"}
    assert _custody_level("facility", relative, listed) == "a facility in common"
    assert _custody_level("detained", relative, listed) == "detained within a month"
    assert _custody_level("facility", relative, {"facility": "阿瓦提县第三看守所"}) == "else"
    assert _custody_level("detained", relative, {"detained_date": "2018-05"}) == "detained months apart"
    assert _custody_level("detained", relative, {"detained_date": "2018"}) == "detained the same year"
    assert _custody_level("detained", relative, {"detained_date": "~2019"}) == "detained within a year"
    assert _custody_level("detained", relative, {}) == "detained_year missing"
