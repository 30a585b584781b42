"""Arabic-script name parts: Uyghur (UEY) and the Kazakh Arabic script used by Kazakhs in China.

umsc converts Uyghur Arabic script to Uyghur Latin (ULY). The Kazakh Arabic script and Arabic loan
spellings use a few letters Uyghur does not (ع ح ٴ); data/arabic.tsv maps them to Uyghur letters first.
"""

from __future__ import annotations

import re
from functools import lru_cache

from umsc import UgMultiScriptConverter

from ._data import read_tsv

_PREMAP = {row["from"]: row["to"] for row in read_tsv("arabic.tsv")}
_PREMAP_RE = re.compile("|".join(sorted(map(re.escape, _PREMAP), key=len, reverse=True)))
# umsc keeps state: a converter called with explicit scripts changes its target for later calls,
# so this module owns one converter, used in one direction only.
_TO_ULY = UgMultiScriptConverter("UAS", "ULS")
_WORD_FINAL_YEH = re.compile("ي$")
# Initial ع before a consonant letter is the Arabic spelling of a vowel onset (عبدۇ = Abdu); before a vowel
# letter it is Kazakh ғ (عالىم = Ғалым).
_INITIAL_AIN = re.compile("^ع(?=[^اەوۇۆۈىېئ])")


@lru_cache(maxsize=65536)
def romanize_token(token: str) -> str:
    """ULY (Uyghur Latin) for one Arabic-script name part: ئىلھام -> ilham, قاسىم -> qasim."""
    s = _INITIAL_AIN.sub("ئا", token)
    s = _PREMAP_RE.sub(lambda m: _PREMAP[m.group(0)], s)
    s = _WORD_FINAL_YEH.sub("ى", s)  # Arabic/Persian final yeh is the vowel i in a name
    out: str = _TO_ULY(s)
    # Letters umsc does not know would survive in Arabic script; drop them rather than mis-read them.
    return "".join(ch for ch in out if ch.isascii() or ch in "éöüÉÖÜ")


def phonetic(token: str) -> str:
    """The phonetic Latin of an Arabic-script name part, ready for folding."""
    return romanize_token(token).lower().replace("é", "e").replace("ö", "o").replace("ü", "u")
