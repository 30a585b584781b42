"""Nothing withheld leaves through any public URL or the dataset.

The URL walk reads the public urlconf itself, so a page added later is covered without anyone
remembering to add it here: each pattern is fetched with every id that exists in the world, and
every body is searched for the sentinels of tests/public/conftest.py.
"""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import jsonschema
import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from PIL import Image
from typer.testing import CliRunner

from tests.public.conftest import SENTINELS, VISIBLE, id_number_fragments
from vigil.cli import app
from vigil.evidence.models import Document, EvidenceFile
from vigil.places.models import Facility
from vigil.public.dataset import CSV_COLUMNS
from vigil.records.models import Person, Testimony

SCHEMA = Path(__file__).resolve().parents[2] / "docs" / "public-dataset.schema.json"
QUERIES = [{}, {"q": "Erlan"}, {"q": "Marat Fullconsent"}, {"q": "买买提"}, {"page": "2"}]


def public_patterns() -> list[URLPattern]:
    """Every URL pattern mounted under /public/, read from the project's urlconf."""
    found: list[URLPattern] = []

    def walk(patterns, prefix):
        for p in patterns:
            route = prefix + str(p.pattern)
            if isinstance(p, URLResolver):
                walk(p.url_patterns, route)
            elif route.startswith("public/"):
                found.append(p)

    walk(get_resolver().url_patterns, "")
    return found


def _urls(pattern: URLPattern, ids: list[int]) -> list[str]:
    assert pattern.name, f"public URL pattern {pattern.pattern} needs a name"
    converters = pattern.pattern.converters
    if not converters:
        return [reverse(f"public:{pattern.name}")]
    assert all(type(c).__name__ == "IntConverter" for c in converters.values()), (
        f"{pattern.pattern}: teach this walk its converter, so the new page is covered"
    )
    names = list(converters)
    assert len(names) == 1, f"{pattern.pattern}: teach this walk to fill several parameters"
    return [reverse(f"public:{pattern.name}", kwargs={names[0]: pk}) for pk in ids]


def _body(response) -> bytes:
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


def assert_no_leak(body: bytes, where: str) -> None:
    for sentinel in SENTINELS:
        assert sentinel.encode() not in body, f"{where} shows {sentinel!r}"
    for fragment in id_number_fragments():
        assert fragment.encode() not in body, f"{where} shows part of an identity number ({fragment})"


def test_the_walk_finds_the_public_pages():
    """The walk sees the public pages (so an empty walk cannot pass the leak test)."""
    routes = {str(p.pattern) for p in public_patterns()}
    assert {"", "persons/<int:pk>/", "data.json", "media/<int:pk>/"} <= routes


@pytest.mark.django_db
def test_no_public_url_shows_anything_withheld(world, client):
    """Every public URL, for every id on record and with search and page parameters, answers without any
    testifier detail, testimony text, identity number, note, row or withheld record; every pattern answers 200 at least once."""
    # Every id on record of any kind (on PostgreSQL ids keep rising across tests: no range(1, max)), and two unused.
    ids = sorted({pk for model in (Person, Testimony, Facility, Document, EvidenceFile) for pk in model.objects.values_list("pk", flat=True)})
    ids += [ids[-1] + 1, ids[-1] + 2]
    seen = b""
    for pattern in public_patterns():
        ok = 0
        for url in _urls(pattern, ids):
            for query in QUERIES:
                response = client.get(url, query)
                assert response.status_code in (200, 302, 404), f"{url} {query}: {response.status_code}"
                body = _body(response)
                assert_no_leak(body, f"{url}?{query}")
                assert_no_leak("\n".join(f"{k}: {v}" for k, v in response.items()).encode(), f"the headers of {url}?{query}")
                if response.status_code == 200:
                    ok += 1
                    seen += body
                    assert "public" in response["Cache-Control"]
                    assert "script-src 'self'" in response["Content-Security-Policy"]
        assert ok, f"no request to {pattern.pattern} answered 200: give the world data for it"
    for text in VISIBLE:
        assert text.encode() in seen, f"{text!r} should be public"


@pytest.mark.django_db
def test_withheld_records_are_plain_not_found(world, client):
    """A withheld record's page is a 404, the same as an id that never existed; a merged public record redirects to its person."""
    for key in ("none", "merged_hidden", "list_unpublished"):
        assert client.get(reverse("public:person", args=[world.persons[key].pk])).status_code == 404
    assert client.get(reverse("public:person", args=[999_999])).status_code == 404


@pytest.mark.django_db
def test_public_pages_link_nowhere_but_the_public_site(world, client):
    """Public pages link only to other public pages and static files: never into the staff app."""
    for url in (reverse("public:home"), reverse("public:persons"), reverse("public:person", args=[world.persons["full"].pk]),
                reverse("public:facilities"), reverse("public:search") + "?q=Marat"):
        html = client.get(url).content.decode()
        for target in re.findall(r'(?:href|src|action)="([^"]*)"', html):
            assert target.startswith(("/public/", "/static/", "?", "#")), f"{url} links to {target}"
        assert "<script" not in html and "style=" not in html


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["home", "persons", "data_json"])
def test_public_site_is_read_only(world, client, name):
    """The public site answers GET and HEAD only."""
    url = reverse(f"public:{name}")
    assert client.post(url).status_code == 405
    assert client.head(url).status_code == 200


@pytest.mark.django_db
def test_published_photo_has_no_metadata(world, client):
    """A photo whose original carries GPS, camera serial, comment, ICC and XMP is served as a JPEG with none of them."""
    response = client.get(reverse("public:media", args=[world.media["photo_full"].pk]))
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    data = response.content
    for marker in (b"Exif", b"GPS", b"SentinelCam", b"SERIAL-SENTINEL", b"COMMENT-SENTINEL", b"ICC-SENTINEL", b"XMP-SENTINEL", b"http://ns.adobe.com"):
        assert marker not in data, marker
    with Image.open(io.BytesIO(data)) as img:
        assert len(img.getexif()) == 0
        assert not {"exif", "icc_profile", "comment", "xmp"} & set(img.info)
    assert "SENTINEL" not in response["Content-Disposition"]


@pytest.mark.django_db
@pytest.mark.parametrize("key", ["photo_anon", "video_unchecked", "video_anon_checked"])
def test_unpublishable_media_are_not_served(world, client, key):
    """Media without the consent (and check) they need answer 404."""
    assert client.get(reverse("public:media", args=[world.media[key].pk])).status_code == 404


@pytest.mark.django_db
def test_checked_full_consent_video_is_served_as_it_is(world, client):
    """A video with full consent and checked metadata is served unchanged, under a neutral file name."""
    response = client.get(reverse("public:media", args=[world.media["video_checked"].pk]))
    assert response.status_code == 200 and response["Content-Type"] == "video/mp4"
    assert _body(response) == b"\x00\x00\x00\x18ftypmp42 synthetic video 2"
    assert "SENTINEL" not in response["Content-Disposition"]


def _export(tmp_path, monkeypatch, fmt: str, name: str) -> bytes:
    monkeypatch.setenv("VIGIL_DATA_DIR", str(tmp_path))
    out = tmp_path / name
    result = CliRunner().invoke(app, ["export", "public", "--format", fmt, "--out", str(out)])
    assert result.exit_code == 0, result.output
    return out.read_bytes()


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_export_and_download_are_the_same_bytes_every_time(world, client, tmp_path, monkeypatch, fmt):
    """`vigil export public` writes exactly what /public/data.<fmt> serves, and the same data gives the same bytes."""
    first = _export(tmp_path, monkeypatch, fmt, f"one.{fmt}")
    second = _export(tmp_path, monkeypatch, fmt, f"two.{fmt}")
    web = _body(client.get(reverse(f"public:data_{fmt}")))
    assert first == second == web
    assert_no_leak(first, f"the {fmt} export")
    for text in VISIBLE:
        assert text.encode() in first


@pytest.mark.django_db
def test_json_export_follows_its_schema(world, client):
    """The JSON dataset validates against docs/public-dataset.schema.json."""
    data = json.loads(_body(client.get(reverse("public:data_json"))))
    jsonschema.validate(data, json.loads(SCHEMA.read_text()))
    assert [p["id"] for p in data["persons"]] == sorted(p["id"] for p in data["persons"])
    assert len(data["persons"]) == 4


@pytest.mark.django_db
def test_csv_export_has_a_row_per_public_claim(world, client):
    """The CSV dataset has the documented columns and one row per public claim."""
    rows = list(csv.reader(io.StringIO(_body(client.get(reverse("public:data_csv"))).decode())))
    assert tuple(rows[0]) == CSV_COLUMNS
    assert len(rows) - 1 == 3 + 3 + 3 + 1  # anon, full, full_uncleared: three claims each; the published list: one
