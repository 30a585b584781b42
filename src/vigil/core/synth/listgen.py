"""A "leaked list": rows of a police spreadsheet in Chinese, with identity numbers.

It names part of the population (persons some relative testified about) and persons nobody
testified about. Names are written as the police write them (given·father, Hui surname+given),
sometimes with another transcription of the same sound (麦麦提 for 买买提).
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from vigil.core.synth.claims import first_custody
from vigil.core.synth.people import Person
from vigil.core.synth.render import NameParts, available, render, typo

LIST_COLUMNS = ("row_id", "姓名", "身份证号", "性别", "出生日期", "户籍地", "关押地点", "收押日期", "原因")

_REASONS = {"类别A": 30, "类别B": 25, "类别C": 15, "类别D": 12, "类别E": 8, "类别F": 6, "类别G": 4}
_SEX = {"m": "男", "f": "女"}

# Other characters for the same sounds, as different police stations write them.
_VARIANTS = (("买买提", "麦麦提"), ("阿不都", "阿布都"), ("吐尔逊", "图尔荪"), ("古丽", "古力"), ("热依", "热衣"),
             ("艾合买提", "艾海提"), ("赛力克", "赛里克"))


def listable(p: Person) -> bool:
    """A person can be on the list when the police would have their number, name and custody."""
    parts = NameParts(p.given, None if p.surname else p.father, p.surname, p.sex, p.ethnicity)
    return p.id_number is not None and available(parts, "chinese") and first_custody(p.events) is not None


@dataclass(slots=True)
class ListMaker:
    rng: random.Random
    row_no: int = 0

    def row(self, p: Person) -> tuple[dict[str, str], dict[str, str]]:
        """The list row for ``p`` (which must be ``listable``) and its flat record."""
        rng = self.rng
        assert p.id_number is not None
        custody = first_custody(p.events)
        assert custody is not None and custody.facility is not None
        self.row_no += 1
        row_id = f"L{self.row_no:06d}"
        parts = NameParts(p.given, None if p.surname else p.father, p.surname, p.sex, p.ethnicity)
        name = render(parts, "chinese", rng).text
        if p.surname is None:
            name = name.replace("•", "·").replace(".", "·").replace("・", "·")
            if "·" not in name:
                name = f"{p.given.form('chinese')}·{p.father.form('chinese')}"
        if rng.random() < 0.15:
            for standard, variant in _VARIANTS:
                name = name.replace(standard, variant)
        if rng.random() < 0.05:
            name = typo(name, rng)
        birth = p.id_number[6:14] if rng.random() < 0.9 else ""
        held = custody.start.isoformat() if rng.random() < 0.95 else ""
        row = {
            "row_id": row_id,
            "姓名": name,
            "身份证号": p.id_number,
            "性别": _SEX[p.sex] if rng.random() < 0.97 else "",
            "出生日期": birth,
            "户籍地": p.hometown.name_zh,
            "关押地点": custody.facility.name_zh,
            "收押日期": held,
            "原因": rng.choices(list(_REASONS), weights=list(_REASONS.values()))[0],
        }
        record = {"id": row_id, "full_name": name, "given_name": "", "father_name": "", "family_name": "",
                  "birth_date": f"{birth[:4]}-{birth[4:6]}-{birth[6:]}" if birth else "",
                  "birth_year": birth[:4], "sex": p.sex if row["性别"] else "", "ethnicity": "",
                  "id_number": p.id_number, "place": "", "address": p.hometown.name_zh,
                  "facility": row["关押地点"], "detained_date": held}
        return row, record
