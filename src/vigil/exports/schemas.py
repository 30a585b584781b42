"""The published JSON Schemas and column dictionary of the exports, generated from vigil.exports.columns.

Regenerate docs/schemas/*.json after changing a column (a test checks they match):

    PYTHONPATH=src python -m vigil.exports.schemas docs/schemas
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from vigil.exports.columns import DATASETS
from vigil.exports.formats import json_schema


def schema(dataset: str) -> dict[str, Any]:
    title, columns = DATASETS[dataset]
    return json_schema(dataset=dataset, title=title, columns=columns)


def schema_text(dataset: str) -> str:
    return json.dumps(schema(dataset), ensure_ascii=False, indent=2) + "\n"


def main(folder: str) -> None:
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    for dataset in DATASETS:
        (out / f"{dataset}.json").write_text(schema_text(dataset), encoding="utf-8")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "docs/schemas")
