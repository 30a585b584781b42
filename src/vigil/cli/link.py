"""``vigil link``: the stand-alone CSV linker, for researchers with spreadsheets (no database needed)."""

from __future__ import annotations

import csv
import os
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from vigil.core.linkage import (
    DEFAULT_THRESHOLD,
    InputError,
    LinkageModel,
    ModelError,
    PreparedRecord,
    blocking_recall,
    prepare_file,
)
from vigil.cli import context
from vigil.cli.options import AsOption, DataOption

app = typer.Typer(
    help="Find records that are probably one person, across scripts, in CSV files (see docs/linkage.md).",
    no_args_is_help=True,
    add_completion=False,
)
console = Console(stderr=True)

ThresholdOpt = Annotated[float | None, typer.Option(
    "--threshold", min=0.0, max=1.0,
    help=f"Match probability at and above which a pair is a link (default: the model's, {DEFAULT_THRESHOLD}).")]
ModelOpt = Annotated[Path | None, typer.Option(
    "--model", help="Model JSON: used if it exists, else trained on these records and saved there.")]
NamesOpt = Annotated[str, typer.Option(
    "--names", help="Name comparison: 'engine' (vigil's name similarity, best across scripts) or 'native' "
                    "(precomputed keys compared in SQL, faster on millions of records).")]


def _progress() -> Progress:
    return Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                    TimeElapsedColumn(), console=console)


def _read(path: Path, bar: Progress) -> list[PreparedRecord]:
    task = bar.add_task(f"reading {path.name}", total=None)
    out = prepare_file(path)  # one pass; the distinct names and identity numbers in worker processes
    bar.update(task, total=len(out), completed=len(out))
    return out


def _stepper(bar: Progress) -> Callable[[str], None]:
    task = bar.add_task("linking", total=None)
    return lambda step: bar.update(task, description=step)


def _load_model(path: Path | None) -> LinkageModel | None:
    if path is None or not path.exists():
        return None
    return LinkageModel.load(path)


def _write_atomic(path: Path, header: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    """Write the CSV to a temporary file beside ``path`` and move it into place: never half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(header)
            writer.writerows(rows)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _fail(exc: Exception) -> typer.Exit:
    console.print(f"[red]error:[/red] {exc}\nNothing was written.")
    return typer.Exit(2)


def _prob(p: float | None) -> str:
    return "" if p is None else f"{p:.6f}"


def _true_pairs(path: Path) -> list[tuple[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    if rows and "left_id" in rows[0]:
        return [(r["left_id"], r["right_id"]) for r in rows]
    groups: dict[str, list[str]] = {}
    for r in rows:
        groups.setdefault(r["person_id"], []).append(r.get("id") or r["record_id"])
    return [(a, b) for g in groups.values() for i, a in enumerate(g) for b in g[i + 1:]]


@app.command()
def dedupe(
    records: Annotated[Path, typer.Argument(help="CSV with an id column and any of the linker columns.")],
    out: Annotated[Path, typer.Option("--out", help="Where to write id,cluster_id,match_probability.")],
    threshold: ThresholdOpt = None,
    model: ModelOpt = None,
    names: NamesOpt = "engine",
    truth: Annotated[Path | None, typer.Option(
        "--truth", help="Optional CSV of known same-person records (id,person_id): report the blocking recall.")] = None,
) -> None:
    """Group the records of one CSV that are probably one person.

    Writes one row per record: its cluster and the probability of its best link into that cluster
    (empty for a record alone in its cluster), with the id of the model that scored it.
    """
    start = time.perf_counter()
    from vigil.core.linkage.engine import dedupe as run_dedupe  # noqa: PLC0415  (keeps `vigil --help` fast)

    try:
        with _progress() as bar:
            prepared = _read(records, bar)
            loaded = _load_model(model)
            result = run_dedupe(prepared, model=loaded, threshold=threshold, name_similarity=names,
                                progress=_stepper(bar))
    except (InputError, ModelError) as exc:
        raise _fail(exc) from None
    rows = [(rid, cid, _prob(p), result.model.model_id) for rid, cid, p in result.rows]
    _write_atomic(out, ("id", "cluster_id", "match_probability", "model_id"), rows)
    if model is not None and result.summary.trained:
        result.model.save(model)
    s = result.summary
    console.print(f"[bold]{s.records}[/bold] records, {s.candidate_pairs} candidate pairs, {s.links} links, "
                  f"{s.clusters} clusters in {time.perf_counter() - start:.1f}s; model {s.model_id}"
                  f"{' (trained)' if s.trained else ''}; wrote {out}")
    if truth is not None:
        console.print(str(blocking_recall({r.unique_id: r for r in prepared}, _true_pairs(truth))))


@app.command()
def pairs(
    left: Annotated[Path, typer.Argument(help="The first list (CSV with an id column).")],
    right: Annotated[Path, typer.Argument(help="The second list (CSV with an id column).")],
    out: Annotated[Path, typer.Option("--out", help="Where to write the linked pairs.")],
    threshold: ThresholdOpt = None,
    model: ModelOpt = None,
    names: NamesOpt = "engine",
    truth: Annotated[Path | None, typer.Option(
        "--truth", help="Optional CSV of known links (left_id,right_id): report the blocking recall.")] = None,
) -> None:
    """Link two lists: the pairs of a left and a right record that are probably one person.

    Writes left_id, right_id, match_probability, match_weight, the weight of each field (w_<field>) and
    the id of the model that scored the pair.
    """
    start = time.perf_counter()
    from vigil.core.linkage.engine import link_pairs  # noqa: PLC0415  (keeps `vigil --help` fast)

    try:
        with _progress() as bar:
            prepared_left = _read(left, bar)
            prepared_right = _read(right, bar)
            loaded = _load_model(model)
            result = link_pairs(prepared_left, prepared_right, model=loaded, threshold=threshold,
                                name_similarity=names, progress=_stepper(bar))
    except (InputError, ModelError) as exc:
        raise _fail(exc) from None
    header = ("left_id", "right_id", "match_probability", "match_weight", *(f"w_{f}" for f in result.fields),
              "model_id")
    rows = [(r[0], r[1], _prob(r[2]), f"{r[3]:.3f}", *(f"{w:.3f}" for w in r[4:]), result.model.model_id)
            for r in result.rows]
    _write_atomic(out, header, rows)
    if model is not None and result.summary.trained:
        result.model.save(model)
    s = result.summary
    console.print(f"[bold]{s.records}[/bold] records, {s.candidate_pairs} candidate pairs, {s.links} links "
                  f"in {time.perf_counter() - start:.1f}s; model {s.model_id}"
                  f"{' (trained)' if s.trained else ''}; wrote {out}")
    if truth is not None:
        records = {f"L:{r.unique_id}": r for r in prepared_left} | {f"R:{r.unique_id}": r for r in prepared_right}
        console.print(str(blocking_recall(records, [(f"L:{a}", f"R:{b}") for a, b in _true_pairs(truth)])))


@app.command("run")
def run(
    incremental: Annotated[bool, typer.Option("--incremental", help="Compare only records added since the last run (with the saved model).")] = False,
    auto_merge_above: Annotated[float | None, typer.Option("--auto-merge-above", min=0.5, max=1.0, help="Merge proposed pairs at or above this probability (never by default).")] = None,
    threshold: Annotated[float, typer.Option("--threshold", min=0.0, max=1.0, help="Propose pairs for review at or above this probability.")] = 0.9,
    retrain: Annotated[bool, typer.Option("--retrain", help="Train a new model even if one is saved.")] = False,
    data: DataOption = None,
    as_user: AsOption = None,
) -> None:
    """Score the persons in the database and propose likely duplicates for review (the review queue)."""
    context.setup(data)
    from vigil.linkage.runs import link_run  # noqa: PLC0415  (after Django starts)

    user = context.acting_user(as_user)
    report = link_run(actor=user, threshold=threshold, auto_merge_above=auto_merge_above, incremental=incremental,
                      retrain=retrain, say=lambda step: console.print(f"  {step}"))
    console.print(
        f"{report.records} records, {report.candidate_pairs} candidate pairs, {report.proposed} proposed for review"
        f"{f', {report.auto_merged} merged automatically' if report.auto_merged else ''} "
        f"(model {report.model_id}{', trained now' if report.trained else ''}) in {report.seconds:.1f} s"
    )
