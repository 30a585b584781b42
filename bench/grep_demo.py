"""Grep a data folder's database file, and the decrypted contents of a full backup of it, for every
sensitive value the database holds (read back through the ORM, i.e. decrypted).

    VIGIL_DATA_DIR=DIR VIGIL_BACKUP_PASSPHRASE=... python bench/grep_demo.py BACKUP.age

Prints how many values were looked for and every one found (there should be none). Sensitive values:
testifiers' names, phones, e-mails and notes; identity numbers as given and normalised; summaries
and transcripts; list rows' cells that hold identity numbers.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vigil.config.settings")
django.setup()

from django.conf import settings  # noqa: E402

from vigil.backup.envelope import decrypt_stream  # noqa: E402
from vigil.evidence.models import DocumentRow  # noqa: E402
from vigil.records.models import IdentityNumber, Name, Testifier, Testimony  # noqa: E402


def sensitive_values() -> set[str]:
    values: set[str] = set()
    for t in Testifier.objects.all():
        values.update(v for v in (t.name, t.phone, t.email, t.note) if v)
    for n in IdentityNumber.objects.all():
        values.update(v for v in (n.value, n.normalized) if v)
    for t in Testimony.objects.all():
        values.update(v for v in (t.summary, t.transcript) if v)
    for row in DocumentRow.objects.all():
        values.update(str(v) for v in row.data.values() if isinstance(v, str) and sum(c.isdigit() for c in v) >= 15)
    # A testifier's name can also be the name of a documented person (a namesake, or a relative who
    # was detained too): names of the documented are stored in clear on purpose, so such names
    # prove nothing about who testified and are left out of the search (and counted).
    documented = "\n".join(set(Name.objects.values_list("text", flat=True)) | set(Name.objects.values_list("romanized", flat=True)))
    global namesakes
    kept = {v for v in values if len(v) >= 6 and v not in documented}  # also "Aydos Serik" inside "Aydos Serikboluly"
    namesakes = len({v for v in values if len(v) >= 6} - kept)
    return kept


namesakes = 0


def found_in(values: set[str], data: bytes) -> list[str]:
    text = data.decode("utf-8", "replace")
    return sorted(v for v in values if v in text)


def main() -> None:
    values = sensitive_values()
    db = Path(settings.DATABASES["default"]["NAME"])
    data = db.read_bytes()
    for suffix in ("-wal",):
        extra = db.with_name(db.name + suffix)
        if extra.exists():
            data += extra.read_bytes()
    hits = found_in(values, data)
    print(f"{len(values)} sensitive values ({namesakes} values left out: they are, or are part of, names of documented persons); in {db.name} ({len(data):,} bytes): {len(hits)} found {hits[:5]}")
    if len(sys.argv) > 1:
        archive = Path(sys.argv[1])
        with archive.open("rb") as fh:
            plain = decrypt_stream(fh, lambda s: s.read(), passphrase=os.environ["VIGIL_BACKUP_PASSPHRASE"])
        hits = found_in(values, plain)
        print(f"in the decrypted backup {archive.name} ({len(plain):,} bytes of tar): {len(hits)} found {hits[:5]}")
        # positive control: the tar does hold the database (person names are not secret)
        print("control: backup holds the database:", b"SQLite format 3" in plain)


if __name__ == "__main__":
    main()
