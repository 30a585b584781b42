"""A small synthetic world for the public view: every consent level and source kind, and sentinels.

Every value the public must never see carries a distinctive synthetic marker (``SENTINELS``), so
the leak tests can look for it in every public page, media file and export. Only synthetic people.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from typing import Any

import pytest
from PIL import ExifTags, Image

from tests.conftest import grant, testimony_line
from vigil.core.intake import parse_testimony
from vigil.evidence.models import Document, DocumentRow, EvidenceFile
from vigil.evidence.services import evidence_file_store
from vigil.linkage.lists import list_import, list_row_person_create
from vigil.linkage.services import person_merge
from vigil.public.services import document_publish, evidence_metadata_check, testimony_summary_publish
from vigil.records.models import Person, Testimony
from vigil.records.services import testimony_record

#: Identity numbers of every person in the world (synthetic); no part of them may be public.
ID_NUMBERS = {
    "none": "650102197501010031",
    "anon": "650102198007230016",
    "full": "654021196911050052",
    "full_uncleared": "654021199002140027",
    "merged_hidden": "650102197702020044",
    "list_published": "650102198203150019",
    "list_unpublished": "650102198809090065",
}

#: Text that must never leave through the public view. Each appears in the world at least once.
SENTINELS = [
    # testifiers
    "Sentinel Testifiername", "+7 700 555 0199", "sentinel.testifier@example.org", "TESTIFIER-NOTE-SENTINEL", "RELATIONSENTINEL",
    # testimonies
    "TREF-SENTINEL", "TRANSCRIPT-SENTINEL", "ANON-SUMMARY-SENTINEL", "UNCLEARED-SUMMARY-SENTINEL", "NONE-SUMMARY-SENTINEL",
    # persons, claims
    "PREF-SENTINEL", "PERSON-NOTE-SENTINEL", "PRELATION-SENTINEL", "HOMETOWN-TEXT-SENTINEL", "CLAIM-NOTE-SENTINEL", "PLACE-TEXT-SENTINEL",
    # a person and a facility known only from a testimony without consent, and the record merged with a public one
    "Zzhidden Nonconsentuly", "Withheld Facility Sentinel", "Zzmerged Hiddenuly",
    # documents
    "UNPUBLISHED-DOC-SENTINEL", "Zzunpub Listperson", "ROWDATA-SENTINEL", "PROVENANCE-SENTINEL",
    # evidence
    "SENTINEL-ORIGINAL-NAME", "EVIDENCE-DESC-SENTINEL", "SentinelCam", "SERIAL-SENTINEL", "COMMENT-SENTINEL", "XMP-SENTINEL",
    # the exact birth day of the anonymised person (only the year is public)
    "1980-07-23", "07-23",
]

#: What the public must see (so that the leak tests cannot pass on an empty site).
VISIBLE = ["Ерлан Анонимұлы", "Marat Fullconsent", "FULL-SUMMARY-VISIBLE", "Synthetic Published List", "买买提·公开"]


def id_number_fragments() -> list[str]:
    """Every 8-digit run of every identity number: no part of a number may be public."""
    return sorted({n[i : i + 8] for n in ID_NUMBERS.values() for i in range(len(n) - 7)})


@dataclass
class World:
    persons: dict[str, Person] = field(default_factory=dict)
    testimonies: dict[str, Testimony] = field(default_factory=dict)
    documents: dict[str, Document] = field(default_factory=dict)
    media: dict[str, EvidenceFile] = field(default_factory=dict)


def jpeg_with_metadata() -> bytes:
    """A small JPEG carrying GPS coordinates, a camera model and serial, a comment, an ICC profile and XMP."""
    img = Image.new("RGB", (64, 48), (200, 30, 30))
    exif = Image.Exif()
    exif[0x0110] = "SentinelCam"  # Model
    exif[0xA431] = "SERIAL-SENTINEL-123"  # BodySerialNumber
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps.update({1: "N", 2: (43.0, 15.0, 0.0), 3: "E", 4: (76.0, 57.0, 0.0)})
    exif[ExifTags.IFD.GPSInfo] = gps
    out = io.BytesIO()
    img.save(
        out, "JPEG", exif=exif, comment=b"COMMENT-SENTINEL", icc_profile=b"ICC-SENTINEL",
        xmp=b"<x:xmpmeta xmlns:x='adobe:ns:meta/'>XMP-SENTINEL</x:xmpmeta>",
    )
    return out.getvalue()


def _testimony(actor: Any, key: str, consent: str, name: str, *, summary: str, birth: str = "1978", facility: str = "Synthetic Detention Centre No. 1", hometown: dict[str, str] | None = None, n: int) -> Testimony:
    line = testimony_line(ref=f"TREF-SENTINEL-{n}", consent=consent, summary=summary, transcript=f"TRANSCRIPT-SENTINEL {n}: my words.")
    line["testifier"] = {
        "ref": f"W-{n}", "name": f"Sentinel Testifiername {n}", "relation": "RELATIONSENTINEL", "country": "KZ",
        "phone": "+7 700 555 0199", "email": "sentinel.testifier@example.org", "note": "TESTIFIER-NOTE-SENTINEL: call after 8pm",
    }
    p = line["persons"][0]
    p.update({
        "ref": f"PREF-SENTINEL-{n}", "names": [{"text": name, "kind": "full"}], "birth_date": birth,
        "identity_numbers": [{"scheme": "cn_ric", "value": ID_NUMBERS[key]}], "notes": "PERSON-NOTE-SENTINEL",
        "relation": "PRELATION-SENTINEL", "hometown": hometown or {"code": "654021"},
    })
    p["claims"] = [
        {"type": "detained", "date": "2018-03", "place": {"code": "654021"}, "note": "CLAIM-NOTE-SENTINEL"},
        {"type": "held_at", "date": "2018-04", "date_end": "2019", "facility": {"name": facility, "type": "detention_centre", "county_code": "654021"}},
        {"type": "transferred", "date": "2019-11", "place": {"text": "PLACE-TEXT-SENTINEL"}},
    ]
    return testimony_record(actor=actor, draft=parse_testimony(line)[0])


LIST_CSV = (
    "序号,姓名,身份证号,性别,出生日期,关押地点,备注\n"
    "1,{name},{number},男,19820315,Synthetic Prison No. 2,ROWDATA-SENTINEL\n"
)
LIST_MAPPING = ["姓名=full_name", "身份证号=id_number", "性别=sex", "出生日期=birth_date", "关押地点=facility"]


@pytest.fixture
def publisher(db, django_user_model, settings, tmp_path):
    """An editor (records, publishes) and reviewer (merges), with media in a temporary folder."""
    settings.MEDIA_ROOT = tmp_path / "media"
    user = django_user_model.objects.create_user(username="publisher", password="x-unused-x")
    return grant(user, "editor", "reviewer")


@pytest.fixture
def world(places, publisher, tmp_path) -> World:
    w = World()
    t = w.testimonies
    t["none"] = _testimony(publisher, "none", "none", "Zzhidden Nonconsentuly", summary="NONE-SUMMARY-SENTINEL", facility="Withheld Facility Sentinel", n=1)
    t["anon"] = _testimony(publisher, "anon", "anonymised", "Ерлан Анонимұлы", summary="ANON-SUMMARY-SENTINEL", birth="1980-07-23", n=2)
    t["full"] = _testimony(publisher, "full", "full", "Marat Fullconsent", summary="FULL-SUMMARY-VISIBLE: he ran a bakery.", n=3)
    t["full_uncleared"] = _testimony(publisher, "full_uncleared", "full", "Dilnur Fullunclearedqyzy", summary="UNCLEARED-SUMMARY-SENTINEL", hometown={"text": "HOMETOWN-TEXT-SENTINEL"}, n=4)
    t["merged_hidden"] = _testimony(publisher, "merged_hidden", "none", "Zzmerged Hiddenuly", summary="NONE-SUMMARY-SENTINEL", n=5)
    for key, testimony in t.items():
        w.persons[key] = testimony.persons.get()
    # Cleared summaries: only the full-consent one may appear; the anonymised one must not, cleared or not.
    for key in ("full", "anon"):
        testimony_summary_publish(actor=publisher, testimony=t[key])

    # The withheld record is the survivor: the public person's root is a record that is not public.
    person_merge(actor=publisher, survivor=w.persons["merged_hidden"], merged=w.persons["full"])

    for key, title, name in (
        ("list_published", "Synthetic Published List", "买买提·公开"),
        ("list_unpublished", "UNPUBLISHED-DOC-SENTINEL", "Zzunpub Listperson"),
    ):
        path = tmp_path / f"{key}.csv"
        path.write_text(LIST_CSV.format(name=name, number=ID_NUMBERS[key]), encoding="utf-8")
        doc = list_import(actor=publisher, path=path, title=title, mapping=LIST_MAPPING, provenance="PROVENANCE-SENTINEL: a clerk")
        w.documents[key] = doc.document
        w.persons[key] = list_row_person_create(actor=publisher, row=DocumentRow.objects.get(document=doc.document))
    document_publish(actor=publisher, document=w.documents["list_published"])

    photo = jpeg_with_metadata()
    for key, data, name, media_type in (
        ("photo_full", photo, "SENTINEL-ORIGINAL-NAME.jpg", "image/jpeg"),
        ("photo_anon", photo + b"\x00", "SENTINEL-ORIGINAL-NAME-2.jpg", "image/jpeg"),
        ("video_unchecked", b"\x00\x00\x00\x18ftypmp42 synthetic video 1", "SENTINEL-ORIGINAL-NAME.mp4", "video/mp4"),
        ("video_checked", b"\x00\x00\x00\x18ftypmp42 synthetic video 2", "SENTINEL-ORIGINAL-NAME-3.mp4", "video/mp4"),
        ("video_anon_checked", b"\x00\x00\x00\x18ftypmp42 synthetic video 3", "SENTINEL-ORIGINAL-NAME-4.mp4", "video/mp4"),
    ):
        ef = evidence_file_store(actor=publisher, stream=io.BytesIO(data), original_name=name, media_type=media_type)
        EvidenceFile.objects.filter(pk=ef.pk).update(description="EVIDENCE-DESC-SENTINEL")
        w.media[key] = ef
    for key, owner in (
        ("photo_full", "full"), ("photo_anon", "anon"), ("video_unchecked", "full"), ("video_checked", "full"),
        ("video_anon_checked", "anon"),
    ):
        t[owner].evidence.add(w.media[key])
        w.persons[owner].evidence.add(w.media[key])
    evidence_metadata_check(actor=publisher, evidence=w.media["video_checked"])
    evidence_metadata_check(actor=publisher, evidence=w.media["video_anon_checked"])
    for p in w.persons.values():
        p.refresh_from_db()
    return w
