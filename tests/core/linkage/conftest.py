from __future__ import annotations

from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parents[2] / "testdata" / "linkage"


@pytest.fixture
def data() -> Path:
    return DATA
