from __future__ import annotations

import pytest

from tests.api.conftest import bearer, token_for, user_with
from tests.conftest import testimony_line
from vigil.api.endpoints.persons import Sort
from vigil.audit.models import AuditEntry
from vigil.linkage.models import Match
from vigil.records.models import Testimony
from vigil.records.search import SORTS

API = "/api/v1"


@pytest.fixture
def as_role(client, django_user_model):
    """``as_role("researcher").get(path)``: requests with a token of a new user holding that role."""

    tokens: dict[str, str] = {}

    class Caller:
        def __init__(self, role: str) -> None:
            if role not in tokens:
                tokens[role] = token_for(user_with(django_user_model, f"user-{role}", role))
            self.headers = bearer(tokens[role])

        def get(self, path: str, **params):
            return client.get(API + path, params, headers=self.headers)

        def post(self, path: str, body=None):
            return client.post(API + path, body or {}, content_type="application/json", headers=self.headers)

    return Caller


@pytest.mark.django_db
def test_anonymous_requests_get_401_in_the_error_shape(client):
    """Without a token every endpoint answers 401 with {"detail", "errors"}; so does a token that does not exist."""
    for headers in ({}, bearer("vigil_not-a-real-token"), {"Authorization": "Basic dXNlcjpwYXNz"}):
        response = client.get(f"{API}/persons/", headers=headers)
        assert response.status_code == 401
        assert set(response.json()) == {"detail", "errors"} and "Bearer" in response.json()["detail"]


@pytest.mark.django_db
def test_person_search_finds_across_scripts_with_the_web_filters(api_data, as_role):
    """A Cyrillic query finds the person recorded in Chinese characters; filters narrow as on the web."""
    researcher = as_role("researcher")
    body = researcher.get("/persons/", q="Ильхам Тохти").json()
    assert body["query_kind"] == "name"
    assert api_data.persons[0].pk in [i["id"] for i in body["items"]]
    assert api_data.persons[2].pk not in [i["id"] for i in body["items"]]
    assert researcher.get("/persons/", status="sentenced", sex="m").json()["count"] == 3
    assert researcher.get("/persons/", status="released").json()["count"] == 0
    invalid = researcher.get("/persons/", status="bogus")
    assert invalid.status_code == 422 and invalid.json()["errors"][0]["loc"][-1] == "status"


@pytest.mark.django_db
def test_unknown_query_parameters_are_refused(api_data, as_role, client):
    """A misspelt filter answers 422 naming it, instead of the whole unfiltered list; without a token, 401 first."""
    response = as_role("researcher").get("/persons/", stauts="released")
    assert response.status_code == 422
    assert response.json()["errors"] == [{"loc": ["query", "stauts"], "msg": "unknown query parameter"}]
    assert as_role("researcher").get(f"/persons/{api_data.persons[0].pk}", q="x").status_code == 422
    assert client.get(f"{API}/persons/", {"stauts": "released"}).status_code == 401
    twice = as_role("researcher").get("/claims/", person=["1", "2"])
    assert twice.status_code == 422 and twice.json()["errors"] == [{"loc": ["query", "person"], "msg": "given more than once"}]


@pytest.mark.django_db
def test_dates_in_queries_are_days(api_data, as_role):
    """A date filter takes YYYY-MM-DD, not a number read as a Unix timestamp."""
    researcher = as_role("researcher")
    assert researcher.get("/persons/", born_to="1970-01-01").json()["count"] == 2  # the two records born in 1969
    assert researcher.get("/persons/", born_to="0").status_code == 422
    assert researcher.get("/persons/", born_to="1970-02-30").status_code == 422


def test_the_api_sorts_persons_as_the_web_search_does():
    """Every sort of the web search is offered by the API, and no other."""
    assert set(Sort.__args__) == set(SORTS)


@pytest.mark.django_db
def test_lists_are_paginated(api_data, as_role):
    """offset and limit page through a list; count is the total; limit is capped at 100."""
    admin = as_role("administrator")
    first = admin.get("/persons/", sort="recent", limit=2).json()
    second = admin.get("/persons/", sort="recent", limit=2, offset=2).json()
    assert first["count"] == second["count"] == len(api_data.persons) + 0
    assert len(first["items"]) == 2 and len(second["items"]) == 1
    assert {i["id"] for i in first["items"]}.isdisjoint(i["id"] for i in second["items"])
    assert admin.get("/claims/", limit=101).status_code == 422


@pytest.mark.django_db
def test_person_detail_has_names_claims_timeline_and_corroboration(api_data, as_role):
    """The person endpoint answers what the person page shows: names with sources, claims, timeline, corroboration."""
    body = as_role("researcher").get(f"/persons/{api_data.persons[0].pk}").json()
    assert body["names"][0]["text"] == "伊力哈木·土赫提" and body["names"][0]["script"] == "han"
    assert body["names"][0]["testimony_id"] == api_data.testimonies[0].pk
    assert {c["type"] for c in body["claims"]} == {"detained", "held_at", "sentenced"}
    sentenced = next(e for e in body["timeline"] if e["type"] == "sentenced")
    assert sentenced["sources"] == 1 and sentenced["start"]["text"] == "2019-10-02"
    assert body["corroboration"]["evidence_level"] == 1
    assert as_role("researcher").get("/persons/999999").status_code == 404


@pytest.mark.django_db
def test_researcher_sees_no_testifier_identity_nor_transcript(api_data, as_role):
    """A researcher gets the testifier as an opaque id; an editor sees their name and contacts, and the transcript."""
    pk = api_data.testimonies[0].pk
    seen_by_researcher = as_role("researcher").get(f"/testimonies/{pk}").json()
    assert seen_by_researcher["testifier"]["identity"] is None and seen_by_researcher["transcript"] is None
    assert "Synthetic Witness" not in str(seen_by_researcher) and "555" not in str(seen_by_researcher)
    seen_by_editor = as_role("editor").get(f"/testimonies/{pk}").json()
    assert seen_by_editor["testifier"]["identity"]["name"] == "Synthetic Witness 1"
    assert seen_by_editor["transcript"] == "Synthetic transcript 1."
    assert seen_by_editor["testifier"]["id"] == seen_by_researcher["testifier"]["id"]
    listed = as_role("researcher").get("/testimonies/", person=api_data.persons[0].pk).json()
    assert listed["count"] == 1 and listed["items"][0]["testifier"]["identity"] is None


@pytest.mark.django_db
def test_match_decisions_follow_the_access_table(api_data, as_role):
    """As on the web: a researcher may neither see nor decide matches; a reviewer accepts and rejects; a second decision is 409."""
    accept, reject = api_data.matches[0], api_data.matches[1]
    researcher = as_role("researcher")
    assert researcher.get("/matches/").status_code == 403
    assert researcher.post(f"/matches/{accept.pk}/accept").status_code == 403
    editor = as_role("editor")
    assert editor.get("/matches/").status_code == 200  # editors may view the queue …
    assert editor.post(f"/matches/{accept.pk}/accept").status_code == 403  # … but not decide
    reviewer = as_role("reviewer")
    accepted = reviewer.post(f"/matches/{accept.pk}/accept")
    assert accepted.status_code == 200 and accepted.json()["match"]["status"] == "accepted" and accepted.json()["merge_id"]
    assert reviewer.post(f"/matches/{reject.pk}/reject").json()["match"]["status"] == "rejected"
    again = reviewer.post(f"/matches/{accept.pk}/reject")
    assert again.status_code == 409 and "already accepted" in again.json()["detail"]
    assert Match.objects.get(pk=accept.pk).status == "accepted"
    assert AuditEntry.objects.filter(action="match.accept", object_id=str(accept.pk), actor__username="user-reviewer").exists()
    merged = reviewer.get(f"/persons/{api_data.persons[1].pk}").json()
    assert set(merged["records"]) == {api_data.persons[0].pk, api_data.persons[1].pk}
    # Every filter by person now takes the whole cluster, whichever record's id is given.
    for pk in (api_data.persons[0].pk, api_data.persons[1].pk):
        assert reviewer.get("/claims/", person=pk).json()["count"] == 6
        assert reviewer.get("/testimonies/", person=pk).json()["count"] == 2
        assert reviewer.get("/evidence/", person=pk).json()["count"] == 1
        assert {m["id"] for m in reviewer.get("/matches/", person=pk).json()["items"]} == {accept.pk, reject.pk}


@pytest.mark.django_db
def test_intake_records_a_testimony_with_an_audit_entry(places, as_role):
    """A line of the import format posted to intake becomes a testimony with its persons and an audit entry."""
    response = as_role("editor").post("/intake/testimonies", testimony_line(ref="API-1"))
    assert response.status_code == 201, response.content
    body = response.json()
    testimony = Testimony.objects.get(pk=body["testimony_id"])
    assert testimony.ref == "API-1" and body["person_ids"] == [p.pk for p in testimony.persons.order_by("id")]
    assert AuditEntry.objects.filter(actor__username="user-editor", object_type="testimony", object_id=str(testimony.pk)).exists()


@pytest.mark.django_db
def test_intake_problems_answer_422_with_field_paths(places, as_role):
    """A bad line answers 422 naming each field at fault, whether the schema or the import format's own checks find it."""
    editor = as_role("editor")
    line = testimony_line(ref="API-2")
    line["persons"][0]["names"][1]["kind"] = "nickname"
    schema_error = editor.post("/intake/testimonies", line).json()
    assert schema_error["errors"][0]["loc"] == ["body", "persons", 0, "names", 1, "kind"]
    line = testimony_line(ref="API-2")
    line["persons"][0]["claims"][0]["date"] = "2018-13"
    line["persons"][0]["hometown"] = {"code": "999999"}
    response = editor.post("/intake/testimonies", line)
    assert response.status_code == 422
    locs = [e["loc"] for e in response.json()["errors"]]
    assert ["body", "persons", 0, "claims", 0, "date"] in locs
    assert not Testimony.objects.filter(ref="API-2").exists()
    line = testimony_line(ref="API-2")
    line["persons"][0]["hometown"] = {"code": "999999"}
    unknown_place = editor.post("/intake/testimonies", line).json()
    assert unknown_place["errors"] == [{"loc": ["body", "persons", 0, "hometown", "code"], "msg": unknown_place["errors"][0]["msg"]}]
    assert "999999" in unknown_place["errors"][0]["msg"]


@pytest.mark.django_db
def test_intake_needs_the_right_to_record(places, as_role):
    """A researcher may not record testimonies through the API, as on the web."""
    assert as_role("researcher").post("/intake/testimonies", testimony_line(ref="API-3")).status_code == 403
    assert not Testimony.objects.filter(ref="API-3").exists()


@pytest.mark.django_db
def test_evidence_download_is_the_original_and_is_audited(api_data, as_role):
    """Downloading an evidence file returns its bytes and writes the access to the audit log."""
    sha = api_data.evidence.sha256
    researcher = as_role("researcher")
    meta = researcher.get(f"/evidence/{sha}").json()
    assert meta["media_type"] == "image/jpeg" and meta["testimony_ids"] == [api_data.testimonies[0].pk]
    response = researcher.get(f"/evidence/{sha}/download")
    assert response.status_code == 200 and b"".join(response.streaming_content) == b"synthetic photo bytes"
    assert AuditEntry.objects.filter(action="evidence.access", actor__username="user-researcher", object_id=str(api_data.evidence.pk)).exists()


@pytest.mark.django_db
def test_documents_facilities_places_and_claims(api_data, as_role):
    """Lists, facilities with their counts, places by code and claims by person all answer."""
    researcher = as_role("researcher")
    docs = researcher.get("/documents/", kind="leaked_list").json()
    assert docs["count"] == 1 and docs["items"][0]["rows"] == 2
    rows = researcher.get(f"/documents/{api_data.document.pk}/rows").json()
    assert [r["number"] for r in rows["items"]] == [2, 3] and rows["items"][0]["data"]["姓名"] == "买买提·吐尔逊"
    facility = researcher.get("/facilities/").json()["items"][0]
    assert facility["name"] == "Synthetic Detention Centre No. 1" and facility["persons"] == 3
    assert researcher.get("/places/654021").json()["level"] == "county"
    assert researcher.get("/places/000000").status_code == 404
    claims = researcher.get("/claims/", person=api_data.persons[2].pk).json()
    assert claims["count"] == 3 and all(c["testimony_id"] == api_data.testimonies[2].pk for c in claims["items"])
