"""The columns of each export: the one definition behind the files, docs/exports.md and docs/schemas/*.json.

Testifiers' names and contacts are in no export. Identity numbers and the (opaque) testifier id
are columns only for readers whose role may see them (``requires``).
"""

from __future__ import annotations

from vigil.core.intake import CLAIM_TYPES, CONSENTS, ETHNICITIES, MEDIA
from vigil.exports.formats import Column, Kind

PRECISIONS = ("day", "month", "year", "about", "range")

PERSONS: tuple[Column, ...] = (
    Column("person_id", Kind.INTEGER, "The person: the id of the root record of their cluster (what the web page /persons/ID/ shows).", "1042"),
    Column("names", Kind.TEXT_LIST, "Every rendering of the name in every record of the cluster, as given, each once, in record order.", "Ерлан Серікұлы | 叶尔兰·赛力克"),
    Column("names_latin", Kind.TEXT_LIST, "vigil's Latin form of each name (for sorting and reading), each once.", "Erlan Serikuly | Yerlan Selk"),
    Column("sex", Kind.TEXT, "`m` or `f`; empty when unknown.", "m", choices=("m", "f")),
    Column("birth_date", Kind.PARTIAL_DATE, "Birth date at the precision it is known.", "1978"),
    Column("birth_precision", Kind.TEXT, "Precision of `birth_date`: day, month, year, about (± 2 years) or range.", "year", choices=PRECISIONS),
    Column("ethnicity", Kind.TEXT, "Ethnicity as recorded.", "kazakh", choices=ETHNICITIES),
    Column("citizenship", Kind.TEXT_LIST, "ISO 3166 alpha-2 codes.", "CN"),
    Column("hometown_code", Kind.TEXT, "GB/T 2260 code of the hometown, when it is a known place.", "654021"),
    Column("hometown_name", Kind.TEXT, "The hometown's Chinese name (with a code), or the text as given (without one).", "伊宁县"),
    Column("status", Kind.TEXT, "Type of the latest claim of the cluster (derived from the claims).", "sentenced", choices=CLAIM_TYPES),
    Column("status_date", Kind.DATE, "Earliest day of that claim's date (derived).", "2019-10-02"),
    Column("sources", Kind.INTEGER, "Independent sources of the claims: distinct testifiers plus documents (derived).", "2"),
    Column("evidence_level", Kind.INTEGER, "0 no claims, 1 single source, 2 corroborated, 3 documented (derived).", "2"),
    Column("record_ids", Kind.INTEGER_LIST, "Ids of every person record in the cluster (the root first).", "1042 | 2210"),
    Column("record_refs", Kind.TEXT_LIST, "Identifiers of those records in the sources they came from, where given.", "R000001 | R000877"),
    Column(
        "identity_numbers", Kind.TEXT_LIST, "Identity numbers of the cluster in normalised form, each once.",
        "65402119780312001X", requires="identity_number.view",
    ),
)

CLAIMS: tuple[Column, ...] = (
    Column("claim_id", Kind.INTEGER, "The claim.", "5531"),
    Column("person_id", Kind.INTEGER, "The person (root record of the cluster) the claim is about.", "1042"),
    Column("record_id", Kind.INTEGER, "The person record that carries the claim.", "2210"),
    Column("type", Kind.TEXT, "What is claimed.", "held_at", choices=CLAIM_TYPES),
    Column("date", Kind.PARTIAL_DATE, "When it began, at the precision known.", "2018-04"),
    Column("date_precision", Kind.TEXT, "Precision of `date`.", "month", choices=PRECISIONS),
    Column("end_date", Kind.PARTIAL_DATE, "When it ended, at the precision known.", "2019"),
    Column("end_date_precision", Kind.TEXT, "Precision of `end_date`.", "year", choices=PRECISIONS),
    Column("facility_id", Kind.INTEGER, "The facility (detention centre, camp, prison …).", "12"),
    Column("facility", Kind.TEXT, "The facility's name.", "Yining County Detention Centre No. 2"),
    Column("place_code", Kind.TEXT, "GB/T 2260 code of the place, when known.", "654021"),
    Column("place_name", Kind.TEXT, "The place's Chinese name (with a code), or the text as given.", "伊宁县"),
    Column("term_months", Kind.INTEGER, "Length of a sentence in months.", "120"),
    Column("source_kind", Kind.TEXT, "What asserts the claim: a testimony or a document.", "testimony", choices=("testimony", "document")),
    Column("source_id", Kind.INTEGER, "Id of that testimony or document.", "311"),
    Column("source_ref", Kind.TEXT, "The testimony's identifier in its source, or the document's title.", "T000311"),
)

TESTIMONIES: tuple[Column, ...] = (
    Column("testimony_id", Kind.INTEGER, "The testimony.", "311"),
    Column("ref", Kind.TEXT, "Its identifier in the source it was imported from.", "T000311"),
    Column("date", Kind.PARTIAL_DATE, "When it was given, at the precision known.", "2019-05-03"),
    Column("date_precision", Kind.TEXT, "Precision of `date`.", "day", choices=PRECISIONS),
    Column("language", Kind.TEXT, "ISO 639 code of the language spoken.", "kk"),
    Column("medium", Kind.TEXT, "How it was given.", "in_person", choices=MEDIA),
    Column("consent", Kind.TEXT, "Consent to publish: none, anonymised or full.", "anonymised", choices=CONSENTS),
    Column("person_ids", Kind.INTEGER_LIST, "The persons it concerns (roots of their clusters), each once, ascending.", "1042"),
    Column("record_ids", Kind.INTEGER_LIST, "The person records it created or concerns, ascending.", "2210"),
    Column("claims", Kind.INTEGER, "Number of claims it asserts.", "3"),
    Column("evidence_files", Kind.INTEGER, "Number of evidence files (video, audio, photos) attached.", "1"),
    Column(
        "testifier", Kind.INTEGER, "An opaque id of the testifier (the same id for every testimony of one testifier); never a name or contact.",
        "87", requires="testifier.view",
    ),
)

DATASETS: dict[str, tuple[str, tuple[Column, ...]]] = {
    "persons": ("vigil export: persons (one row per person)", PERSONS),
    "claims": ("vigil export: claims (one row per claim)", CLAIMS),
    "testimonies": ("vigil export: testimonies (metadata, no testifier identity)", TESTIMONIES),
}
