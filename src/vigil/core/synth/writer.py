"""Generate the synthetic population and write it: testimonies, leaked list and ground truth.

Everything comes from one ``random.Random(seed)`` stream, consumed in a fixed order, so one
seed always gives byte-identical files. Households are generated, rendered and written one at
a time; only the set of issued identity numbers grows with the population.
"""

from __future__ import annotations

import csv
import json
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from vigil.core.synth.geography import build_facilities
from vigil.core.synth.lexicon import lexicon
from vigil.core.synth.listgen import LIST_COLUMNS, ListMaker, listable
from vigil.core.synth.people import Person, PersonFactory
from vigil.core.synth.testimonies import TestimonyMaker

RECORD_COLUMNS = ("id", "full_name", "given_name", "father_name", "family_name", "birth_date", "birth_year",
                  "sex", "ethnicity", "id_number", "place", "address", "facility", "detained_date")
TRUTH_COLUMNS = ("record_id", "person_id")

SIBLING_SHARE = 0.1  # households of two siblings, often in the same testimony
LIST_SHARE = 0.43  # of listable persons; about 30 % of all persons end up on the list
LIST_ONLY_SHARE = 0.15  # list rows for persons nobody testified about, per household


@dataclass(frozen=True, slots=True)
class Batch:
    """One household's output, in file order."""

    persons: tuple[Person, ...]
    list_only: tuple[Person, ...]
    testimonies: tuple[dict[str, Any], ...]
    list_rows: tuple[dict[str, str], ...]
    records: tuple[tuple[str, dict[str, str]], ...]  # (person id, flat record); testimony records first


@dataclass(frozen=True, slots=True)
class SynthSummary:
    persons: int
    list_only_persons: int
    testimonies: int
    testifiers: int
    person_records: int
    list_rows: int
    facilities: int
    files: tuple[Path, ...]


def generate(*, persons: int, seed: int) -> Iterator[Batch]:
    """Yield the population household by household: ``persons`` persons with testimonies
    (ids S0000001…), then list-only persons numbered after them as they appear."""
    if persons < 1:
        raise ValueError("persons must be at least 1")
    rng = random.Random(seed)
    table = build_facilities(persons=persons, seed=seed)
    factory = PersonFactory(rng=rng, lexicon=lexicon(), facilities=table)
    testimonies = TestimonyMaker(rng=rng, factory=factory)
    lister = ListMaker(rng=rng)
    made = 0
    next_extra = persons + 1
    while made < persons:
        first = factory.person(made + 1)
        household = [first]
        if persons - made >= 2 and rng.random() < SIBLING_SHARE:
            household.append(factory.person(made + 2, sibling_of=first))
        made += len(household)
        lines, records = testimonies.household(tuple(household))
        rows: list[dict[str, str]] = []
        for p in household:
            if rng.random() < LIST_SHARE and listable(p):
                row, record = lister.row(p)
                rows.append(row)
                records.append((p.id, record))
        extra: list[Person] = []
        if rng.random() < LIST_ONLY_SHARE:
            for _ in range(10):
                candidate = factory.person(next_extra)
                if listable(candidate):
                    next_extra += 1
                    row, record = lister.row(candidate)
                    rows.append(row)
                    records.append((candidate.id, record))
                    extra.append(candidate)
                    break
        yield Batch(tuple(household), tuple(extra), tuple(lines), tuple(rows), tuple(records))


def write(*, persons: int, seed: int, out: Path,
          progress: Callable[[int], None] | None = None) -> SynthSummary:
    """Write testimonies.jsonl, leaked-list.csv, truth.csv and records.csv into ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    paths = (out / "testimonies.jsonl", out / "leaked-list.csv", out / "truth.csv", out / "records.csv")
    n_persons = n_extra = n_testimonies = n_records = n_rows = 0
    testifiers = 0  # refs are numbered in order, so the highest is the count
    reported = 0
    with (
        paths[0].open("w", encoding="utf-8", newline="\n") as jsonl,
        paths[1].open("w", encoding="utf-8", newline="") as list_file,
        paths[2].open("w", encoding="utf-8", newline="") as truth_file,
        paths[3].open("w", encoding="utf-8", newline="") as records_file,
    ):
        list_csv, truth_csv, records_csv = csv.writer(list_file), csv.writer(truth_file), csv.writer(records_file)
        list_csv.writerow(LIST_COLUMNS)
        truth_csv.writerow(TRUTH_COLUMNS)
        records_csv.writerow(RECORD_COLUMNS)
        for batch in generate(persons=persons, seed=seed):
            for line in batch.testimonies:
                jsonl.write(json.dumps(line, ensure_ascii=False))
                jsonl.write("\n")
                testifiers = max(testifiers, int(line["testifier"]["ref"][1:]))
            for row in batch.list_rows:
                list_csv.writerow([row[c] for c in LIST_COLUMNS])
            for person_id, record in batch.records:
                truth_csv.writerow((record["id"], person_id))
                records_csv.writerow([record[c] for c in RECORD_COLUMNS])
            n_persons += len(batch.persons)
            n_extra += len(batch.list_only)
            n_testimonies += len(batch.testimonies)
            n_rows += len(batch.list_rows)
            n_records += len(batch.records)
            if progress is not None and n_persons - reported >= 1000:
                reported = n_persons
                progress(n_persons)
    if progress is not None and reported != n_persons:
        progress(n_persons)
    return SynthSummary(
        persons=n_persons,
        list_only_persons=n_extra,
        testimonies=n_testimonies,
        testifiers=testifiers,
        person_records=n_records - n_rows,
        list_rows=n_rows,
        facilities=len(build_facilities(persons=persons, seed=seed).facilities),
        files=paths,
    )
