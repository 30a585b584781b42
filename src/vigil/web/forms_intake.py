"""The intake form's fields → the testimony format of ``vigil.core.intake`` (one path for web, API and import)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.http import QueryDict

PRECISIONS = (("day", "exact day (YYYY-MM-DD)"), ("month", "month (YYYY-MM)"), ("year", "year (YYYY)"), ("about", "about (YYYY, ± 2 years)"), ("range", "between two years (YYYY/YYYY)"))
_CODE = re.compile(r"^\s*(\d{6})\b")


def partial(value: str, precision: str) -> str | None:
    """The partial-date text for a typed value and its precision ("1978" + about -> "~1978")."""
    v = value.strip()
    if not v:
        return None
    if precision == "about":
        return f"~{v[:4]}" if not v.startswith("~") else v
    if precision == "range" and "/" not in v and "-" in v and len(v) == 9:
        return v.replace("-", "/")
    return v


def place(value: str) -> dict[str, str] | None:
    """A county picked from the list ("654021 伊宁县 Yiningxian") or typed as text."""
    v = value.strip()
    if not v:
        return None
    m = _CODE.match(v)
    return {"code": m.group(1)} if m else {"text": v[:200]}


def _rows(data: QueryDict, *names: str) -> list[dict[str, str]]:
    columns = {n: data.getlist(n) for n in names}
    length = max((len(v) for v in columns.values()), default=0)
    return [{n: (columns[n][i] if i < len(columns[n]) else "").strip() for n in names} for i in range(length)]


def testimony_from_form(data: QueryDict) -> dict[str, Any]:
    """The testimony object (docs/import-format.md) the form describes; validation is left to parse_testimony."""
    g = lambda key: data.get(key, "").strip()  # noqa: E731
    names = [{"text": r["name_text"], "kind": r["name_kind"] or "full"} for r in _rows(data, "name_text", "name_kind") if r["name_text"]]
    claims = []
    for r in _rows(data, "claim_type", "claim_date", "claim_date_end", "claim_facility", "claim_place", "claim_term", "claim_note"):
        if not r["claim_type"]:
            continue
        claim: dict[str, Any] = {"type": r["claim_type"]}
        if r["claim_date"]:
            claim["date"] = r["claim_date"]
        if r["claim_date_end"]:
            claim["date_end"] = r["claim_date_end"]
        if r["claim_facility"]:
            claim["facility"] = {"name": r["claim_facility"]}
        if p := place(r["claim_place"]):
            claim["place"] = p
        if r["claim_term"]:
            claim["term_months"] = int(r["claim_term"]) if r["claim_term"].isdigit() else r["claim_term"]
        if r["claim_note"]:
            claim["note"] = r["claim_note"]
        claims.append(claim)
    person: dict[str, Any] = {"names": names, "claims": claims}
    if g("sex"):
        person["sex"] = g("sex")
    if g("ethnicity"):
        person["ethnicity"] = g("ethnicity")
    if b := partial(g("birth_value"), g("birth_precision")):
        person["birth_date"] = b
    if p := place(g("hometown")):
        person["hometown"] = p
    if g("id_number"):
        person["identity_numbers"] = [{"scheme": g("id_scheme") or "cn_ric", "value": g("id_number")}]
    if g("relation"):
        person["relation"] = g("relation")
    testifier = {k: g(f"testifier_{k}") for k in ("name", "relation", "country", "phone", "email", "note") if g(f"testifier_{k}")}
    if "country" in testifier:
        testifier["country"] = testifier["country"].upper()
    out: dict[str, Any] = {
        "date": g("testimony_date") or dt.date.today().isoformat(),
        "consent": g("consent"),
        "medium": g("medium") or "in_person",
        "testifier": testifier,
        "persons": [person],
    }
    for key in ("language", "summary", "transcript"):
        if g(key):
            out[key] = g(key)
    if g("sensitive"):
        out["sensitive"] = True
    return out
