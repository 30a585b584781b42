"""Benchmark: `vigil export` of persons, claims and testimonies in every format, on an existing database.

Usage:
    VIGIL_DATA_DIR=DIR .venv/bin/python bench/exports.py [--datasets persons,claims,testimonies] [--formats csv,xlsx,json] [--out DIR]

Build the database first (about 3 minutes for 100,000 synthetic persons):
    vigil synth --persons 100000 --out SYNTH && vigil init && vigil import testimonies SYNTH/testimonies.jsonl

Runs each export as its own `vigil export` process under /usr/bin/time -v (wall time, peak RSS),
twice so that the bytes can be compared, and prints ready-to-paste Markdown rows (with the load average
of the machine before each run: the development machine is shared).
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import os
import re
import shlex
import subprocess
import sys
import tempfile
import time
from pathlib import Path

VIGIL = str(Path(sys.executable).parent / "vigil")


def sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def timed(cmd: list[str]) -> tuple[float, float, str]:
    started = time.perf_counter()
    proc = subprocess.run(["/usr/bin/time", "-v", *cmd], capture_output=True, text=True, env=dict(os.environ, COLUMNS="200"))
    seconds = time.perf_counter() - started
    if proc.returncode != 0:
        sys.exit(f"{' '.join(cmd)} failed:\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}")
    peak = re.search(r"Maximum resident set size \(kbytes\): (\d+)", proc.stderr)
    return seconds, (int(peak.group(1)) / 1024 if peak else float("nan")), proc.stdout


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--datasets", default="persons,claims,testimonies")
    ap.add_argument("--formats", default="csv,xlsx,json")
    ap.add_argument("--out", type=Path, default=None, help="where to write the files (default: a temporary folder)")
    ap.add_argument("--vigil", default=VIGIL, help="the vigil command (default: beside this Python)")
    a = ap.parse_args()
    out = a.out or Path(tempfile.mkdtemp(prefix="vigil-exports-"))
    out.mkdir(parents=True, exist_ok=True)
    today = dt.date.today().isoformat()
    vigil = shlex.split(a.vigil)
    for dataset in a.datasets.split(","):
        for fmt in a.formats.split(","):
            path = out / f"{dataset}.{fmt}"
            load = os.getloadavg()[0]
            seconds, mib, stdout = timed([*vigil, "export", dataset, "--format", fmt, "--out", str(path)])
            rows = re.search(r"wrote (\d+)", stdout)
            again, _mib, _out = timed([*vigil, "export", dataset, "--format", fmt, "--out", str(path) + ".again"])
            same = "byte-identical" if sha256(Path(str(path) + ".again")) == sha256(path) else "DIFFERENT"
            size = path.stat().st_size / 2**20
            print(f"| {today} | `vigil export {dataset} --format {fmt}` | {rows.group(1) if rows else '?'} | "
                  f"{seconds:.1f} s (again: {again:.1f} s) | {mib:.0f} MiB | {size:.1f} MiB | {same} | {load:.1f} |", flush=True)


if __name__ == "__main__":
    main()
