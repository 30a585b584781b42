"""Cross-script name matching for Turkic names in Cyrillic, Latin, Arabic script and Chinese characters.

The same man is Ілхам/Ильхам, Ilham, ئىلھام and 伊力哈木: every rendering is romanised, then folded
into one phonetic key per name part (``fold.py``, ``data/fold.tsv``), and names are compared part by part,
in any order (``similarity.py``).

Chinese names of Han and Hui persons are read too: 王有才, Wang Youcai and Ван Юцай (Palladius) are one name of
two parts, family name and given name (``han.py``: ``data/han_surnames.tsv``; ``cyrillic.py``: pypinyin's
Palladius spellings). A part may have several readings where a script cannot show a sound (Chinese has no
h before a vowel and no final m: 艾山 Hesen, 伊斯兰 Islam); each is a form it is compared under.

Public API (options are keyword-only):

- :func:`detect_script` -> :class:`Script`
- :func:`romanize` -> readable Latin for display
- :func:`match_keys` -> ≤ 8 blocking keys; renderings of one name share at least one
- :func:`similarity` -> score in [0, 1]; ``>= MATCH_THRESHOLD`` means the same name
- :func:`prepare` -> :class:`PreparedName`, for fast repeated comparison
- :func:`explain` -> :class:`Explanation`, the part alignment for the review screen
- :func:`split_name` -> :class:`NameParts` (given, father, family, affixes)

``MATCH_THRESHOLD`` (0.80) was set on real renderings of public figures' names (names-dev: recall of
same-person pairs 0.98, false matches on same-given-name impostors under 1%).
"""

from .explain import AlignedPart, Explanation, explain
from .keys import MAX_KEYS, match_keys
from .prepared import Part, PreparedName, prepare
from .scripts import Script, detect_script
from .similarity import MATCH_THRESHOLD, similarity
from .split import romanize, split_name
from .structure import Kind, NameParts

__all__ = [
    "MATCH_THRESHOLD", "MAX_KEYS", "AlignedPart", "Explanation", "Kind", "NameParts", "Part", "PreparedName",
    "Script", "detect_script", "explain", "match_keys", "prepare", "romanize", "similarity", "split_name",
]
