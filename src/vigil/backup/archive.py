"""The archive inside the envelope: a tar stream of files, then ``manifest.json`` with their checksums.

Members are ``database/<file>`` (the SQLite snapshot or the ``pg_dump`` file), ``data/<path>`` (a file
of the data folder) and, last, ``manifest.json``. Files are streamed in blocks and hashed as they are
written, so the manifest states exactly the bytes in the archive, and no file is ever held in memory.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
import tarfile
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path, PurePosixPath
from typing import IO, Any

from vigil.backup.errors import BackupError

MANIFEST = "manifest.json"
FORMAT = "vigil-backup"
FORMAT_VERSION = 1
DATABASE_PREFIX = "database/"
DATA_PREFIX = "data/"
_BLOCK = 1 << 20

#: Never in an archive: rebuilt (static), taken by the database backup instead (the SQLite files),
#: or the work folders of a backup or restore in progress.
_ALWAYS_SKIPPED = {"static"}
_WORK_PREFIXES = (".backup-", ".restore-")
#: In an archive only with ``include_keys``: whoever holds them can read what field encryption protects,
#: or sign sessions (``secret_key``), or log in (the demo's generated password).
SECRETS = ("keys", "secret_key", "demo-login.txt")


@dataclass(frozen=True, slots=True)
class Member:
    """One file in the archive, as the manifest records it."""

    name: str
    size: int
    sha256: str
    mode: int


@dataclass(slots=True)
class Manifest:
    """What ``manifest.json`` holds: where the archive came from, and every member's size and SHA-256."""

    vigil_version: str
    created: str
    database_engine: str  # "sqlite" or "postgresql"
    database_member: str
    migrations: dict[str, list[str]]
    includes_keys: bool
    members: list[Member] = field(default_factory=list)
    format: str = FORMAT
    format_version: int = FORMAT_VERSION

    def to_json(self) -> bytes:
        return json.dumps(asdict(self), ensure_ascii=False, indent=1, sort_keys=True).encode("utf-8")

    @classmethod
    def from_json(cls, data: bytes) -> Manifest:
        try:
            raw = json.loads(data)
            if raw.get("format") != FORMAT:
                raise ValueError("not a vigil manifest")
            if raw.get("format_version") != FORMAT_VERSION:
                raise ValueError(f"format version {raw.get('format_version')} (this vigil reads {FORMAT_VERSION})")
            members = [Member(name=str(m["name"]), size=int(m["size"]), sha256=str(m["sha256"]), mode=int(m["mode"])) for m in raw["members"]]
            return cls(
                vigil_version=str(raw["vigil_version"]), created=str(raw["created"]),
                database_engine=str(raw["database_engine"]), database_member=str(raw["database_member"]),
                migrations={str(k): [str(n) for n in v] for k, v in raw["migrations"].items()},
                includes_keys=bool(raw["includes_keys"]), members=members,
            )
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise BackupError(f"manifest.json is unreadable: {exc}") from None


@dataclass(frozen=True, slots=True)
class Source:
    """A file on disk and its name in the archive."""

    name: str
    path: Path


def data_folder_sources(data_dir: Path, *, include_keys: bool, exclude: Iterable[Path] = ()) -> tuple[list[Source], list[str]]:
    """The files of the data folder that go into an archive, and the paths skipped (links, sockets…).

    ``exclude`` names files kept out (the SQLite database and its journals, copied by the online
    backup API instead). The secrets (:data:`SECRETS`) are kept out unless ``include_keys``.
    """
    excluded = {p.resolve() for p in exclude}
    sources: list[Source] = []
    skipped: list[str] = []

    def walk(folder: Path) -> Iterator[Path]:
        for entry in sorted(os.scandir(folder), key=lambda e: e.name):
            path = Path(entry.path)
            if entry.is_dir(follow_symlinks=False):
                yield from walk(path)
            else:
                yield path

    for top in sorted(data_dir.iterdir()):
        name = top.name
        if name in _ALWAYS_SKIPPED or name.startswith(_WORK_PREFIXES) or (name in SECRETS and not include_keys):
            continue
        paths = walk(top) if top.is_dir() and not top.is_symlink() else iter([top])
        for path in paths:
            relative = path.relative_to(data_dir).as_posix()
            if path.resolve() in excluded:
                continue
            if not stat.S_ISREG(path.lstat().st_mode):
                skipped.append(relative)
                continue
            sources.append(Source(name=DATA_PREFIX + relative, path=path))
    return sources, skipped


class _HashingReader:
    def __init__(self, raw: IO[bytes]) -> None:
        self.raw = raw
        self.hash = hashlib.sha256()

    def read(self, size: int = -1) -> bytes:
        data = self.raw.read(size)
        self.hash.update(data)
        return data


def _tarinfo(name: str, size: int, mode: int, mtime: float) -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.size = size
    info.mode = mode
    info.mtime = int(mtime)
    info.uid = info.gid = 0
    info.uname = info.gname = ""  # the archive does not say whose machine it came from
    return info


def write_archive(out: IO[bytes], sources: Iterable[Source], manifest: Manifest) -> Manifest:
    """Write ``sources`` as a tar stream to ``out``, then the manifest (filled with every member's checksum)."""
    with tarfile.open(fileobj=out, mode="w|", format=tarfile.PAX_FORMAT) as tar:
        for source in sources:
            try:
                with source.path.open("rb") as fh:
                    st = os.fstat(fh.fileno())
                    reader = _HashingReader(fh)
                    tar.addfile(_tarinfo(source.name, st.st_size, stat.S_IMODE(st.st_mode), st.st_mtime), reader)
            except OSError as exc:
                # tarfile says "unexpected end of data" when a file shrinks while it is read
                raise BackupError(f"could not read {source.path}: {exc.strerror or exc}") from None
            manifest.members.append(Member(name=source.name, size=st.st_size, sha256=reader.hash.hexdigest(), mode=stat.S_IMODE(st.st_mode)))
        body = manifest.to_json()
        tar.addfile(_tarinfo(MANIFEST, len(body), 0o600, 0), _BytesReader(body))
    return manifest


class _BytesReader:
    def __init__(self, data: bytes) -> None:
        self.data = memoryview(data)
        self.pos = 0

    def read(self, size: int = -1) -> bytes:
        end = len(self.data) if size < 0 else self.pos + size
        chunk = bytes(self.data[self.pos : end])
        self.pos += len(chunk)
        return chunk


def safe_member_name(name: str) -> PurePosixPath:
    """The member's path, or a BackupError if it could escape the folder it is restored into."""
    path = PurePosixPath(name)
    if path.is_absolute() or not path.parts or any(part in ("", ".", "..") for part in path.parts) or "\\" in name or "\x00" in name:
        raise BackupError(f"the archive holds an unsafe member name {name!r}; nothing was restored")
    return path


def extract_archive(stream: IO[bytes], staging: Path) -> tuple[Manifest, dict[str, Member]]:
    """Write every member of the tar ``stream`` under ``staging``, hashing as it writes.

    Returns the manifest and what was actually found. Only plain files with safe names are accepted,
    each once; ``manifest.json`` must come last. Checking one against the other is :func:`verify`.
    """
    found: dict[str, Member] = {}
    manifest_bytes: bytes | None = None
    try:
        with tarfile.open(fileobj=stream, mode="r|") as tar:
            for info in tar:
                if manifest_bytes is not None:
                    raise BackupError(f"the archive has a member after manifest.json ({info.name!r}); nothing was restored")
                path = safe_member_name(info.name)
                if not info.isreg():
                    raise BackupError(f"the archive holds {info.name!r}, which is not a plain file; nothing was restored")
                if info.name in found:
                    raise BackupError(f"the archive holds {info.name!r} twice; nothing was restored")
                source = tar.extractfile(info)
                assert source is not None  # a regular file always has a reader
                if info.name == MANIFEST:
                    manifest_bytes = source.read()
                    continue
                if not (info.name.startswith(DATABASE_PREFIX) or info.name.startswith(DATA_PREFIX)):
                    raise BackupError(f"the archive holds {info.name!r}, outside database/ and data/; nothing was restored")
                target = staging.joinpath(*path.parts)
                target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
                h = hashlib.sha256()
                size = 0
                fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
                with os.fdopen(fd, "wb") as fh:
                    for block in iter(lambda: source.read(_BLOCK), b""):  # noqa: B023 (used within the iteration)
                        h.update(block)
                        fh.write(block)
                        size += len(block)
                os.utime(target, (info.mtime, info.mtime))
                os.chmod(target, info.mode & 0o777)  # originals are write-once (0400) on the old server too
                found[info.name] = Member(name=info.name, size=size, sha256=h.hexdigest(), mode=info.mode & 0o777)
    except tarfile.TarError as exc:
        raise BackupError(f"the archive's contents are unreadable ({exc}); nothing was restored") from None
    if manifest_bytes is None:
        raise BackupError("the archive has no manifest.json (it is incomplete); nothing was restored")
    return Manifest.from_json(manifest_bytes), found


def verify(manifest: Manifest, found: dict[str, Member]) -> None:
    """Raise BackupError unless every member found matches the manifest, and every member listed was found."""
    listed = {m.name: m for m in manifest.members}
    for name, member in found.items():
        expected = listed.get(name)
        if expected is None:
            raise BackupError(f"the archive holds {name!r}, which manifest.json does not list; nothing was restored")
        if (member.size, member.sha256) != (expected.size, expected.sha256):
            raise BackupError(
                f"{name}: checksum mismatch (manifest: {expected.size} bytes, sha256 {expected.sha256[:16]}…; "
                f"archive: {member.size} bytes, sha256 {member.sha256[:16]}…); nothing was restored"
            )
    missing = sorted(set(listed) - set(found))
    if missing:
        more = f" and {len(missing) - 1} more" if len(missing) > 1 else ""
        raise BackupError(f"the archive lacks {missing[0]!r}{more}, listed in manifest.json; nothing was restored")
    if manifest.database_member not in found:
        raise BackupError(f"the archive lacks its database ({manifest.database_member}); nothing was restored")


def manifest_summary(manifest: Manifest) -> dict[str, Any]:
    """A short description of an archive, for reports and the audit log."""
    return {
        "vigil_version": manifest.vigil_version, "created": manifest.created, "database_engine": manifest.database_engine,
        "members": len(manifest.members), "bytes": sum(m.size for m in manifest.members), "includes_keys": manifest.includes_keys,
    }
