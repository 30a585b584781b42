import pytest
from tests.conftest import grant, testimony_line
from vigil.core.intake import parse_testimony
from vigil.records.services import testimony_record


@pytest.fixture
def staff(db, django_user_model):
    """A volunteer who records testimonies and decides matches."""
    user = django_user_model.objects.create_user(username="volunteer", password="x-unused-x")
    return grant(user, "editor", "reviewer")


@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff)
    return client


@pytest.fixture
def recorded(places, staff):
    """Two records of one synthetic person (Chinese characters and Latin) and one other person."""
    out = []
    for n, names, birth in ((1, ["伊力哈木·土赫提"], "1969"), (2, ["Ilham Tohti"], "1969"), (3, ["Gulnar Tursun"], "1985")):
        line = testimony_line(ref=f"T{n}")
        line["testifier"] = {"ref": f"W{n}", "name": f"Synthetic Witness {n}"}
        line["persons"][0].update({"ref": f"R{n}", "names": [{"text": t} for t in names], "birth_date": birth})
        line["persons"][0]["identity_numbers"] = []
        out.append(testimony_record(actor=staff, draft=parse_testimony(line)[0]).persons.get())
    return out
