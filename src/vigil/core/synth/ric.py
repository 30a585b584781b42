"""Valid synthetic Chinese resident identity numbers (GB 11643-1999).

18 characters: six-digit division code, birth date YYYYMMDD, a three-digit sequence that is odd
for men and even for women, and a check character. The lead's ``vigil.core.idnumbers`` parses
and validates numbers; this helper only makes them, with stdnum's own check-digit function.
"""

from __future__ import annotations

import random
from datetime import date

from stdnum.cn.ric import calc_check_digit


def make_ric(*, code: str, birth: date, sex: str, rng: random.Random) -> str:
    """A valid number for a person of ``sex`` ("m"/"f") born on ``birth`` and registered in ``code``."""
    sequence = rng.randrange(0, 500) * 2 + (1 if sex == "m" else 0)
    if sequence == 0:
        sequence = 2
    body = f"{code}{birth:%Y%m%d}{sequence:03d}"
    return body + calc_check_digit(body + "0")


def corrupt_ric(number: str, rng: random.Random) -> str:
    """The number as a hurried transcriber might copy it: one digit changed or two swapped."""
    chars = list(number)
    i = rng.randrange(0, 17)
    if rng.random() < 0.5 and i < 16 and chars[i] != chars[i + 1]:
        chars[i], chars[i + 1] = chars[i + 1], chars[i]
    else:
        chars[i] = str((int(chars[i]) + rng.randrange(1, 10)) % 10)
    return "".join(chars)
