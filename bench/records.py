"""Benchmark: `vigil synth` and `vigil import testimonies` at scale, with wall time and peak memory.

Usage:
    .venv/bin/python bench/records.py [--persons 100000] [--seed 1] [--work DIR]

Runs each step as its own `vigil` process under /usr/bin/time -v (peak RSS of that process) on
a fresh data folder. DATABASE_URL, if set, is used for the import (PostgreSQL); otherwise SQLite.
Prints ready-to-paste Markdown rows for bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

VIGIL = str(Path(sys.executable).parent / "vigil")


def timed(cmd: list[str], env: dict[str, str]) -> tuple[float, float, str]:
    """(seconds, peak MiB, output) of one command."""
    started = time.perf_counter()
    proc = subprocess.run(["/usr/bin/time", "-v", *cmd], env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if proc.returncode != 0:
        sys.exit(f"{' '.join(cmd)} failed:\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}")
    peak = re.search(r"Maximum resident set size \(kbytes\): (\d+)", proc.stderr)
    return seconds, (int(peak.group(1)) / 1024 if peak else float("nan")), proc.stdout


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--persons", type=int, default=100_000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--work", type=Path, default=None, help="working folder (default: a temporary one, removed)")
    a = ap.parse_args()
    work = a.work or Path(tempfile.mkdtemp(prefix="vigil-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    data, out = work / "data", work / "synth"
    shutil.rmtree(data, ignore_errors=True)
    env = dict(os.environ, VIGIL_DATA_DIR=str(data), VIGIL_ADMIN_USERNAME="bench", VIGIL_ADMIN_PASSWORD="bench-password-not-secret-7")
    db = "PostgreSQL" if env.get("DATABASE_URL", "").startswith("postgres") else "SQLite"
    machine = f"{platform.machine()}, {os.cpu_count()} cores, {platform.python_version()}"
    today = dt.date.today().isoformat()

    s_sec, s_mib, s_out = timed([VIGIL, "synth", "--persons", str(a.persons), "--seed", str(a.seed), "--out", str(out)], env)
    timed([VIGIL, "init"], env)
    i_sec, i_mib, i_out = timed([VIGIL, "import", "testimonies", str(out / "testimonies.jsonl")], env)
    summary = i_out.strip().splitlines()[-1] if i_out.strip() else ""
    print(summary)
    print(f"| {today} | `vigil synth --persons {a.persons}` | {s_sec:.1f} s | {s_mib:.0f} MiB | {machine} |")
    print(f"| {today} | `vigil import testimonies` ({a.persons} persons, {db}) | {i_sec:.1f} s | {i_mib:.0f} MiB | {machine}; {summary} |")
    if a.work is None:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
