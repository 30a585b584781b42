"""The encryption around a backup: age (https://age-encryption.org/v1), through pyrage.

Why age: it is a small, specified and audited file format with one way to do each thing: X25519
recipients, scrypt passphrases, and a STREAM of 64 KiB ChaCha20-Poly1305 chunks whose last chunk
is marked, so a flipped bit *and* a truncation are both detected. pyrage binds the reference Rust
implementation (rage) and streams (``encrypt_io``/``decrypt_io``), so a video of several gigabytes
never has to fit in memory. Building the same out of AES-GCM chunks by hand would mean designing
(and getting right) nonces, chunk order and end-of-stream marking ourselves.

pyrage encrypts to a *passphrase* only from bytes in memory, so a passphrase protects a fresh X25519
identity (a few hundred bytes) and the archive itself is encrypted, streaming, to that identity.
The file is::

    vigil-backup/1
    wrapped-key: <N> <sha256 of those N bytes>     (only when a passphrase protects it)
    <empty line>
    <N bytes: an age file, scrypt-encrypted, holding the AGE-SECRET-KEY-1… identity>
    <an age file to the end: the tar archive, encrypted to that identity and any --recipient>

With the ``age`` command the same archive opens by hand (docs/backup.md shows how).
"""

from __future__ import annotations

import hashlib
import os
import threading
from collections.abc import Callable, Sequence
from typing import IO, Any, TypeVar

import pyrage
from pyrage import passphrase as age_passphrase
from pyrage import x25519

from vigil.backup.errors import BackupError

MAGIC = b"vigil-backup/1\n"
MIN_PASSPHRASE = 12
_MAX_HEADER = 4096
_MAX_WRAPPED = 4096

T = TypeVar("T")


def parse_recipient(text: str) -> Any:
    """An age X25519 recipient (``age1…``), or a clear error naming what was given."""
    try:
        return x25519.Recipient.from_str(text.strip())
    except Exception:  # pyrage raises RecipientError or ValueError depending on the fault
        raise BackupError(f"not an age X25519 public key (age1…): {text.strip()[:20]!r}") from None


def parse_identity_file(path: os.PathLike[str] | str) -> list[Any]:
    """The X25519 identities (``AGE-SECRET-KEY-1…`` lines; ``#`` comments skipped) in an age identity file."""
    try:
        lines = open(path, encoding="utf-8").read().splitlines()  # noqa: SIM115 (small file)
    except OSError as exc:
        raise BackupError(f"cannot read the identity file {path}: {exc.strerror}") from None
    identities = []
    for number, line in enumerate(lines, 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        try:
            identities.append(x25519.Identity.from_str(line))
        except Exception:
            raise BackupError(f"{path}:{number}: not an age X25519 identity (AGE-SECRET-KEY-1…)") from None
    if not identities:
        raise BackupError(f"{path}: no AGE-SECRET-KEY-1… line in the identity file")
    return identities


def check_passphrase(passphrase: str) -> None:
    """Refuse a passphrase too short to protect testifiers' identities."""
    if len(passphrase) < MIN_PASSPHRASE:
        raise BackupError(f"the backup passphrase must have at least {MIN_PASSPHRASE} characters (a few random words are best)")


class _Sink:
    """A writer that remembers the OS error of a failed write.

    pyrage's Rust side flushes its buffer when it drops it and ignores an error there; this keeps
    the error (a full disk, a closed pipe) so that the caller sees it.
    """

    def __init__(self, raw: IO[bytes]) -> None:
        self.raw = raw
        self.error: OSError | None = None
        self.written = 0

    def write(self, data: bytes) -> int:
        try:
            n = self.raw.write(data)
        except OSError as exc:
            self.error = exc
            raise
        self.written += len(data)
        return n if n is not None else len(data)

    def flush(self) -> None:
        try:
            self.raw.flush()
        except OSError as exc:
            self.error = exc
            raise


def encrypt_stream(
    out: IO[bytes],
    produce: Callable[[IO[bytes]], T],
    *,
    passphrase: str | None = None,
    recipients: Sequence[str] = (),
) -> T:
    """Write to ``out`` the envelope around what ``produce`` writes (it runs in a thread; its result is returned).

    At least one of ``passphrase`` and ``recipients`` (age X25519 public keys) is needed.
    """
    keys = [parse_recipient(r) for r in recipients]
    header = MAGIC
    wrapped = b""
    if passphrase is not None:
        check_passphrase(passphrase)
        identity = x25519.Identity.generate()
        keys.append(identity.to_public())
        wrapped = age_passphrase.encrypt(str(identity).encode("ascii"), passphrase)
        header += f"wrapped-key: {len(wrapped)} {hashlib.sha256(wrapped).hexdigest()}\n".encode("ascii")
    if not keys:
        raise BackupError("a backup needs a passphrase or at least one age recipient (--recipient age1…)")
    out.write(header + b"\n" + wrapped)

    read_fd, write_fd = os.pipe()
    outcome: dict[str, Any] = {}

    def run() -> None:
        with open(write_fd, "wb") as pipe:
            try:
                outcome["result"] = produce(pipe)
            except BaseException as exc:  # handed to the caller's thread
                outcome["error"] = exc

    worker = threading.Thread(target=run, name="vigil-backup-tar", daemon=True)
    worker.start()
    sink = _Sink(out)
    try:
        with open(read_fd, "rb") as pipe:
            # When this fails (disk full), closing the pipe stops the producer with BrokenPipeError.
            pyrage.encrypt_io(pipe, sink, keys)
    except (OSError, pyrage.EncryptError) as exc:
        worker.join()
        raise BackupError(f"could not write the archive: {sink.error or exc}") from None
    finally:
        worker.join()
    if sink.error is not None:
        raise BackupError(f"could not write the archive: {sink.error}")
    if "error" in outcome:
        raise outcome["error"]
    return outcome["result"]  # type: ignore[no-any-return]


def _read_header(archive: IO[bytes], name: str) -> bytes:
    """The wrapped key (empty if none); leaves ``archive`` at the start of the age payload."""
    magic = archive.read(len(MAGIC))
    if magic != MAGIC:
        if magic.startswith(b"vigil-backup/"):
            raise BackupError(f"{name}: made by a newer vigil (format {magic.strip().decode('ascii', 'replace')}); restore it with that version")
        raise BackupError(f"{name} is not a vigil backup (it does not begin with 'vigil-backup/1')")
    fields: dict[str, str] = {}
    size = len(MAGIC)
    while True:
        line = archive.readline(_MAX_HEADER)
        size += len(line)
        if not line.endswith(b"\n") or size > _MAX_HEADER:
            raise BackupError(f"{name} is damaged: its header is cut short or garbled")
        if line == b"\n":
            break
        key, sep, value = line.decode("ascii", "replace").rstrip("\n").partition(": ")
        if not sep:
            raise BackupError(f"{name} is damaged: unreadable header line {line[:40]!r}")
        fields[key] = value
    if "wrapped-key" not in fields:
        return b""
    try:
        length_text, digest = fields["wrapped-key"].split(" ")
        length = int(length_text)
    except ValueError:
        raise BackupError(f"{name} is damaged: unreadable header line 'wrapped-key'") from None
    if not 0 < length <= _MAX_WRAPPED:
        raise BackupError(f"{name} is damaged: a wrapped key of {length} bytes")
    wrapped = archive.read(length)
    if len(wrapped) != length or hashlib.sha256(wrapped).hexdigest() != digest:
        raise BackupError(f"{name} is damaged: its passphrase-protected key does not match its checksum")
    return wrapped


def needs_passphrase(archive: IO[bytes], *, name: str = "the archive") -> bool:
    """Whether the envelope at the start of ``archive`` holds a passphrase-protected key (reads the header)."""
    return bool(_read_header(archive, name))


def decrypt_stream(
    archive: IO[bytes],
    consume: Callable[[IO[bytes]], T],
    *,
    passphrase: str | None = None,
    identities: Sequence[Any] = (),
    name: str = "the archive",
) -> T:
    """Decrypt ``archive`` while ``consume`` reads the plaintext (every chunk is authenticated before it is read).

    Returns what ``consume`` returns, only once the whole archive has been authenticated, end included:
    a flipped bit, a truncation or a wrong key raise :class:`BackupError` with a one-line message.
    """
    wrapped = _read_header(archive, name)
    keys = list(identities)
    if wrapped and passphrase is not None:
        try:
            secret = age_passphrase.decrypt(wrapped, passphrase)
        except pyrage.DecryptError:
            raise BackupError(f"wrong passphrase for {name}") from None
        keys.append(x25519.Identity.from_str(secret.decode("ascii")))
    if not keys:
        if wrapped:
            raise BackupError(f"{name} is protected by a passphrase: give it (VIGIL_BACKUP_PASSPHRASE, or asked in a terminal)")
        raise BackupError(f"{name} is encrypted to age recipients: give the identity file (--identity FILE)")

    read_fd, write_fd = os.pipe()
    failure: dict[str, BaseException] = {}
    sink_box: dict[str, _Sink] = {}

    def run() -> None:
        with open(write_fd, "wb") as pipe:
            sink = sink_box["sink"] = _Sink(pipe)
            try:
                pyrage.decrypt_io(archive, sink, keys)
            except BaseException as exc:
                failure["error"] = exc

    worker = threading.Thread(target=run, name="vigil-restore-decrypt", daemon=True)
    worker.start()
    consumed: BaseException | None = None
    result: Any = None
    with open(read_fd, "rb") as pipe:
        try:
            result = consume(pipe)
            while pipe.read(1 << 16):  # tar's end-of-archive padding: let the decryption reach the end
                pass
        except BaseException as exc:  # noqa: BLE001 (weighed against the decryption's outcome below)
            consumed = exc
    worker.join()
    error = failure.get("error")
    sink = sink_box.get("sink")
    stopped_by_reader = sink is not None and isinstance(sink.error, BrokenPipeError)
    if error is not None and not stopped_by_reader:
        message = str(error)
        if "No matching keys" in message:
            raise BackupError(f"none of the given keys opens {name}") from None
        raise BackupError(f"{name} is damaged or truncated (age: {message}); nothing was restored from it") from None
    if consumed is not None:
        raise consumed
    return result  # type: ignore[no-any-return]
