"""Write-once storage of originals under their SHA-256, apart from any working copy."""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

from django.conf import settings


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def original_path(sha256: str, *, area: str) -> str:
    """Path of an original, relative to the media folder: ``originals/<area>/ab/abcdef…``."""
    return f"originals/{area}/{sha256[:2]}/{sha256}"


def store_original(source: Path, *, sha256: str, area: str) -> str:
    """Copy ``source`` into the originals folder (once; read-only afterwards) and return its relative path."""
    relative = original_path(sha256, area=area)
    target = Path(settings.MEDIA_ROOT) / relative
    if not target.exists():
        target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        tmp = target.with_name(target.name + ".part")
        shutil.copyfile(source, tmp)
        if sha256_file(tmp) != sha256:
            tmp.unlink()
            raise OSError(f"{source} changed while it was being stored")
        os.chmod(tmp, 0o400)
        os.replace(tmp, target)
    return relative
