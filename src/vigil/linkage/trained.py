"""Where the trained linkage model lives: a JSON file beside the database, never inside it."""

from __future__ import annotations

import functools
from pathlib import Path

from django.conf import settings

from vigil.core.linkage import LinkageModel, ModelError


def model_path() -> Path:
    return Path(settings.DATA_DIR) / "linkage" / "model.json"


def model_save(model: LinkageModel) -> Path:
    path = model_path()
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    tmp = path.with_suffix(".json.part")
    model.save(tmp)
    tmp.replace(path)
    _cached.cache_clear()
    return path


@functools.lru_cache(maxsize=4)
def _cached(path: str, mtime: float) -> LinkageModel:
    return LinkageModel.load(path)


def model_load() -> LinkageModel | None:
    """The trained model, or None when `vigil link run` has not trained one yet (or it is unusable)."""
    path = model_path()
    try:
        return _cached(str(path), path.stat().st_mtime)
    except (FileNotFoundError, ModelError):
        return None
