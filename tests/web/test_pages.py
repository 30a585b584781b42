import pytest
from django.urls import reverse

from vigil.linkage.models import Match
from vigil.records.models import Person, Testimony
from vigil.web.models import IntakeDraft

PAGES = ["web:home", "web:search", "web:intake", "web:review", "web:lists", "web:facilities", "web:dashboard"]


@pytest.mark.django_db
@pytest.mark.parametrize("page", PAGES)
def test_pages_need_login(client, page):
    """Every page sends an anonymous visitor to the login page."""
    response = client.get(reverse(page))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


@pytest.mark.django_db
@pytest.mark.parametrize("page", PAGES)
def test_pages_render(staff_client, recorded, page):
    """Every page renders for a logged-in volunteer."""
    response = staff_client.get(reverse(page), follow=True)
    assert response.status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["Ильхам Тохти", "ئىلھام توختى", "Ilham Tohti", "伊力哈木·土赫提", "Tohti Ilham"])
def test_search_finds_across_scripts(staff_client, recorded, query):
    """A name typed in any script finds the person recorded in Chinese characters, with the rendering highlighted."""
    response = staff_client.get(reverse("web:search"), {"q": query})
    html = response.content.decode()
    assert reverse("web:person", args=[recorded[0].pk]) in html
    assert "<mark>" in html
    assert reverse("web:person", args=[recorded[2].pk]) not in html


@pytest.mark.django_db
def test_search_filters_and_sort(staff_client, recorded):
    """Filters narrow the list; unknown filter values are ignored."""
    html = staff_client.get(reverse("web:search"), {"status": "sentenced", "sex": "m", "sort": "-birth", "evidence": "1"}).content.decode()
    assert "3 persons" in html
    html = staff_client.get(reverse("web:search"), {"status": "released"}).content.decode()
    assert "0 persons" in html
    assert staff_client.get(reverse("web:search"), {"status": "bogus", "page": "x", "sort": "nope"}).status_code == 200


@pytest.mark.django_db
def test_person_page_shows_timeline_names_and_sources(staff_client, recorded):
    """The person page shows every name with its script, the timeline and the sources of each fact."""
    html = staff_client.get(reverse("web:person", args=[recorded[0].pk])).content.decode()
    assert "伊力哈木·土赫提" in html and "Chinese characters" in html
    assert 'class="timeline"' in html and "Sentenced" in html or "sentenced" in html
    assert "independent source" in html


def intake_post(**extra):
    data = {
        "testifier_name": "Synthetic Witness 9", "testifier_relation": "brother", "testifier_country": "kz",
        "consent": "anonymised", "testimony_date": "2020-01-15", "language": "kk", "medium": "in_person",
        "name_text": ["Ильхам Тохти"], "name_kind": ["full"], "sex": "m", "birth_value": "1969", "birth_precision": "year",
        "hometown": "654021 伊宁县 Yiningxian", "id_number": "",
        "claim_type": ["detained", ""], "claim_date": ["2014-01", ""], "claim_date_end": ["", ""],
        "claim_facility": ["Synthetic Detention Centre No. 4", ""], "claim_place": ["", ""], "claim_term": ["", ""], "claim_note": ["", ""],
        "summary": "Synthetic summary.",
    }
    data.update(extra)
    return data


@pytest.mark.django_db
def test_intake_creates_a_testimony(staff_client, recorded):
    """A valid intake records the testimony, its person and claims, and clears the draft."""
    IntakeDraft.objects.create(user=recorded[0].testimonies.get().recorded_by, data={"x": ["y"]})
    before = Person.objects.count()
    response = staff_client.post(reverse("web:intake"), intake_post())
    assert response.status_code == 302
    person = Person.objects.latest("id")
    assert Person.objects.count() == before + 1
    assert person.names.get().text == "Ильхам Тохти" and person.hometown.code == "654021"
    assert person.claims.get().facility.name == "Synthetic Detention Centre No. 4"
    assert not IntakeDraft.objects.exists()


@pytest.mark.django_db
def test_intake_attaches_to_an_existing_person(staff_client, recorded):
    """Choosing an existing person adds the testimony to them instead of creating another person."""
    target = recorded[0]
    response = staff_client.post(reverse("web:intake"), intake_post(attach_to=str(target.pk)))
    assert response.status_code == 302 and response["Location"] == reverse("web:person", args=[target.pk])
    new = Person.objects.latest("id")
    assert new.canonical_id == target.pk
    assert Testimony.objects.filter(persons__canonical_id=target.pk).count() == 2


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("change", "message"),
    [({"consent": ""}, "consent"), ({"name_text": [""]}, "names"), ({"birth_value": "spring", "birth_precision": "year"}, "birth_date"),
     ({"claim_date": ["2014-13", ""]}, "claims[0].date"), ({"testifier_country": "Kazakhstan"}, "country")],
)
def test_intake_with_problems_keeps_the_values(staff_client, recorded, change, message):
    """An invalid intake saves nothing, says which field is wrong and keeps what was typed."""
    before = Testimony.objects.count()
    response = staff_client.post(reverse("web:intake"), intake_post(**change))
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html and "Synthetic summary." in html
    assert Testimony.objects.count() == before


@pytest.mark.django_db
def test_draft_survives_a_reload_and_is_private(staff_client, client, recorded, django_user_model):
    """A draft saved while typing comes back on reload, and another user does not see it."""
    staff_client.post(reverse("web:intake_draft"), {"name_text": ["Synthetic Draftname"], "summary": "half typed"})
    assert "Synthetic Draftname" in staff_client.get(reverse("web:intake")).content.decode()
    other = django_user_model.objects.create_user(username="other", password="x")
    client.force_login(other)
    assert "Synthetic Draftname" not in client.get(reverse("web:intake")).content.decode()


@pytest.mark.django_db
def test_identity_number_check_warns_but_never_blocks(staff_client, recorded):
    """A number that fails its check is shown with the reason, and the intake still saves it."""
    html = staff_client.get(reverse("web:intake_check_id"), {"id_number": "650102198003120010"}).content.decode()
    assert "fails a check" in html and "check digit" in html
    html = staff_client.get(reverse("web:intake_check_id"), {"id_number": "650102198003120012"}).content.decode()
    assert "valid number" in html and "1980-03-12" in html
    response = staff_client.post(reverse("web:intake"), intake_post(id_number="650102198003120010"))
    assert response.status_code == 302
    assert not Person.objects.latest("id").identity_numbers.get().valid


@pytest.mark.django_db
def test_candidates_as_a_name_is_typed(staff_client, recorded):
    """Typing a Cyrillic spelling shows the person recorded in Chinese characters, with the reason."""
    html = staff_client.get(reverse("web:intake_candidates"), {"name_text": "Ильхам Тохти"}).content.decode()
    assert reverse("web:person", args=[recorded[0].pk]) in html or reverse("web:person", args=[recorded[1].pk]) in html
    assert "name:" in html


@pytest.mark.django_db
def test_review_accept_and_unmerge(staff_client, recorded):
    """Accepting a proposed match merges the two; the person page can unmerge it."""
    a, b = recorded[0], recorded[1]
    match = Match.objects.create(person_a=a, person_b=b, probability=0.97, match_weight=5.0, model_version="test", field_weights={"name": 6.1, "birth": 2.0, "sex": -0.5})
    page = staff_client.get(reverse("web:review"), follow=True).content.decode()
    assert "Are these one person?" in page and "birth" in page
    staff_client.post(reverse("web:review_decide", args=[match.pk]), {"decision": "accept"})
    assert Person.objects.get(pk=b.pk).canonical_id == a.pk
    merge = a.merges_in.get()
    html = staff_client.get(reverse("web:person", args=[a.pk])).content.decode()
    assert reverse("web:unmerge", args=[merge.pk]) in html
    staff_client.post(reverse("web:unmerge", args=[merge.pk]))
    assert Person.objects.get(pk=b.pk).canonical_id == b.pk


@pytest.mark.django_db
def test_review_reject_is_final(staff_client, recorded):
    """A rejected pair leaves the queue for good."""
    match = Match.objects.create(person_a=recorded[0], person_b=recorded[2], probability=0.6, match_weight=0.5, model_version="test")
    staff_client.post(reverse("web:review_decide", args=[match.pk]), {"decision": "reject"})
    match.refresh_from_db()
    assert match.status == "rejected"
    assert "No proposed matches" in staff_client.get(reverse("web:review"), follow=True).content.decode()


@pytest.mark.django_db
def test_dashboard_numbers_as_csv(staff_client, recorded):
    """Each dashboard chart has its numbers as CSV."""
    response = staff_client.get(reverse("web:dashboard_csv", args=["status"]))
    assert response["Content-Type"].startswith("text/csv")
    assert "label,count" in response.content.decode() and ",3" in response.content.decode()
    assert staff_client.get(reverse("web:dashboard_csv", args=["nope"])).status_code == 404


@pytest.mark.django_db
def test_language_follows_lang_parameter_and_is_remembered(staff_client, staff):
    """?lang= switches the interface and is remembered for the user; Uyghur pages run right to left."""
    from vigil.web.models import Preference

    html = staff_client.get(reverse("web:search"), {"lang": "ug"}).content.decode()
    assert 'dir="rtl"' in html and 'lang="ug"' in html
    assert Preference.objects.get(user=staff).language == "ug"
    staff_client.cookies.clear()
    staff_client.force_login(staff)
    assert 'dir="rtl"' in staff_client.get(reverse("web:search")).content.decode()
    html = staff_client.get(reverse("web:search"), {"lang": "xx"}).content.decode()
    assert 'dir="rtl"' in html  # an unknown language changes nothing


@pytest.mark.django_db
def test_accept_language_is_followed(client, staff):
    """Without a choice, the browser's Accept-Language decides."""
    client.force_login(staff)
    html = client.get(reverse("web:search"), HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    assert 'lang="ru"' in html


@pytest.mark.django_db
@pytest.mark.parametrize(("language", "token_name", "person_name"), [("kk", "Атауы", "Есімі"), ("ug", "نامى", "ئىسىم"), ("ru", "Название", "Имя"), ("zh-hans", "名称", "姓名")])
def test_late_strings_are_translated(staff_client, language, token_name, person_name):
    """The intake's sensitive checkbox is translated, and a token's name is not called a person's name."""
    intake = staff_client.get(reverse("web:intake"), HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert f'lang="{language}"' in intake and "only editors may read" not in intake
    tokens = staff_client.get(reverse("web:tokens"), HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert f"<th>{token_name}</th>" in tokens and f"<th>{person_name}</th>" not in tokens


@pytest.mark.django_db
def test_evidence_upload_thumbnail_and_audited_access(staff_client, recorded, settings, tmp_path):
    """An uploaded photo is stored by SHA-256; its thumbnail has no metadata; opening the original is audited."""
    import hashlib
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    from vigil.audit.models import AuditEntry
    from vigil.evidence.models import EvidenceFile

    settings.MEDIA_ROOT = tmp_path / "media"
    buf = io.BytesIO()
    exif = Image.Exif()
    exif[0x010F] = "SyntheticCam"  # Make
    Image.new("RGB", (800, 600), "navy").save(buf, format="JPEG", exif=exif)
    raw = buf.getvalue()
    upload = SimpleUploadedFile("photo.jpg", raw, content_type="image/jpeg")
    response = staff_client.post(reverse("web:intake"), {**intake_post(), "files": upload})
    assert response.status_code == 302
    evidence = EvidenceFile.objects.get()
    assert evidence.sha256 == hashlib.sha256(raw).hexdigest() and evidence.kind == "photo"
    person_html = staff_client.get(response["Location"]).content.decode()
    assert reverse("web:evidence_thumb", args=[evidence.sha256]) in person_html
    thumb = staff_client.get(reverse("web:evidence_thumb", args=[evidence.sha256]))
    image = Image.open(io.BytesIO(thumb.content))
    assert max(image.size) <= 320 and not image.getexif()
    staff_client.get(reverse("web:evidence", args=[evidence.sha256]))
    assert AuditEntry.objects.filter(action="evidence.access", object_id=str(evidence.pk)).exists()


@pytest.mark.django_db
def test_list_row_becomes_a_person(staff_client, staff, tmp_path, settings, recorded):
    """A list row that matches no one can be made a person record from the list page."""
    from vigil.linkage.lists import list_import

    settings.MEDIA_ROOT = tmp_path / "media"
    path = tmp_path / "list.csv"
    path.write_text("姓名,身份证号\n吐尔逊·买买提,650102198003120012\n", encoding="utf-8")
    doc = list_import(actor=staff, path=path, title="Synthetic list", mapping=["姓名=full_name", "身份证号=id_number"]).document
    html = staff_client.get(reverse("web:list", args=[doc.pk])).content.decode()
    row = doc.rows.get()
    assert reverse("web:list_row_person", args=[row.pk]) in html
    response = staff_client.post(reverse("web:list_row_person", args=[row.pk]))
    row.refresh_from_db()
    assert row.person is not None and response["Location"] == reverse("web:person", args=[row.person.pk])
    assert row.person.names.get().document == doc


@pytest.mark.django_db
def test_facility_page_and_map_data(staff_client, recorded):
    """A facility's page lists the persons reported held there; the map page carries its points as JSON."""
    from vigil.places.models import Facility

    facility = Facility.objects.get(name="Synthetic Detention Centre No. 1")
    Facility.objects.filter(pk=facility.pk).update(latitude=43.9, longitude=81.3)
    html = staff_client.get(reverse("web:facility", args=[facility.pk])).content.decode()
    assert "3 persons reported held here" in html and reverse("web:person", args=[recorded[0].pk]) in html
    assert "<svg" in html  # persons per month, drawn on the server
    html = staff_client.get(reverse("web:facilities")).content.decode()
    assert 'id="facility-points"' in html and "43.9" in html and "Synthetic Detention Centre No. 1" in html
    assert staff_client.get(reverse("web:facility", args=[999999])).status_code == 404
    assert staff_client.get(reverse("web:person", args=[999999])).status_code == 404
    assert staff_client.get(reverse("web:list", args=[999999])).status_code == 404


@pytest.mark.django_db
def test_the_menu_offers_only_what_the_role_may_open(client, django_user_model):
    """A researcher is not offered intake or review; an editor is offered intake; both see search."""
    from tests.conftest import grant

    researcher = grant(django_user_model.objects.create_user(username="menu-researcher", password="x-unused-x"), "researcher")
    editor = grant(django_user_model.objects.create_user(username="menu-editor", password="x-unused-x"), "editor")
    client.force_login(researcher)
    page = client.get("/dashboard/").content.decode()
    assert 'href="/search/"' in page and 'href="/intake/"' not in page and 'href="/review/"' not in page
    client.force_login(editor)
    page = client.get("/dashboard/").content.decode()
    assert 'href="/intake/"' in page and 'href="/review/"' in page
