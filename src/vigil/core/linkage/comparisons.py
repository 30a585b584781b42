"""The comparisons and blocking rules of vigil's linkage model, each written once for SQL and for Python.

Every comparison level is a pair: SQL for Splink (DuckDB or Spark, over the features of
:mod:`vigil.core.linkage.features`) and the same test in Python, so that :func:`score_pair` gives the
probability Splink gives, without a database. Levels are tried in order; the first that holds wins.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Literal

from rapidfuzz.distance import JaroWinkler, Levenshtein

from vigil.core.linkage.features import PreparedRecord
from vigil.core.names import MATCH_THRESHOLD, PreparedName, prepare, similarity

Dialect = Literal["duckdb", "spark"]
Test = Callable[[PreparedRecord, PreparedRecord], bool]

#: SQL name of the name-similarity function registered when ``name_similarity="engine"``.
SIMILARITY_UDF = "vigil_name_similarity"

_SQL: dict[str, dict[str, str]] = {
    "duckdb": {"overlap": "list_has_any({a}, {b})", "common": "len(list_intersect({a}, {b}))", "len": "len({a})",
               "jw": "jaro_winkler_similarity({a}, {b})", "lev": "levenshtein({a}, {b})"},
    "spark": {"overlap": "arrays_overlap({a}, {b})", "common": "size(array_intersect({a}, {b}))", "len": "size({a})",
              "jw": "jaro_winkler({a}, {b})", "lev": "levenshtein({a}, {b})"},
}


def _f(dialect: str, fn: str, col: str, col2: str | None = None) -> str:
    """``fn`` applied to ``col_l`` and ``col_r`` (or to one column) in the dialect's SQL."""
    a = col if col2 is not None else f"{col}_l"
    b = col2 if col2 is not None else f"{col}_r"
    return _SQL[dialect][fn].format(a=a, b=b)


@dataclass(frozen=True, slots=True)
class Level:
    """One comparison level: its label, its SQL (per dialect) and the same test in Python.

    ``tf_column``: the level's weight is adjusted by how common the value is (a common name counts less).
    """

    label: str
    sql: Callable[[str], str]
    test: Test
    is_null: bool = False
    tf_column: str | None = None


@dataclass(frozen=True, slots=True)
class Comparison:
    """One field's comparison: its name (the ``mw_<name>`` column), the features it needs, its levels."""

    name: str
    columns: tuple[str, ...]
    levels: tuple[Level, ...]

    def splink_dict(self, dialect: str) -> dict[str, Any]:
        """The comparison as Splink's settings dict (levels without parameters)."""
        out = []
        for level in self.levels:
            d: dict[str, Any] = {"sql_condition": level.sql(dialect), "label_for_charts": level.label}
            if level.is_null:
                d["is_null_level"] = True
            if level.tf_column:
                d["tf_adjustment_column"] = level.tf_column
                d["tf_adjustment_weight"] = 1.0
            out.append(d)
        return {"output_column_name": self.name, "comparison_levels": out,
                "comparison_description": f"vigil {self.name}"}

    def level_of(self, a: PreparedRecord, b: PreparedRecord) -> int:
        """Index of the first level whose test holds for the pair."""
        for i, level in enumerate(self.levels):
            if level.test(a, b):
                return i
        return len(self.levels) - 1


def _null(col: str) -> Level:
    return Level(f"{col} missing", lambda d: f"{col}_l IS NULL OR {col}_r IS NULL",
                 lambda a, b: getattr(a, col) in (None, [], ()) or getattr(b, col) in (None, [], ()), is_null=True)


def _else() -> Level:
    return Level("else", lambda d: "ELSE", lambda a, b: True)


def _exact(col: str, label: str | None = None) -> Level:
    return Level(label or f"{col} equal", lambda d: f"{col}_l = {col}_r",
                 lambda a, b: getattr(a, col) is not None and getattr(a, col) == getattr(b, col))


def _jw(col: str, at: float) -> Level:
    return Level(f"{col} jaro-winkler >= {at}", lambda d: f"{_f(d, 'jw', col)} >= {at}",
                 lambda a, b: getattr(a, col) is not None and getattr(b, col) is not None
                 and JaroWinkler.similarity(getattr(a, col), getattr(b, col)) >= at)


def _within(col: str, at_most: int, label: str) -> Level:
    """Two numbers (years, month numbers) at most ``at_most`` apart."""
    return Level(label, lambda d: f"abs({col}_l - {col}_r) <= {at_most}",
                 lambda a, b: getattr(a, col) is not None and getattr(b, col) is not None
                 and abs(getattr(a, col) - getattr(b, col)) <= at_most)


def _overlap(col: str, label: str) -> Level:
    return Level(label, lambda d: _f(d, "overlap", col),
                 lambda a, b: bool(set(getattr(a, col) or ()) & set(getattr(b, col) or ())))


def _all_parts(col: str, label: str) -> Level:
    """Every part of the shorter name (at least two) has its partner in the other name.

    ``col`` holds distinct values, at most one per name part (``nm_pskels``). Then the shared values can
    number as many as the shorter name's parts only if that name has a distinct value for each of its parts
    and all of them are in the other name, which DuckDB tests with ``list_has_all`` instead of building the
    intersection (on 3.6 M candidate pairs the name comparison took 4.8 s of CPU instead of 5.7 s).
    """
    def sql(d: str) -> str:
        kl, kr = _f(d, "len", "nm_keys_l", ""), _f(d, "len", "nm_keys_r", "")
        if d == "spark":
            return f"{_f(d, 'common', col)} >= least({kl}, {kr}) AND least({kl}, {kr}) >= 2"
        pl, pr = _f(d, "len", f"{col}_l", ""), _f(d, "len", f"{col}_r", "")
        return (f"least({kl}, {kr}) >= 2 AND (({kl} <= {kr} AND {pl} = {kl} AND list_has_all({col}_r, {col}_l)) "
                f"OR ({kr} < {kl} AND {pr} = {kr} AND list_has_all({col}_l, {col}_r)))")

    def test(a: PreparedRecord, b: PreparedRecord) -> bool:
        shorter = min(len(a.nm_keys), len(b.nm_keys))
        return shorter >= 2 and len(set(getattr(a, col) or ()) & set(getattr(b, col) or ())) >= shorter

    return Level(label, sql, test)


def _closeness_sql(d: str, a: str, b: str) -> str:
    """SQL: over the parts of ``a``, the lowest of each part's best Jaro-Winkler (any of its forms) against
    any form of ``b``: a name is as alike as its least alike part."""
    if d == "spark":
        return (f"array_min(transform(nm_parts_{a}, p -> array_max(transform(p, x -> "
                f"array_max(transform(nm_forms_{b}, y -> jaro_winkler(x, y)))))))")
    return (f"list_min(list_transform(nm_parts_{a}, lambda p: list_max(list_transform(p, lambda x: "
            f"list_max(list_transform(nm_forms_{b}, lambda y: jaro_winkler_similarity(x, y)))))))")


#: DuckDB checks the first name parts one by one (see _all_close_sql), the rest together.
_PARTS_ONE_BY_ONE = 4


def _all_close_sql(d: str, a: str, b: str, at: float) -> str:
    """SQL: every part of ``a`` has a form at ``at`` or above (Jaro-Winkler) against some form of ``b``, that is
    ``_closeness_sql(d, a, b) >= at``.

    For DuckDB the parts are tested one by one and joined by AND, which DuckDB stops evaluating at the first
    part that fails: most candidate pairs share one part and differ in another, and a lambda over one part is
    much cheaper than the nested lambda over all of them (on 2.2 M candidate pairs the name comparison took
    3.7 s of CPU instead of 6.6 s). Parts beyond ``_PARTS_ONE_BY_ONE`` are tested together."""
    if d == "spark":
        return f"{_closeness_sql(d, a, b)} >= {at}"

    def best(part: str) -> str:
        return _best_sql(d, part, f"nm_forms_{b}")

    n = f"len(nm_parts_{a})"
    tests = [f"({n} < {i} OR {best(f'nm_parts_{a}[{i}]')} >= {at})" for i in range(1, _PARTS_ONE_BY_ONE + 1)]
    rest = (f"list_min(list_transform(nm_parts_{a}[{_PARTS_ONE_BY_ONE + 1}:], lambda p: {best('p')}))")
    tests.append(f"({n} <= {_PARTS_ONE_BY_ONE} OR {rest} >= {at})")
    return "(" + " AND ".join(tests) + ")"


def _closeness(a: PreparedRecord, b: PreparedRecord) -> float:
    return min(_best(part, b.nm_forms) for part in a.nm_parts)


def _parts_close(at: float, *, one_part: bool = False) -> Level:
    """Each part of the shorter name (of both, if equally long) is close to a part of the other; the shorter
    has at least two parts (or exactly one, for ``one_part``), so that a shared given name alone fails."""
    def sql(d: str) -> str:
        la, lb = _f(d, "len", "nm_parts_l", ""), _f(d, "len", "nm_parts_r", "")
        size = "= 1" if one_part else ">= 2"
        # The shorter name's parts against the other name (both ways when equally long).
        return (f"least({la}, {lb}) {size} AND ({la} > {lb} OR {_all_close_sql(d, 'l', 'r', at)}) "
                f"AND ({lb} > {la} OR {_all_close_sql(d, 'r', 'l', at)})")

    def test(a: PreparedRecord, b: PreparedRecord) -> bool:
        if not a.nm_parts or not b.nm_parts:
            return False
        la, lb = len(a.nm_parts), len(b.nm_parts)
        if (min(la, lb) != 1) if one_part else (min(la, lb) < 2):
            return False
        worst = min(_closeness(a, b) if la <= lb else 1.0, _closeness(b, a) if lb <= la else 1.0)
        return worst >= at

    label = f"a one-part name close to a part, jaro-winkler >= {at}" if one_part else f"every part jaro-winkler >= {at}"
    return Level(label, sql, test)


def _best_sql(d: str, a: str, b: str) -> str:
    """SQL: the best Jaro-Winkler between any form in list ``a`` and any in list ``b`` (NULL if either is)."""
    if d == "spark":
        return f"array_max(transform({a}, x -> array_max(transform({b}, y -> jaro_winkler(x, y)))))"
    return f"list_max(list_transform({a}, lambda x: list_max(list_transform({b}, lambda y: jaro_winkler_similarity(x, y)))))"


def _best(a: tuple[str, ...], b: tuple[str, ...]) -> float:
    return max((JaroWinkler.similarity(x, y) for x in a for y in b), default=0.0)


def _roles_close(at: float) -> Level:
    """The given names are close, and so are the fathers' names (Jaro-Winkler over their forms)."""
    def sql(d: str) -> str:
        return (f"{_best_sql(d, 'nm_gforms_l', 'nm_gforms_r')} >= {at} AND "
                f"{_best_sql(d, 'nm_fforms_l', 'nm_fforms_r')} >= {at}")

    def test(a: PreparedRecord, b: PreparedRecord) -> bool:
        return bool(a.nm_fforms and b.nm_fforms) and _best(a.nm_gforms, b.nm_gforms) >= at \
            and _best(a.nm_fforms, b.nm_fforms) >= at

    return Level(f"given and father's names jaro-winkler >= {at}", sql, test)


def _given_close(at: float, *, both: bool = False) -> Level:
    """A one-part name (a given name alone) close to the other's given name, not to its father's name.

    ``both``: two names of one part each, close: as common as a given name is, far weaker evidence than a full
    name agreeing."""
    most, fewest = ("greatest", max) if both else ("least", min)

    def sql(d: str) -> str:
        return (f"{most}({_f(d, 'len', 'nm_parts_l', '')}, {_f(d, 'len', 'nm_parts_r', '')}) = 1 AND "
                f"{_best_sql(d, 'nm_gforms_l', 'nm_gforms_r')} >= {at}")

    def test(a: PreparedRecord, b: PreparedRecord) -> bool:
        return bool(a.nm_parts and b.nm_parts) and fewest(len(a.nm_parts), len(b.nm_parts)) == 1 \
            and _best(a.nm_gforms, b.nm_gforms) >= at

    label = "two one-part names" if both else "a one-part name close to the given name"
    return Level(f"{label}, jaro-winkler >= {at}", sql, test)


def _similarity_at(at: float) -> Level:
    return Level(f"name similarity >= {at}", lambda d: f"{SIMILARITY_UDF}(name_l, name_r) >= {at}",
                 lambda a, b: (cached_similarity(a.name, b.name) or 0.0) >= at)


def _engine_checked(level: Level) -> Level:
    """``level`` where vigil's name similarity reads the pair as one name too."""
    engine = _similarity_at(MATCH_THRESHOLD)
    return Level(f"{level.label}, and the engine agrees", lambda d: f"({level.sql(d)}) AND {engine.sql(d)}",
                 lambda a, b: level.test(a, b) and engine.test(a, b))


@lru_cache(maxsize=1 << 18)
def _prepared(text: str) -> PreparedName:
    return prepare(text)


def cached_similarity(a: str | None, b: str | None) -> float | None:
    """vigil's name similarity of two names, with the prepared names cached for a whole linkage run."""
    if a is None or b is None:
        return None
    return similarity(_prepared(a), _prepared(b))


def _birth() -> Comparison:
    one_edit = Level("birth dates one digit apart", lambda d: f"{_f(d, 'lev', 'birth_date')} <= 1",
                     lambda a, b: a.birth_date is not None and b.birth_date is not None
                     and Levenshtein.distance(a.birth_date, b.birth_date) <= 1)
    # Two full birth dates that differ by more than a digit are weighed apart from two records that share a
    # year and no more (one gives only the year): F1 0.9459 -> 0.9473 at 100,000 synthetic persons.
    differ = Level("birth dates differ", lambda d: "birth_date_l <> birth_date_r",
                   lambda a, b: a.birth_date is not None and b.birth_date is not None and a.birth_date != b.birth_date)
    return Comparison("birth", ("birth_year", "birth_date"), (
        _null("birth_year"), _exact("birth_date", "birth dates equal"), one_edit, differ,
        _exact("birth_year", "birth years equal"), _within("birth_year", 1, "birth years within 1"),
        _within("birth_year", 5, "birth years within 5"), _else()))


def _full_name(name_similarity: str) -> Comparison:
    """Native levels (precomputed keys, SQL) first; with "engine", vigil's name similarity then decides the pairs
    the keys could not (another transcription tradition: 赛力克波力·阿迪力 / Адилов Серикбол), and only those,
    since SQL evaluates a later level only for the pairs that failed the earlier ones."""
    # The null level names nm_forms (null exactly when nm_keys is) so that Splink, which finds the columns a
    # comparison needs from its SQL, also carries nm_forms, read only inside the lambdas of _parts_close.
    null = Level("nm_keys missing", lambda d: "nm_keys_l IS NULL OR nm_keys_r IS NULL OR nm_forms_l IS NULL OR "
                 "nm_forms_r IS NULL", lambda a, b: not a.nm_keys or not b.nm_keys, is_null=True)
    engine = (_similarity_at(MATCH_THRESHOLD),) if name_similarity == "engine" else ()
    # Parts 0.8 alike by key is the lenient level of the native comparison. With the engine, a pair that reaches
    # it is one the engine read as two people (Алмазбек Назарбаев / Almazbek Atambayev: nasarbab / atanbab are
    # 0.81 alike), and it is "else": on gen_crossscript's tasks from names-dev and from other public figures
    # (seeds 11-18) F1 rose on 6 of 16 and fell on 1 (Abdulahat / Ablet, one name's two renderings).
    loose = () if engine else (_parts_close(0.8),)
    # Every part agreeing by skeleton, with the engine, is asked twice: before the engine's level when the
    # engine agrees too, and after it when the engine reads two people. The second holds impostors whose
    # father's name shares a skeleton with the other's given name (Tursunbaev Soyuzbekovna / Tursunbaev
    # Azizbek Atakozuevich) and names written in part (穆罕默德·伊敏 / Muhammad Amin Bughra): EM weighs it
    # apart, and the other fields decide.
    skel = _all_parts("nm_pskels", "every part agrees by skeleton")
    late: tuple[Level, ...] = ()
    if engine:
        skel, late = _engine_checked(skel), (skel,)
    # Two given names alone agreeing are weighed apart from full names agreeing: at 100,000 synthetic persons
    # they were "same name, same roles", and 29 % of their links were true (F1 0.8360 -> 0.8413 apart).
    # Each agreement is asked first with the parts in their roles (given name to given name, father's to
    # father's), then in any order: the same two names in swapped roles are often a father and a son.
    levels = (
        null, _given_close(0.9, both=True), _exact("nm_ordered", "same name, same roles"), _roles_close(0.9),
        _exact("nm_sorted", "same parts, other roles"), skel,
        _parts_close(0.9),
        _exact("nm_block", "the name written as one agrees"), *engine, *late, *loose,
        _given_close(0.9), _parts_close(0.9, one_part=True), _else())
    return Comparison("name", ("name", "nm_keys", "nm_forms", "nm_skels", "nm_pskels", "nm_parts", "nm_sorted", "nm_block",
                               "nm_ordered", "nm_gforms", "nm_fforms"), levels)


def _place() -> Comparison:
    def null_sql(d: str) -> str:
        return "(county_l IS NULL AND place_key_l IS NULL) OR (county_r IS NULL AND place_key_r IS NULL)"

    null = Level("place missing", null_sql, lambda a, b: (a.county is None and a.place_key is None)
                 or (b.county is None and b.place_key is None), is_null=True)
    return Comparison("place", ("county", "prefecture", "place_key"), (
        null, _exact("county", "same county"), _exact("place_key", "same place text"), _jw("place_key", 0.9),
        _exact("prefecture", "same prefecture"), _else()))


def _facility() -> Comparison:
    """A facility in common (one person may have been held in several, and each record names some)."""
    return Comparison("facility", ("facility",), (
        _null("facility"), _overlap("facility", "a facility in common"), _else()))


def _detained() -> Comparison:
    """The detention date at its precision. A list's custody date may be days or weeks after the arrest a
    relative remembers, and a relative may misremember the month, hence "within a month"."""
    # Two dates known to the month that are more than a month apart are weighed apart from two that share
    # only a year: otherwise "March 2018" and "October 2018" counted as "the same year" (+0.8 bits at 25,000
    # synthetic persons), the same as "2018" and "March 2018". Apart: F1 0.9386 -> 0.9459 at 100,000 persons.
    apart = Level("detained months apart", lambda d: "abs(detained_month_l - detained_month_r) > 1",
                  lambda a, b: a.detained_month is not None and b.detained_month is not None
                  and abs(a.detained_month - b.detained_month) > 1)
    return Comparison("detained", ("detained_year", "detained_month", "detained_day"), (
        _null("detained_year"), _exact("detained_day", "detained the same day"),
        _within("detained_month", 1, "detained within a month"), apart, _exact("detained_year", "detained the same year"),
        _within("detained_year", 1, "detained within a year"), _else()))


def _simple(col: str, *extra: Level) -> Comparison:
    return Comparison(col, (col,), (_null(col), _exact(col), *extra, _else()))


def all_comparisons(name_similarity: str = "native") -> tuple[Comparison, ...]:
    """Every comparison vigil knows, in model order. ``name_similarity``: "native" SQL or the "engine" UDF."""
    id_one_edit = Level("id numbers one character apart", lambda d: f"{_f(d, 'lev', 'id_number')} <= 1",
                        lambda a, b: a.id_number is not None and b.id_number is not None
                        and Levenshtein.distance(a.id_number, b.id_number) <= 1)
    address = (_jw("address", 0.9), _jw("address", 0.75))
    return (
        _full_name(name_similarity), _simple("id_number", id_one_edit), _birth(),
        _simple("sex"), _simple("ethnicity"), _place(), _simple("address", *address), _facility(),
        _detained(),
    )


def _keys_close_sql(d: str, a: str, b: str, at: float) -> str:
    """SQL: every main key of name ``a`` has a key of name ``b`` at ``at`` or above (Jaro-Winkler).

    (Comparing the first keys one by one by index instead of list lambdas was slower in DuckDB: 10.4 s of CPU
    against 7.0 s for the birth-year rule on 243,818 records; the rule alone, without it, takes 2.4 s.)"""
    if d == "spark":
        return (f"array_min(transform({a}.nm_keys, x -> array_max(transform({b}.nm_keys, y -> jaro_winkler(x, y)))))"
                f" >= {at}")
    return (f"list_min(list_transform({a}.nm_keys, lambda x: list_max(list_transform({b}.nm_keys, "
            f"lambda y: jaro_winkler_similarity(x, y))))) >= {at}")


def _keys_close(a: tuple[str, ...], b: tuple[str, ...], at: float) -> bool:
    return all(max(JaroWinkler.similarity(x, y) for y in b) >= at for x in a)


def names_alike(a: PreparedRecord, b: PreparedRecord, at: float) -> bool:
    """Whether a pair may be one person's by its names alone: one name is a single part, or every part of the
    shorter name (of either, when equally long) has a part of the other close to it by main key."""
    la, lb = len(a.nm_keys), len(b.nm_keys)
    if min(la, lb) <= 1:
        return True
    return (la <= lb and _keys_close(a.nm_keys, b.nm_keys, at)) or (lb <= la and _keys_close(b.nm_keys, a.nm_keys, at))


def names_alike_sql(d: str, at: float) -> str:
    """SQL: :func:`names_alike` of the names of ``l`` and ``r``, tested on their keys (symmetric in l and r)."""
    n = "size" if d == "spark" else "len"
    la, lb = f"{n}(l.nm_keys)", f"{n}(r.nm_keys)"
    return (f"(least({la}, {lb}) <= 1 OR ({la} <= {lb} AND {_keys_close_sql(d, 'l', 'r', at)}) "
            f"OR ({lb} <= {la} AND {_keys_close_sql(d, 'r', 'l', at)}))")


#: The column of a records table that numbers the distinct lists of name keys (``nm_keys``): records with the
#: same keys have the same number (see :mod:`vigil.core.linkage.alike`).
NAME_ID = "nm_id"


def alike_macro(at: float) -> str:
    """The name of the DuckDB macro (and of its table) telling which pairs of name numbers are alike at ``at``."""
    return f"vigil_names_alike_{round(at * 1000)}"


def _names_alike_lookup_sql(at: float) -> str:
    """DuckDB SQL: :func:`names_alike_sql`, looked up instead of computed for names of two parts or more.

    The alike test depends on the two key lists alone, and names repeat: the pairs of distinct names that share
    a blocking key are tested once each, before the rules run (:func:`vigil.core.linkage.alike.create_alike_tables`),
    and a pair of records looks its names up. Equal names are alike (every key is its own partner)."""
    return (f"(least(len(l.nm_keys), len(r.nm_keys)) <= 1 OR l.{NAME_ID} = r.{NAME_ID} OR "
            f"{alike_macro(at)}(least(l.{NAME_ID}, r.{NAME_ID}), greatest(l.{NAME_ID}, r.{NAME_ID})))")


@dataclass(frozen=True, slots=True)
class BlockingRule:
    """Candidate pairs agree on every column; ``explode``: a list column, where one shared element suffices.

    ``names_alike``: the pair's names must also be alike (:func:`names_alike` at this Jaro-Winkler). On DuckDB
    the rule looks the test up in a table made for the records first (:mod:`vigil.core.linkage.alike`).
    """

    name: str
    columns: tuple[str, ...]
    explode: str | None = None
    names_alike: float | None = None
    #: Only names split into different numbers of parts (one glued, the other not).
    split_otherwise: bool = False

    def splink(self, dialect: str = "duckdb") -> Any:
        """The rule for Splink's settings, written in ``dialect`` where it needs more than equal columns."""
        from splink import block_on  # noqa: PLC0415  (Splink loads only where linkage runs)
        from splink.blocking_rule_library import CustomRule  # noqa: PLC0415

        explode = [self.explode] if self.explode else None
        if self.names_alike is None and not self.split_otherwise:
            return block_on(*self.columns, arrays_to_explode=explode)
        conditions = [f"l.{c} = r.{c}" for c in self.columns]
        if self.names_alike is not None:
            conditions.append(_names_alike_lookup_sql(self.names_alike) if dialect == "duckdb"
                              else names_alike_sql(dialect, self.names_alike))
        if self.split_otherwise:
            n = "size" if dialect == "spark" else "len"
            conditions.append(f"{n}(l.nm_keys) <> {n}(r.nm_keys)")
        return CustomRule(" AND ".join(conditions), arrays_to_explode=explode)

    def holds(self, a: PreparedRecord, b: PreparedRecord) -> bool:
        """Whether the pair would be a candidate under this rule."""
        return self.keys_agree(a, b) and (self.names_alike is None or names_alike(a, b, self.names_alike)) and (
            not self.split_otherwise or len(a.nm_keys) != len(b.nm_keys))

    def keys_agree(self, a: PreparedRecord, b: PreparedRecord) -> bool:
        """Whether the pair agrees on the rule's columns (its names may still be too unlike to compare)."""
        for col in self.columns:
            va, vb = getattr(a, col), getattr(b, col)
            if col == self.explode:
                if not (set(va or ()) & set(vb or ())):
                    return False
            elif va is None or va != vb:
                return False
        return True


#: How alike two names sharing one part must be for the rules on one name part (see BLOCKING_RULES): the
#: lowest closeness at which the name comparison still reads two names of two or more parts as alike (0.8).
NAMES_ALIKE = 0.8

#: Candidate pairs: identity numbers, two name parts, or one name part with the birth year or county.
#: Name keys are phonetic and script-free, so a pair written in two scripts is still a candidate.
#: One shared part with the birth year or county is a candidate only when the other parts are alike too (or a
#: name is one part): on 243,818 synthetic records these two rules made 11.5 M of the 16.8 M candidate pairs,
#: 10.3 M of them with names the model reads as unlike (Abdulla Tursun, Abdulla Mamat), which gave 25 links.
#: At 0.7 the condition kept 3.9 M of the 11.5 M; at 0.8 it keeps 1.8 M: of the pairs between (Abdulla Tursun,
#: Abdulla Turdi), 98 % ended at the name comparison's lowest level, and of their few links 21 % were true.
BLOCKING_RULES: tuple[BlockingRule, ...] = (
    BlockingRule("same identity number", ("id_number",)),
    BlockingRule("two name parts agree", ("nm_pairs",), "nm_pairs"),
    BlockingRule("the name written as one agrees", ("nm_block",), split_otherwise=True),
    BlockingRule("a name part and the birth year agree", ("nm_years",), "nm_years", NAMES_ALIKE),
    BlockingRule("a name part and the county agree", ("nm_places",), "nm_places", NAMES_ALIKE),
    BlockingRule("birth date and place agree", ("birth_date", "place_key")),
    BlockingRule("a name part and a facility agree", ("nm_custody",), "nm_custody", NAMES_ALIKE),
    # The whole name with the county or the birth year: a common name's part keys are narrowed by the birth
    # year (or the county) and dropped where it is missing, which left out a relative's record without a birth
    # year and the list row of the same name and county (at 100,000 synthetic persons 2,751 of the 14,836 true
    # pairs no rule compared; F1 0.9363 -> 0.9386 for 0.5 % more pairs). A whole name is rare enough not to
    # need narrowing.
    BlockingRule("the name and the county agree", ("nm_sorted", "county")),
    BlockingRule("the name and the birth year agree", ("nm_sorted", "birth_year")),
)
