"""Property: whatever sensitive values a testimony carries, none of them leaks.

Random testimonies with random values in every sensitive field (the testifier's name, phone, e-mail
and note; identity numbers; transcripts and summaries, sensitive or not; notes) and a random consent.
None of those values may appear in a public page, the public dataset, a page or export for a role
that may not see it, the log output, an error page, or in plain text in the database file
(SQLite) or a dump of it (PostgreSQL).
"""

from __future__ import annotations

import hashlib
import logging
import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass, replace
from urllib.parse import quote

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test import Client
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from tests.conftest import grant, testimony_line
from vigil.core.intake import parse_testimony
from vigil.exports.services import export_run
from vigil.public.dataset import dataset
from vigil.records.models import Person
from vigil.records.services import testimony_record

# Distinctive values: a marker no page contains by chance, then random letters or digits.
_word = st.text(alphabet="bcdfghjklmnpqrstvwxz", min_size=6, max_size=12)
def _secret(field: str) -> st.SearchStrategy[str]:
    """A value only this field can hold (fields never share a value, so a leak names its field)."""
    return st.builds(lambda w: f"Qz{field}{w}", _word)


def _digits(word: str, n: int) -> str:
    """``n`` digits spread by a hash: hypothesis likes 000…0, which a database holds for other reasons."""
    return str(int(hashlib.sha256(word.encode()).hexdigest(), 16))[:n]


_phone = st.builds(lambda w: "+7 7{} {} {}".format(*(lambda d: (d[:2], d[2:5], d[5:9]))(_digits(w, 9))), _word)
_number = st.builds(lambda w: "65" + _digits(w, 15) + "X", _word)


@dataclass
class Secrets:
    name: str
    phone: str
    email: str
    note: str
    transcript: str
    summary: str
    person_note: str
    claim_note: str
    number: str
    consent: str
    sensitive: bool

    def testifier_values(self) -> list[str]:
        return [self.name, self.phone, self.email, self.note]

    def everything(self) -> list[str]:
        return [*self.testifier_values(), self.transcript, self.summary, self.person_note, self.claim_note, self.number]


secrets_strategy = st.builds(
    Secrets,
    name=_secret("Name"), phone=_phone, email=st.builds(lambda w: f"qz{w}@example.org", _word), note=_secret("Note"),
    transcript=_secret("Transcript"), summary=_secret("Summary"), person_note=_secret("Pnote"), claim_note=_secret("Cnote"), number=_number,
    consent=st.sampled_from(["none", "anonymised", "full"]), sensitive=st.booleans(),
)


def _record(editor, s: Secrets, n: int) -> Person:
    line = testimony_line(ref=f"LEAK-T{n}", consent=s.consent, summary=s.summary, transcript=s.transcript, sensitive=s.sensitive)
    line["testifier"] = {"ref": f"LEAK-W{n}", "name": s.name, "relation": "sister", "country": "KZ", "phone": s.phone, "email": s.email, "note": s.note}
    person = dict(line["persons"][0])
    person.update(ref=f"LEAK-R{n}", notes=s.person_note, identity_numbers=[{"scheme": "cn_ric", "value": s.number}])
    person["claims"] = [dict(person["claims"][0], note=s.claim_note), *person["claims"][1:]]
    line["persons"] = [person]
    draft, errors = parse_testimony(line)
    assert not errors, errors
    testimony_record(actor=editor, draft=draft)
    return Person.objects.get(ref=f"LEAK-R{n}")


def _absent(values: list[str], text: str, where: str) -> None:
    for v in values:
        assert v not in text, f"{v!r} leaked into {where}"
        digits = v.replace(" ", "")
        if len(digits) == 18 and digits[:-1].isdigit():  # an identity number: not even its last ten characters
            assert digits[-10:] not in text.replace(" ", ""), f"part of {v!r} leaked into {where}"


def _get(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code < 500, f"{url}: HTTP {response.status_code}"
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode("utf-8", "replace")
    return response.content.decode("utf-8", "replace") + "\n".join(f"{k}: {v}" for k, v in response.items())


@pytest.fixture
def people(db, django_user_model, places):
    users = {}
    for role in ("editor", "researcher", "reviewer"):
        users[role] = grant(django_user_model.objects.create_user(username=f"leak-{role}", password="x-unused-x"), role)
    return users


@pytest.mark.django_db
@settings(max_examples=12, deadline=None, phases=[Phase.explicit, Phase.reuse, Phase.generate], suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(batch=st.lists(secrets_strategy, min_size=1, max_size=3))
def test_sensitive_values_never_leak(people, batch, caplog, tmp_path_factory):
    caplog.set_level(logging.DEBUG)
    # Records never share a free-text value, so a value seen on a page belongs to one record.
    texts = ("name", "note", "transcript", "summary", "person_note", "claim_note")
    batch = [replace(s, **{f: f"{getattr(s, f)}x{i}" for f in texts}) for i, s in enumerate(batch)]
    start = Person.objects.count()
    persons = [_record(people["editor"], s, start + i) for i, s in enumerate(batch)]
    everything = [v for s in batch for v in s.everything()]

    # The public site and the public dataset: nothing sensitive, whatever the consent.
    anonymous = Client()
    public_urls = ["/public/", "/public/persons/", "/public/facilities/", "/public/data.csv", "/public/data.json"]
    public_urls += [f"/public/persons/{p.pk}/" for p in persons]
    public_urls += [f"/public/search/?q={quote(p.names.first().text)}" for p in persons]
    for url in public_urls:
        _absent(everything, _get(anonymous, url), url)
    for fmt in ("csv", "json"):
        _absent(everything, "".join(dataset(actor=AnonymousUser(), format=fmt)), f"public dataset ({fmt})")

    # Staff pages for roles that may not see testifiers (researcher, reviewer): no testifier value, no sensitive text.
    for role in ("researcher", "reviewer"):
        client = Client()
        client.force_login(people[role])
        hidden = [v for s in batch for v in s.testifier_values()]
        hidden += [v for s in batch if s.sensitive for v in (s.summary, s.transcript)]
        hidden += [s.transcript for s in batch]  # transcripts appear on no page
        urls = ["/", "/dashboard/", "/facilities/", "/lists/", "/review/", "/reports/"]
        urls += [f"/persons/{p.pk}/" for p in persons]
        urls += [f"/search/?q={quote(p.names.first().text)}" for p in persons]
        for url in urls:
            _absent(hidden, _get(client, url), f"{url} as {role}")

    # Exports a researcher makes: no testifier value, no free text.
    out = tmp_path_factory.mktemp("exports")
    for kind in ("persons", "claims", "testimonies"):
        for fmt in ("csv", "json"):
            path = out / f"{kind}.{fmt}"
            export_run(actor=people["researcher"], dataset=kind, fmt=fmt, out=path)
            hidden = [v for s in batch for v in (*s.testifier_values(), s.transcript, s.summary, s.person_note, s.claim_note)]
            _absent(hidden, path.read_text(encoding="utf-8-sig"), f"{kind} export ({fmt}) as researcher")

    # Error pages echo nothing from the request.
    s = batch[0]
    anonymous_csrf = Client(enforce_csrf_checks=True)
    for response in (
        anonymous.get(f"/public/persons/99999999/?q={quote(s.name)}"),
        anonymous.get(f"/no-such-page/{quote(s.phone)}/"),
        anonymous_csrf.post("/login/", {"username": s.email, "password": s.note}),
    ):
        _absent(everything, response.content.decode("utf-8", "replace"), f"error page {response.status_code}")

    # The log output of everything above.
    _absent(everything, caplog.text, "the log")


def _database_bytes(tmp_path) -> bytes:
    if connection.vendor == "sqlite":
        path = tmp_path / "copy.sqlite3"
        dest = sqlite3.connect(path)
        connection.ensure_connection()
        connection.connection.backup(dest)
        dest.close()
        data = path.read_bytes()
        for suffix in ("-wal", "-shm"):
            extra = path.with_name(path.name + suffix)
            if extra.exists():
                data += extra.read_bytes()
        return data
    pg_dump = shutil.which("pg_dump")
    if pg_dump is None:
        pytest.fail("pg_dump is needed to check the PostgreSQL dump")
    db = connection.settings_dict
    env = {**os.environ, "PGPASSWORD": db.get("PASSWORD") or ""}
    args = [pg_dump, "--no-owner", "-h", db.get("HOST") or "localhost", "-p", str(db.get("PORT") or 5432), "-U", db.get("USER") or "", db["NAME"]]
    return subprocess.run(args, env=env, check=True, capture_output=True).stdout


@pytest.mark.django_db(transaction=True)
@settings(max_examples=5, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(batch=st.lists(secrets_strategy, min_size=1, max_size=3))
def test_sensitive_values_are_not_in_the_database_file_or_dump(people, batch, tmp_path_factory):
    """No sensitive value is stored in plain text: the SQLite file or a pg_dump of the database holds none."""
    start = Person.objects.count()
    for i, s in enumerate(batch):
        _record(people["editor"], s, 1000 + start + i)
    data = _database_bytes(tmp_path_factory.mktemp("db")).decode("utf-8", "replace")
    assert f"LEAK-W{1000 + start}" in data, "the copy holds the records just written (testifier refs are not secret)"
    _absent([v for s in batch for v in s.everything()], data, "the database")
