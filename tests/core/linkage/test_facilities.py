"""Facility names read as kind, place and number: one key for one facility in any script."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import pytest

from vigil.core.linkage.facilities import FacilityName, parse_facility
from vigil.core.linkage.features import facility_key, prepare_record

CASES = Path(__file__).parents[2] / "testdata" / "linkage" / "facility-names.tsv"


def _groups() -> dict[str, list[str]]:
    groups: dict[str, list[str]] = defaultdict(list)
    for line in CASES.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            group, name, *_note = line.split("\t")
            groups[group].append(name)
    return groups


GROUPS = _groups()


@pytest.mark.parametrize("group", sorted(GROUPS))
def test_the_names_of_one_facility_give_one_key(group: str) -> None:
    keys = {name: facility_key(name) for name in GROUPS[group]}
    assert len(set(keys.values())) == 1, keys
    assert not next(iter(keys.values())).startswith("?:")


def test_different_facilities_give_different_keys() -> None:
    keys = {group: facility_key(names[0]) for group, names in GROUPS.items()}
    assert len(set(keys.values())) == len(keys), keys


@pytest.mark.parametrize(("text", "parsed"), [
    ("阿瓦提县第二职业技能教育培训中心", FacilityName("camp", "阿瓦提县", 2)),
    ("泽普县第十二看守所", FacilityName("detention_centre", "泽普县", 12)),
    ("Prison No. 3 of Kashgar", FacilityName("prison", "kashgar", 3)),
    ("某看守所", FacilityName("detention_centre", "", 1)),  # "a certain detention centre": no place
])
def test_a_name_is_split_into_kind_place_and_number(text: str, parsed: FacilityName) -> None:
    assert parse_facility(text) == parsed


def test_a_name_without_the_pattern_is_compared_as_written() -> None:
    """A nickname or an unplaced name keeps its own folded text: it agrees only with itself."""
    assert facility_key("the camp by the river") != facility_key("the camp by the lake")
    assert facility_key("某看守所") == facility_key("某看守所") != facility_key("某拘留所")
    assert facility_key("某看守所").startswith("?:") and facility_key("") is None


def test_a_record_may_name_several_facilities() -> None:
    """A person moved from a camp to a prison: the record keeps both, once each."""
    rec = prepare_record({"id": "1", "facility": "喀什监狱;Kashgar Prison; Awati County Detention Centre No. 2"})
    assert rec.facility == (facility_key("喀什监狱"), facility_key("阿瓦提县第二看守所"))
    listed = prepare_record({"id": "2", "facility": ["阿瓦提县第二看守所", "喀什监狱"]})
    assert set(listed.facility) == set(rec.facility)
