"""The files written by vigil.core.synth: determinism, ground truth, import format, protection."""

from __future__ import annotations

import csv
import json
import re
from collections import Counter
from pathlib import Path
from typing import Any


from vigil.core.synth import SynthSummary, write
from .conftest import PERSONS, SEED

FILES = ("testimonies.jsonl", "leaked-list.csv", "truth.csv", "records.csv")

PARTIAL_DATE = re.compile(
    r"\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?|(~|about )\d{4}|\d{4}/\d{4}"
)
CLAIM_TYPES = {"detained", "held_at", "sentenced", "transferred", "released", "house_arrest",
               "forced_labour", "died", "whereabouts_unknown"}
ETHNICITIES = {"uyghur", "kazakh", "kyrgyz", "hui", "uzbek", "tatar", "tajik", "han", "other"}
NAME_KINDS = {"full", "given", "father", "family", "alias"}
SCRIPTS = {"cyrillic", "latin", "arabic", "han", "mixed"}
MEDIA = {"in_person", "video", "audio", "written", "phone", "online"}
CONSENTS = {"none", "anonymised", "full"}
FAKE_PHONE = re.compile(r"\+7 700 555 \d{4}|\+1 202 555 01\d{2}|\+44 7700 900\d{3}")
EXAMPLE_EMAIL = re.compile(r"[a-z0-9]+@example\.(org|com|net)")


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def problems(line: dict[str, Any]) -> list[str]:
    """What a line breaks in docs/import-format.md (empty when valid)."""
    out = []

    def need(cond: bool, what: str) -> None:
        if not cond:
            out.append(what)

    need(isinstance(line.get("date"), str) and bool(PARTIAL_DATE.fullmatch(line["date"])), "date")
    need(line.get("consent") in CONSENTS, "consent")
    need(line.get("medium", "in_person") in MEDIA, "medium")
    t = line.get("testifier")
    need(isinstance(t, dict) and bool(t.get("name") or t.get("ref")), "testifier")
    need(len(line.get("persons") or []) >= 1, "persons")
    for p in line.get("persons") or []:
        need(bool(p.get("names")), "persons.names")
        for n in p.get("names", []):
            need(isinstance(n.get("text"), str) and bool(n["text"].strip()), "names.text")
            need(n.get("kind", "full") in NAME_KINDS, "names.kind")
            need(n.get("script", "latin") in SCRIPTS, "names.script")
        need(p.get("sex", "m") in {"m", "f"}, "sex")
        need("birth_date" not in p or bool(PARTIAL_DATE.fullmatch(p["birth_date"])), "birth_date")
        need(p.get("ethnicity", "other") in ETHNICITIES, "ethnicity")
        need(all(re.fullmatch(r"[A-Z]{2}", c) for c in p.get("citizenship", [])), "citizenship")
        home = p.get("hometown")
        need(home is None or set(home) in ({"code"}, {"text"}), "hometown")
        for number in p.get("identity_numbers", []):
            need(number.get("scheme") in {"cn_ric", "kz_iin", "passport", "other"}, "identity_numbers")
        for c in p.get("claims", []):
            need(c.get("type") in CLAIM_TYPES, "claims.type")
            for key in ("date", "date_end"):
                need(key not in c or bool(PARTIAL_DATE.fullmatch(c[key])), f"claims.{key}")
            need("facility" not in c or bool(c["facility"].get("name")), "claims.facility")
            need("term_months" not in c or (isinstance(c["term_months"], int) and c["term_months"] > 0), "term")
    return out


def test_same_seed_gives_byte_identical_files(tmp_path: Path, synth_dir: tuple[Path, SynthSummary]) -> None:
    """Writing twice with one seed gives byte-identical files; another seed gives other files."""
    first, _ = synth_dir
    again, other = tmp_path / "again", tmp_path / "other"
    write(persons=PERSONS, seed=SEED, out=again)
    write(persons=PERSONS, seed=SEED + 1, out=other)
    for name in FILES:
        assert (first / name).read_bytes() == (again / name).read_bytes(), name
    assert (first / "testimonies.jsonl").read_bytes() != (other / "testimonies.jsonl").read_bytes()


def test_every_record_maps_to_exactly_one_true_person(synth_dir: tuple[Path, SynthSummary]) -> None:
    """Every testimony person ref and list row id is in truth.csv once; every person has a record."""
    out, summary = synth_dir
    refs = [p["ref"] for line in read_jsonl(out / "testimonies.jsonl") for p in line["persons"]]
    rows = [r["row_id"] for r in read_csv(out / "leaked-list.csv")]
    truth = read_csv(out / "truth.csv")
    counts = Counter(r["record_id"] for r in truth)
    assert set(counts) == set(refs) | set(rows)
    assert all(n == 1 for n in counts.values())
    assert len(refs) == len(set(refs)) and len(rows) == len(set(rows))
    people = {r["person_id"] for r in truth}
    assert len(people) == summary.persons + summary.list_only_persons
    testified = {f"S{n:07d}" for n in range(1, PERSONS + 1)}
    by_record = {r["record_id"]: r["person_id"] for r in truth}
    assert testified <= {by_record[ref] for ref in refs}
    assert [r["id"] for r in read_csv(out / "records.csv")] == [r["record_id"] for r in truth]


def test_leaked_list_overlaps_part_of_the_population(synth_dir: tuple[Path, SynthSummary]) -> None:
    """About 30 % of testified persons are on the list, and the list names others too."""
    out, _ = synth_dir
    truth = {r["record_id"]: r["person_id"] for r in read_csv(out / "truth.csv")}
    on_list = {truth[r["row_id"]] for r in read_csv(out / "leaked-list.csv")}
    overlap = sum(1 for pid in on_list if int(pid[1:]) <= PERSONS)
    assert 0.15 * PERSONS <= overlap <= 0.45 * PERSONS
    assert len(on_list) > overlap


def test_every_testimony_line_follows_the_import_format(synth_dir: tuple[Path, SynthSummary]) -> None:
    """Each line of testimonies.jsonl is valid per docs/import-format.md."""
    out, summary = synth_dir
    lines = read_jsonl(out / "testimonies.jsonl")
    assert len(lines) == summary.testimonies
    bad = {line["ref"]: problems(line) for line in lines if problems(line)}
    assert not bad
    assert len({line["ref"] for line in lines}) == len(lines)


def test_leaked_list_has_the_documented_columns(synth_dir: tuple[Path, SynthSummary]) -> None:
    """The list has its Chinese columns, 男/女, YYYYMMDD birth dates and category codes."""
    out, _ = synth_dir
    rows = read_csv(out / "leaked-list.csv")
    assert list(rows[0]) == ["row_id", "姓名", "身份证号", "性别", "出生日期", "户籍地", "关押地点", "收押日期", "原因"]
    for r in rows:
        assert re.fullmatch(r"L\d{6}", r["row_id"])
        assert r["性别"] in {"男", "女", ""}
        assert r["出生日期"] == "" or r["出生日期"] == r["身份证号"][6:14]
        assert re.fullmatch(r"类别[A-Z]", r["原因"])
        assert re.search(r"[\u4e00-\u9fff]", r["姓名"])


def test_progress_reports_the_final_count(tmp_path: Path) -> None:
    """write() reports progress and ends with the number of persons written."""
    seen: list[int] = []
    summary = write(persons=30, seed=1, out=tmp_path, progress=seen.append)
    assert seen and seen[-1] == summary.persons == 30


def test_flat_records_carry_the_facilities_and_detention_date_their_source_gives(
        synth_dir: tuple[Path, SynthSummary]) -> None:
    """records.csv (the linker's view) has each testimony entry's facilities and detention date, and each list
    row's facility and custody date, as written there: nothing the source does not say."""
    out, _ = synth_dir
    records = {r["id"]: r for r in read_csv(out / "records.csv")}
    entries = [p for line in read_jsonl(out / "testimonies.jsonl") for p in line["persons"]]
    for entry in entries:
        rec = records[entry["ref"]]
        named = [c["facility"]["name"] for c in entry["claims"] if "facility" in c]
        assert rec["facility"].split(";") == list(dict.fromkeys(named)) if named else rec["facility"] == ""
        detained = [c["date"] for c in entry["claims"] if c["type"] == "detained"]
        assert rec["detained_date"] == (detained[0] if detained else "")
    for row in read_csv(out / "leaked-list.csv"):
        rec = records[row["row_id"]]
        assert (rec["facility"], rec["detained_date"]) == (row["关押地点"], row["收押日期"])
    assert sum(bool(r["facility"]) for r in records.values()) > len(records) / 2
    assert sum(bool(r["detained_date"]) for r in records.values()) > len(records) / 2
