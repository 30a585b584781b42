import pytest

from tests.conftest import testimony_line
from vigil.core.intake import parse_testimony
from vigil.linkage.models import Match
from vigil.places.services import places_load
from vigil.records.models import Person
from vigil.records.services import testimony_record

pytestmark = pytest.mark.django_db(transaction=True)


def record(user, n, names, birth="1969"):
    line = testimony_line(ref=f"T{n}")
    line["testifier"] = {"ref": f"W{n}", "name": f"Synthetic Witness {n}"}
    line["persons"][0].update({"ref": f"R{n}", "names": [{"text": t} for t in names], "birth_date": birth, "identity_numbers": []})
    return testimony_record(actor=user, draft=parse_testimony(line)[0]).persons.get()


@pytest.fixture
def people(staff_password_user):
    places_load(actor=staff_password_user, check_permission=False)
    return [
        record(staff_password_user, 1, ["伊力哈木·土赫提"]),
        record(staff_password_user, 2, ["Ilham Tohti"]),
        record(staff_password_user, 3, ["Гүлнар Тұрсынқызы"], "1985"),
    ]


def test_intake_attaches_to_the_person_found_by_a_cyrillic_spelling(page, live_server, people):
    """A volunteer types a Cyrillic spelling, sees the person recorded in Chinese, attaches the testimony to them."""
    target = people[0]
    page.goto(f"{live_server.url}/intake/")
    page.fill("#testifier_name", "Synthetic Witness 7")
    page.fill("#testifier_relation", "brother")
    page.select_option("#consent", "anonymised")
    page.fill("input[name=name_text]", "Ильхам Тохти")
    card = page.locator(".candidates .card", has_text="伊力哈木·土赫提")
    card.wait_for()
    assert "name:" in card.inner_text()
    card.locator("button.attach").click()
    assert page.input_value("#attach_to") == str(target.pk)
    page.select_option("select[name=claim_type]", "detained")
    page.fill("input[name=claim_date]", "2014-01")
    page.click("#save-testimony")
    page.wait_for_url(f"{live_server.url}/persons/{target.pk}/")
    assert "Testimony" in page.inner_text("main")
    assert Person.objects.filter(canonical_id=target.pk).count() == 2


def test_draft_survives_a_reload(page, live_server, people):
    """What was typed is still there after a reload."""
    page.goto(f"{live_server.url}/intake/")
    with page.expect_response(lambda r: "/intake/draft/" in r.url):
        page.fill("#summary", "Synthetic half-typed account")
        page.locator("#summary").blur()
    page.reload()
    assert page.input_value("#summary") == "Synthetic half-typed account"


@pytest.mark.parametrize("query", ["Ильхам Тохти", "ئىلھام توختى", "Ilham Tohti", "伊力哈木·土赫提"])
def test_search_in_each_script(page, live_server, people, query):
    """The search box finds the person from a rendering in each script, highlighting the matched one."""
    page.goto(f"{live_server.url}/")
    page.fill("input[name=q]", query)
    page.press("input[name=q]", "Enter")
    page.locator("table.results mark").first.wait_for()
    text = page.inner_text("table.results")
    assert "伊力哈木·土赫提" in text or "Ilham Tohti" in text
    assert "Тұрсынқызы" not in text


def test_merge_and_unmerge_from_the_review_queue(page, live_server, people):
    """A reviewer merges a proposed pair with the keyboard, then unmerges it from the person page."""
    a, b = people[0], people[1]
    Match.objects.create(person_a=a, person_b=b, probability=0.98, match_weight=6.0, model_version="test", field_weights={"name": 7.5, "birth": 2.1, "sex": 0.4})
    page.goto(f"{live_server.url}/review/")
    page.locator("svg.bar").first.wait_for()
    with page.expect_navigation():
        page.keyboard.press("a")
    assert Person.objects.get(pk=b.pk).canonical_id == a.pk
    page.goto(f"{live_server.url}/persons/{a.pk}/")
    with page.expect_navigation():
        page.click("text=Unmerge")
    assert Person.objects.get(pk=b.pk).canonical_id == b.pk


def test_uyghur_interface_is_right_to_left(page, live_server, people):
    """In Uyghur the page runs right to left: the document direction is rtl and the navigation starts at the right."""
    page.goto(f"{live_server.url}/search/?lang=ug")
    assert page.evaluate("document.documentElement.dir") == "rtl"
    assert page.evaluate("getComputedStyle(document.querySelector('main')).direction") == "rtl"
    brand = page.locator("header .brand").bounding_box()
    tools = page.locator("header .tools").bounding_box()
    assert brand["x"] > tools["x"], "the brand should sit at the right in a right-to-left layout"
    page.goto(f"{live_server.url}/search/?lang=en")
    assert page.evaluate("document.documentElement.dir") == "ltr"
