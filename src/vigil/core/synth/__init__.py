"""Synthetic populations for the demo, the tests and the benchmarks.

``generate(persons=N, seed=S)`` yields synthetic Uyghur, Kazakh, Kyrgyz and Hui persons with
their testimonies and leaked-list rows; ``write(...)`` writes ``testimonies.jsonl`` (the import
format of docs/import-format.md), ``leaked-list.csv``, ``truth.csv`` and ``records.csv``.
Every person is invented: random combinations of common given names from ``data/``.
"""

from vigil.core.synth.writer import Batch, SynthSummary, generate, write

__all__ = ["Batch", "SynthSummary", "generate", "write"]
