"""Preparing a file's names and identity numbers in worker processes while the file is read.

Names dominate the cost of preparing records (romanising and folding every part in every script), and they
repeat: each distinct text is prepared once, in another process, and the records share the result.
"""

from __future__ import annotations

import multiprocessing
import os
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any

from vigil.core.linkage.features import IdNumberFields, NameFeatures, clean_cell, id_number_fields, name_block

#: Distinct names from which :class:`InWorkers` starts its worker processes.
PARALLEL_FROM = 20_000


class InWorkers:
    """The names and identity numbers of a file's records, computed in other processes while it is read.

    The reader gives each record's name (:meth:`add_name`) and identity number (:meth:`add_id_number`) as it
    reads them; once :data:`PARALLEL_FROM` distinct names have come, the distinct texts go to ``workers``
    processes in batches, and the reader goes on with the rest of each record meanwhile. :meth:`result` waits
    for the last batch. Below :data:`PARALLEL_FROM` names, or with one worker, they are computed in this
    process, in order. Use it as a context manager, which stops the workers.
    """

    #: Distinct texts sent to a worker at a time.
    BATCH = 2000

    def __init__(self, *, workers: int | None = None) -> None:
        self.workers = (os.cpu_count() or 1) if workers is None else workers
        self._names: dict[str, str] = {}
        self._numbers: dict[str, str] = {}
        self._waiting: tuple[list[str], list[str]] = ([], [])
        self._sent: list[tuple[int, list[str], Future[list[Any]]]] = []
        self._pool: ProcessPoolExecutor | None = None

    def __enter__(self) -> InWorkers:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Stop the worker processes (a batch under way is finished first)."""
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None

    def add_name(self, text: str) -> str:
        """Take a full name; return the first equal text given, which records can share instead of theirs."""
        first = self._names.setdefault(text, text)
        if first is text:
            self._wait(0, text)
            if self._pool is None and self.workers > 1 and len(self._names) >= PARALLEL_FROM:
                self._pool = ProcessPoolExecutor(self.workers, mp_context=multiprocessing.get_context("fork"))
                self._send(0)
                self._send(1)
        return first

    def add_id_number(self, raw: str | None) -> str | None:
        """Take an identity number cell; return its text as :meth:`result` knows it (None when empty)."""
        text = clean_cell(raw)
        if text:
            first = self._numbers.setdefault(text, text)
            if first is text:
                self._wait(1, text)
            return first
        return None

    def _wait(self, kind: int, text: str) -> None:
        waiting = self._waiting[kind]
        waiting.append(text)
        if self._pool is not None and len(waiting) >= self.BATCH:
            self._send(kind)

    def _send(self, kind: int) -> None:
        assert self._pool is not None
        waiting, task = self._waiting[kind], (_name_block_list, _id_number_list)[kind]
        for i in range(0, len(waiting), self.BATCH):
            batch = waiting[i:i + self.BATCH]
            self._sent.append((kind, batch, self._pool.submit(task, batch)))
        waiting.clear()

    def result(self) -> tuple[dict[str, NameFeatures | None], dict[str, IdNumberFields]]:
        """:func:`name_block` of every distinct name and :func:`id_number_fields` of every distinct number."""
        if self._pool is None:
            return {t: name_block(t) for t in self._names}, {t: id_number_fields(t) for t in self._numbers}
        self._send(0)
        self._send(1)
        out: tuple[dict[str, Any], dict[str, Any]] = ({}, {})
        for kind, batch, future in self._sent:
            out[kind].update(zip(batch, future.result()))
        self._sent = []
        self.close()
        return out


def _name_block_list(texts: list[str]) -> list[NameFeatures | None]:
    return [name_block(t) for t in texts]


def _id_number_list(texts: list[str]) -> list[IdNumberFields]:
    return [id_number_fields(t) for t in texts]
