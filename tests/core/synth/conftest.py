from __future__ import annotations

from pathlib import Path

import pytest

from vigil.core.synth import SynthSummary, write

PERSONS = 200
SEED = 20240517


@pytest.fixture(scope="module")
def synth_dir(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, SynthSummary]:
    out = tmp_path_factory.mktemp("synth")
    summary = write(persons=PERSONS, seed=SEED, out=out)
    return out, summary
