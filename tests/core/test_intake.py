from tests.conftest import testimony_line
from vigil.core.intake import parse_testimony


def test_valid_line_becomes_a_draft():
    """A valid testimony object gives a draft with its persons, names, numbers and claims."""
    draft, errors = parse_testimony(testimony_line())
    assert errors == []
    assert draft is not None
    person = draft.persons[0]
    assert [n.text for n in person.names] == ["Ерлан Серікұлы", "叶尔兰·赛力克"]
    assert person.birth is not None and person.birth.precision.value == "year"
    assert [c.type for c in person.claims] == ["detained", "held_at", "sentenced"]
    assert person.claims[1].facility is not None and person.claims[1].facility.name.startswith("Synthetic")
    assert person.claims[2].term_months == 120


def test_every_problem_is_reported_with_its_field():
    """All problems of one line are reported, each with the path of its field."""
    line = testimony_line(consent="maybe", date="2019-13-01", extra=1)
    line["persons"][0]["names"][0]["kind"] = "nickname"
    line["persons"][0]["claims"][0]["type"] = "vanished"
    line["persons"][0]["citizenship"] = ["China"]
    del line["testifier"]
    draft, errors = parse_testimony(line)
    assert draft is None
    paths = {e.path for e in errors}
    assert paths == {
        "consent", "date", "extra", "testifier", "persons[0].names[0].kind",
        "persons[0].claims[0].type", "persons[0].citizenship[0]",
    }


def test_missing_persons_and_wrong_types():
    """A testimony needs persons; fields of the wrong type are named."""
    _, errors = parse_testimony({"date": 2019, "consent": "none", "testifier": "x", "persons": []})
    messages = {e.path: e.message for e in errors}
    assert messages["date"].startswith("must be text")
    assert messages["testifier"].startswith("must be an object")
    assert messages["persons"] == "must have at least one entry"
    _, errors = parse_testimony([1, 2])
    assert errors[0].message.startswith("must be an object")


def test_claim_dates_must_be_in_order():
    """A claim cannot end before it begins."""
    line = testimony_line()
    line["persons"][0]["claims"][1]["date_end"] = "2017"
    _, errors = parse_testimony(line)
    assert [e.path for e in errors] == ["persons[0].claims[1].date_end"]
