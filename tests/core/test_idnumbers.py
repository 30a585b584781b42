import datetime as dt

from stdnum.cn import ric

from vigil.core.idnumbers import Scheme, check, check_cn_ric


def with_check_digit(first17: str) -> str:
    return first17 + ric.calc_check_digit(first17 + "0")


def test_valid_number_is_decoded():
    """A valid number gives its birth date, sex and county."""
    number = with_check_digit("65402119780312001")
    result = check_cn_ric(number)
    assert result.valid and not result.problems
    assert result.birth_date == dt.date(1978, 3, 12)
    assert result.sex == "m"
    assert result.county_code == "654021"
    assert result.county_name == "伊宁县"


def test_county_code_newer_than_birth_year_is_accepted():
    """650102 (Tianshan district, from 1983) with a 1980 birth date is genuine; stdnum alone rejects it."""
    number = with_check_digit("65010219800312002")
    assert not ric.is_valid(number)
    result = check_cn_ric(number)
    assert result.valid
    assert result.sex == "f"
    assert result.county_name == "天山区"
    assert any("not in use in the birth year" in n for n in result.notes)


def test_fifteen_digit_number_is_upgraded():
    """A first-generation 15-digit number is decoded and compared in its 18-digit form."""
    result = check_cn_ric("654021780312001")
    assert result.valid
    assert result.normalized == with_check_digit("65402119780312001")
    assert result.birth_date == dt.date(1978, 3, 12)


def test_wrong_check_digit_is_flagged_not_dropped():
    """A number with a wrong check digit keeps its value and says why it failed."""
    good = with_check_digit("65402119780312001")
    bad = good[:-1] + ("0" if good[-1] != "0" else "1")
    result = check_cn_ric(bad)
    assert not result.valid
    assert result.value == bad
    assert "check digit" in result.problem
    assert result.birth_date == dt.date(1978, 3, 12)


def test_bad_shapes_are_explained():
    """Wrong length, letters, impossible dates and unknown counties each get their own reason."""
    assert "18" in check_cn_ric("12345").problem
    assert "digits" in check_cn_ric("65402119780312A01X").problem
    assert "not a real date" in check_cn_ric(with_check_digit("65402119781332001")).problem
    assert "not in the GB/T 2260 table" in check_cn_ric(with_check_digit("65999919780312001")).problem


def test_separators_and_lower_x_are_normalised():
    """Spaces, dashes and a lower-case x do not change the number."""
    number = with_check_digit("65402119780312001")
    spaced = f"{number[:6]} {number[6:14]}-{number[14:]}".lower()
    assert check(spaced, scheme="cn_ric").normalized == number


def test_kazakh_iin():
    """A Kazakh IIN is checked and its birth date and sex decoded."""
    digits = [int(c) for c in "78031230012"]
    c = sum(d * w for d, w in zip(digits, range(1, 12))) % 11
    if c == 10:
        c = sum(d * w for d, w in zip(digits, [3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2])) % 11
    iin = "78031230012" + str(c)
    result = check(iin, scheme=Scheme.KZ_IIN)
    if c == 10:  # no valid IIN with this body exists
        assert not result.valid
    else:
        assert result.valid and result.birth_date == dt.date(1978, 3, 12) and result.sex == "m"
    assert not check("123", scheme="kz_iin").valid
