"""Benchmark: intake suggestions (`vigil.linkage.candidates`) latency on a large database.

Usage:
    VIGIL_DATA_DIR=DIR .venv/bin/python bench/candidates.py [--queries 1000] [--seed 1]

DIR is a data folder with persons imported (e.g. bench/records.py --persons 500000 --work W: W/data,
about a million person records). Each query is what a volunteer has typed when suggestions appear:
a rendering of a name on record (any script) with the birth year, sometimes only the name. With a
trained model (vigil link run) it scores with the model; without one, by names alone. Prints p50/p95 of
the wall time, and of the CPU time of this process (what a shared, loaded machine inflates least).
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

from vigil.linkage.candidates import CandidateQuery, candidates  # noqa: E402
from vigil.linkage.trained import model_load  # noqa: E402
from vigil.records.models import Name, Person  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--queries", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    rnd = random.Random(a.seed)
    persons = Person.objects.count()
    max_name = Name.objects.order_by("-id").values_list("id", flat=True).first() or 0
    queries: list[CandidateQuery] = []
    while len(queries) < a.queries:
        row = (
            Name.objects.filter(id__gte=rnd.randint(1, max_name), kind="full")
            .values_list("text", "person__birth_date", "person__sex").first()
        )
        if row is None:
            continue
        text, birth, sex = row
        with_more = rnd.random() < 0.7
        queries.append(CandidateQuery(
            names=(text,), birth_date=str(birth.year) if birth and with_more else None, sex=sex if with_more and sex else None,
        ))
    candidates(queries[0], actor=ACTOR)
    times = []
    cpu = []
    found = 0
    for q in queries:
        t, c = time.perf_counter(), time.process_time()
        result = candidates(q, actor=ACTOR)
        times.append((time.perf_counter() - t) * 1000)
        cpu.append((time.process_time() - c) * 1000)
        found += bool(result)
    times.sort()
    cpu.sort()
    p50, p95 = statistics.median(times), times[int(len(times) * 0.95)]
    model = model_load()
    print(f"{len(times)} queries, {found} with suggestions; p50 {p50:.1f} ms, p95 {p95:.1f} ms, max {times[-1]:.1f} ms; "
          f"CPU p50 {statistics.median(cpu):.1f} ms, p95 {cpu[int(len(cpu) * 0.95)]:.1f} ms; load average {os.getloadavg()[0]:.1f}; "
          f"model {model.model_id if model else 'none (names only)'}")
    print(f"| candidates() | {persons} person records | p50 {p50:.0f} ms, p95 {p95:.0f} ms over {len(times)} queries | {platform.machine()}, {os.cpu_count()} cores, SQLite |")


if __name__ == "__main__":
    main()
