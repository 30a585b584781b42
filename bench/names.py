"""Speed of vigil.core.names: similarity on prepared names, match_keys and prepare on raw names.

Usage: python bench/names.py [--n N]

Names are synthetic: given names, fathers' names and surnames of public figures from the golden files,
recombined and rendered in every script, so that most names are new to the caches (as in a leaked list).
Prints the figures and a line ready to paste into bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import csv
import platform
import random
import time
from pathlib import Path

from vigil.core.names import match_keys, prepare, similarity
from vigil.core.names.prepared import prepare as prepare_cached

ROOT = Path(__file__).resolve().parent.parent
SOURCES = [ROOT / "tests/testdata/names/public-figures-extra.tsv", Path("/work/shared/data/names-dev.tsv")]


def load_parts() -> dict[str, list[str]]:
    """Name parts by script, from the public-figure files that exist here."""
    by_script: dict[str, list[str]] = {}
    for path in SOURCES:
        if not path.exists():
            continue
        with path.open(encoding="utf-8") as f:
            for row in csv.DictReader(f, delimiter="\t"):
                script = "latin" if row["script"] == "uly" else row["script"]
                by_script.setdefault(script, []).extend(t for t in row["name"].replace("·", " ").split() if t)
    return by_script


def synthetic_names(n: int, rnd: random.Random) -> list[str]:
    parts = load_parts()
    scripts = sorted(parts)
    out = []
    for _ in range(n):
        script = rnd.choice(scripts)
        k = rnd.choice((2, 2, 3))
        toks = [rnd.choice(parts[script]) for _ in range(k)]
        out.append(("·" if script == "chinese" else " ").join(toks))
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=200_000, help="comparisons to time (names: n // 10)")
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    rnd = random.Random(args.seed)
    names = synthetic_names(max(args.n // 10, 1000), rnd)
    distinct = len(set(names))

    prepare_cached.cache_clear()
    t0 = time.perf_counter()
    for name in names:
        match_keys(name)
    keys_rate = len(names) / (time.perf_counter() - t0)

    prepared = [prepare(n) for n in names]
    pairs = [(rnd.choice(prepared), rnd.choice(prepared)) for _ in range(args.n)]
    # First pass: every part pair is new to the part-score cache. Later passes: the steady state of
    # linkage, where the same given names and surnames meet again and again.
    rates = []
    for _ in range(3):
        t0 = time.perf_counter()
        for a, b in pairs:
            similarity(a, b)
        rates.append(len(pairs) / (time.perf_counter() - t0))
    cold_rate, sim_rate = rates[0], max(rates[1:])

    cpu = platform.processor() or platform.machine()
    print(f"names: {len(names)} ({distinct} distinct), comparisons: {len(pairs)}")
    print(f"match_keys (cold prepare cache): {keys_rate:,.0f} names/s   (target ≥ 20,000)")
    print(f"similarity on prepared names:    {sim_rate:,.0f} comparisons/s   (target ≥ 200,000; "
          f"first pass with cold part-score cache {cold_rate:,.0f}/s)")
    print()
    print(f"| names | {time.strftime('%Y-%m-%d')} | similarity {sim_rate:,.0f}/s on prepared names; "
          f"(first pass {cold_rate:,.0f}/s); match_keys {keys_rate:,.0f} names/s | n={len(pairs)}, one core, {cpu}, Python {platform.python_version()} |")


if __name__ == "__main__":
    main()
