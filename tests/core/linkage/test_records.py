"""Reading the CSV linker's input and computing features."""

from __future__ import annotations

from pathlib import Path

import pytest

from vigil.core.linkage import InputError, prepare_record, read_records, resolve_place


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "in.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_malformed_date_names_file_row_and_column(data: Path) -> None:
    """A date that is not ISO, YYYY or YYYYMMDD stops the reading at its file, row and column."""
    with pytest.raises(InputError) as err:
        read_records(data / "bad-date.csv")
    assert err.value.row == 3 and err.value.column == "birth_date"
    assert "bad-date.csv" in str(err.value) and "row 3" in str(err.value) and "birth_date" in str(err.value)


def test_missing_id_column_and_duplicate_ids_are_errors(tmp_path: Path) -> None:
    """A file without an id column, an empty id or an id used twice is refused with its place."""
    with pytest.raises(InputError, match="row 1, column 'id'"):
        read_records(_write(tmp_path, "name\nx\n"))
    with pytest.raises(InputError, match="row 3, column 'id'.*row 2"):
        read_records(_write(tmp_path, "id,full_name\n1,A\n1,B\n"))
    with pytest.raises(InputError, match="row 2, column 'sex'"):
        read_records(_write(tmp_path, "id,sex\n1,q\n"))
    with pytest.raises(InputError, match="row 2, column 'birth_year'"):
        read_records(_write(tmp_path, "id,birth_year\n1,about 1970\n"))
    with pytest.raises(InputError, match="row 3, column 'detained_date'.*'spring 2018' is not a date"):
        read_records(_write(tmp_path, "id,detained_date\n1,~2018\n2,spring 2018\n"))


def test_dates_are_read_at_their_precision(tmp_path: Path) -> None:
    """ISO and YYYYMMDD dates keep their day; a year keeps only the year."""
    rows = read_records(_write(tmp_path, "id,birth_date\n1,1971-03-14\n2,19710314\n3,1971\n4,\n"))
    assert [r["birth_date"] for r in rows] == ["19710314", "19710314", "1971", None]


def test_an_identity_number_fills_the_birth_year_sex_and_county_a_record_lacks() -> None:
    """A valid identity number is normalised; the birth year, sex and county it encodes fill the record's own
    where they are missing (not the full date: see complete_record), and make the blocking keys."""
    rec = prepare_record({"id": "1", "full_name": "阿不都外力·吐尔逊", "id_number": "6531 0119 7103 1432 13"})
    assert rec.id_number == "653101197103143213"
    assert (rec.birth_date, rec.birth_year, rec.sex, rec.county, rec.prefecture) == (None, 1971, "m", "653101", "653100")
    assert rec.nm_years and all(k.endswith("|1971") for k in rec.nm_years)
    assert rec.nm_places and all(k.endswith("|653101") for k in rec.nm_places)



def test_a_number_from_a_renumbered_county_agrees_with_its_name() -> None:
    """鄯善县 was 652122 until Turpan's counties were renumbered (now 650421): a number issued before still
    names the county by its old code. Its county is read as a place, so it agrees with "Shanshan" by place
    text, not contradicts it."""
    from vigil.core.linkage.comparisons import all_comparisons

    old = prepare_record({"id": "1", "full_name": "Rehim Hesen", "id_number": "652122199102177630"})
    named = prepare_record({"id": "2", "full_name": "Rehim Hesen", "place": "Shanshan"})
    assert (old.county, old.prefecture, named.county) == ("652122", "652100", "650421")
    assert old.place_key == named.place_key
    place = next(c for c in all_comparisons() if c.name == "place")
    assert place.levels[place.level_of(old, named)].label == "same place text"

def test_what_a_record_says_itself_is_kept_over_its_identity_number() -> None:
    """A record's own birth year, sex and place are what its witness said: the number does not overwrite them."""
    rec = prepare_record({"id": "1", "full_name": "Abduweli Tursun", "id_number": "653101197103143213",
                          "birth_date": "1972", "birth_year": 1972, "sex": "f", "place": "Zepu"})
    assert (rec.birth_year, rec.sex, rec.county) == (1972, "f", "653124")


def test_an_invalid_identity_number_fills_nothing() -> None:
    """A number whose check digit is wrong is kept, normalised, but decodes to nothing."""
    rec = prepare_record({"id": "1", "full_name": "Abduweli Tursun", "id_number": "653101197103143214"})
    assert rec.id_number == "653101197103143214"
    assert (rec.birth_year, rec.sex, rec.county, rec.nm_years, rec.nm_places) == (None, None, None, (), ())


def test_a_place_in_any_script_resolves_to_one_county() -> None:
    """泽普县, Zepu and Зэпу are one county (653124)."""
    assert resolve_place("泽普县")[0] == "653124"
    assert resolve_place("Zepu")[0] == "653124"
    assert resolve_place("Зэпу")[0] == "653124"


def test_names_in_different_scripts_share_blocking_keys() -> None:
    """A name in Latin and in Chinese characters shares name-pair keys, so blocking keeps the pair."""
    a = prepare_record({"id": "a", "full_name": "Ilham Tohti"})
    b = prepare_record({"id": "b", "full_name": "伊力哈木·土赫提"})
    assert set(a.nm_pairs) & set(b.nm_pairs)


def test_common_blocking_keys_are_narrowed_by_the_birth_year() -> None:
    """A name key shared by more records than MAX_BLOCK is joined to the birth year; without a year it goes."""
    from vigil.core.linkage.blocking import MAX_BLOCK, refine_blocking_keys

    recs = [prepare_record({"id": str(i), "full_name": "Memet Tursun", "birth_year": 1960 + i % 3})
            for i in range(MAX_BLOCK + 1)]
    recs.append(prepare_record({"id": "x", "full_name": "Memet Tursun"}))
    refine_blocking_keys(recs)
    assert all(k.endswith(str(r.birth_year)) for r in recs[:-1] for k in r.nm_pairs)
    assert not recs[-1].nm_pairs


def test_exonyms_of_places_resolve() -> None:
    """Kashgar, Қашқар and قەشقەر are Kashgar city (653101); Ghulja is Yining city."""
    assert {resolve_place(t)[0] for t in ("Kashgar", "Қашқар", "قەشقەر", "喀什市")} == {"653101"}
    assert resolve_place("Ghulja")[0] == "654002"


def test_a_key_still_common_within_one_year_is_narrowed_by_the_prefecture() -> None:
    """When more than MAX_BLOCK records share a name and a birth year, the key also takes the prefecture: the
    records of one prefecture keep a shared key, the others no longer share it with them."""
    from vigil.core.linkage.blocking import MAX_BLOCK, refine_blocking_keys

    places = ("653101", "654002")  # Kashgar city, Yining city: two prefectures
    recs = [prepare_record({"id": str(i), "full_name": "Memet Tursun", "birth_year": 1970, "place": places[i % 2]})
            for i in range(2 * MAX_BLOCK + 4)]
    refine_blocking_keys(recs)
    kashgar, yining = set(recs[0].nm_pairs), set(recs[1].nm_pairs)
    assert kashgar and yining and not kashgar & yining
    assert all(k.endswith("|1970|653100") for k in kashgar)


def test_a_name_part_a_facility_and_the_year_of_detention_block_records_without_a_birth_year() -> None:
    """A relative's record without a birth year and the list row of the same person meet through the facility,
    named in two scripts, and the year of detention, even when their common name is narrowed away."""
    from vigil.core.linkage.blocking import MAX_BLOCK, refine_blocking_keys
    from vigil.core.linkage.comparisons import BLOCKING_RULES

    crowd = [prepare_record({"id": str(i), "full_name": "Memet Tursun", "birth_year": 1950 + i % 40})
             for i in range(MAX_BLOCK + 1)]
    relative = prepare_record({"id": "r", "full_name": "Memet Tursun", "facility": "Awati County Detention Centre",
                               "detained_date": "2018-03"})
    listed = prepare_record({"id": "l", "full_name": "麦麦提·吐尔逊", "birth_year": 1970,
                             "facility": "阿瓦提县看守所", "detained_date": "2018-03-26"})
    elsewhere = prepare_record({"id": "e", "full_name": "Memet Tursun", "facility": "喀什监狱",
                                "detained_date": "2018-03-26"})
    refine_blocking_keys([*crowd, relative, listed, elsewhere])
    rules = {r.name: r for r in BLOCKING_RULES}
    assert [name for name, rule in rules.items() if rule.holds(relative, listed)] == ["a name part and a facility agree"]
    assert not any(rule.holds(relative, elsewhere) for rule in BLOCKING_RULES)


def test_a_short_name_blocks_with_a_facility_and_the_year_of_detention() -> None:
    """A name of one or two consonants (Abai: "b") is no blocking key with the birth year or the county alone,
    but with a facility and the year of detention it is: "Abai" and "Абай Ахметов", held in one detention
    centre named in two scripts and taken the same year, are a candidate pair; taken another year, not."""
    from vigil.core.linkage.comparisons import BLOCKING_RULES

    relative = prepare_record({"id": "r", "full_name": "Abai", "birth_year": 1970,
                               "facility": "Awati County Detention Centre", "detained_date": "2018-03"})
    listed = prepare_record({"id": "l", "full_name": "Абай Ахметов", "facility": "阿瓦提县看守所",
                             "detained_date": "2018-03-26"})
    later = prepare_record({"id": "x", "full_name": "Абай Ахметов", "facility": "阿瓦提县看守所",
                            "detained_date": "2020-01-02"})
    assert [r.name for r in BLOCKING_RULES if r.holds(relative, listed)] == ["a name part and a facility agree"]
    assert not any(r.holds(relative, later) for r in BLOCKING_RULES)


def test_the_whole_name_and_the_county_block_a_record_without_a_birth_year() -> None:
    """A common name's part keys are narrowed by the birth year and dropped where it is missing; the whole name
    with the county still brings the relative's record and the list row of the same name together."""
    from vigil.core.linkage.blocking import MAX_BLOCK, refine_blocking_keys
    from vigil.core.linkage.comparisons import BLOCKING_RULES

    crowd = [prepare_record({"id": str(i), "full_name": "Nurlan Ali", "birth_year": 1950 + i % 40, "place": "654321"})
             for i in range(MAX_BLOCK + 1)]
    relative = prepare_record({"id": "r", "full_name": "Нұрлан Әлі", "place": "654321"})
    listed = prepare_record({"id": "l", "full_name": "نۇرلان ئالى", "birth_year": 1976, "place": "654321"})
    refine_blocking_keys([*crowd, relative, listed])
    assert [r.name for r in BLOCKING_RULES if r.holds(relative, listed)] == ["the name and the county agree"]
