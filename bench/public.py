"""Time public pages with Django's test client and count their queries, on the data folder's database.

    VIGIL_DATA_DIR=DIR python bench/public.py [--n 9] [--pages /public/,/public/persons/] [--dump OUTDIR]

DIR is a folder `vigil demo --no-serve` prepared (DATABASE_URL chooses another database, as for
every command). Prints, per page, its size and SHA-256 (the same data must give the same bytes
before and after a change; --dump keeps the bodies to compare), the fastest and median of --n
requests, and the number of queries of one more request with the slowest of them.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import statistics
import time
from pathlib import Path

PAGES = "/public/,/public/persons/,/public/facilities/,/public/persons/2/,/public/search/?q=Айдос,/public/data.json"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=9, help="requests per page")
    parser.add_argument("--pages", default=PAGES, help="comma-separated paths")
    parser.add_argument("--dump", type=Path, help="write each body here")
    args = parser.parse_args()

    os.environ.setdefault("VIGIL_HTTPS", "0")  # the test client speaks plain HTTP, as `vigil demo` does
    from vigil.cli import context

    context.setup(None)
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    settings.ALLOWED_HOSTS = ["testserver"]
    client = Client()
    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}")
    for url in args.pages.split(","):
        times = []
        for _ in range(args.n):
            start = time.perf_counter()
            response = client.get(url)
            body = b"".join(response.streaming_content) if response.streaming else response.content
            times.append(time.perf_counter() - start)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
            body = b"".join(response.streaming_content) if response.streaming else response.content
        print(
            f"{url}: {response.status_code}, {len(body)} bytes, sha256 {hashlib.sha256(body).hexdigest()[:16]}; "
            f"min {min(times):.3f} s, median {statistics.median(times):.3f} s over {args.n}; {len(queries)} queries"
        )
        for seconds, sql in sorted(((float(q["time"]), q["sql"][:100]) for q in queries.captured_queries), reverse=True)[:4]:
            print(f"    {seconds:.3f} s  {sql}")
        if args.dump:
            args.dump.mkdir(parents=True, exist_ok=True)
            (args.dump / (url.strip("/").replace("/", "_").replace("?", "_") or "root")).write_bytes(body)


if __name__ == "__main__":
    main()
