"""Benchmark: person search (the web search box) on a large database.

Usage:
    VIGIL_DATA_DIR=DIR .venv/bin/python bench/search.py [--queries 200] [--seed 1]

DIR is a data folder with persons imported (for example from bench/records.py --work W, folder W/data).
Queries are renderings of names on record, in every script they occur in, plus a few filters; prints
p50/p95/max per kind and a Markdown row for bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import statistics
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vigil.config.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402

# Reads check the reader's role like any other: the benchmark reads as the first administrator.
ACTOR = get_user_model().objects.filter(is_superuser=True, is_active=True).order_by("id").first()

from vigil.records.models import Name, Person  # noqa: E402
from vigil.records.search import PersonFilters, person_search  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--queries", type=int, default=200)
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    rnd = random.Random(a.seed)
    persons = Person.objects.filter(merged_into__isnull=True).count()
    max_name = Name.objects.order_by("-id").values_list("id", flat=True).first() or 0
    by_script: dict[str, list[str]] = {}
    while sum(len(v) for v in by_script.values()) < a.queries:
        n = Name.objects.filter(id__gte=rnd.randint(1, max_name), kind="full").values_list("text", "script").first()
        if n:
            by_script.setdefault(n[1], []).append(n[0])
    person_search(actor=ACTOR, query="warm up")
    times: dict[str, list[float]] = {}
    for script, texts in sorted(by_script.items()):
        for text in texts:
            t = time.perf_counter()
            person_search(actor=ACTOR, query=text)
            times.setdefault(f"name ({script})", []).append((time.perf_counter() - t) * 1000)
    for status in ("detained", "held_at", "released"):
        t = time.perf_counter()
        person_search(actor=ACTOR, filters=PersonFilters(status=status, sex="f"), sort="-status_date")
        times.setdefault("filters only", []).append((time.perf_counter() - t) * 1000)
    everything = [x for v in times.values() for x in v]
    for kind, values in times.items():
        values.sort()
        p95 = values[min(len(values) - 1, int(len(values) * 0.95))]
        print(f"{kind:22} n={len(values):4} p50={statistics.median(values):7.1f} ms p95={p95:7.1f} ms max={values[-1]:7.1f} ms")
    everything.sort()
    p95 = everything[int(len(everything) * 0.95)]
    print(f"| search | {persons} persons | p50 {statistics.median(everything):.0f} ms, p95 {p95:.0f} ms, max {everything[-1]:.0f} ms over {len(everything)} queries | {platform.machine()}, {os.cpu_count()} cores, SQLite |")


if __name__ == "__main__":
    main()
