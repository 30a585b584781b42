"""Training vigil's linkage model without labels: the prior, u by random sampling, m by EM (Splink).

See docs/linkage.md ("Training without labels") for why the EM sessions are blocked as they are.
"""

from __future__ import annotations

import copy
import dataclasses
import logging
from collections import Counter
from collections.abc import Callable, Sequence
from typing import Any

from splink.internals.constants import LEVEL_NOT_OBSERVED_TEXT

from vigil.core.linkage.features import PreparedRecord

Progress = Callable[[str], None]
#: The blocking rules of the EM sessions. Each session trains the comparisons its rule does not use, and EM
#: separates matches from non-matches only where most pairs of a block are one person and several other
#: fields tell: pairs sharing an identity number train names, birth dates, sex and places; pairs sharing the
#: name, birth year and county train identity numbers, sex and ethnicity. Blocks of namesakes (same name
#: and county only) leave one informative field, and EM then took namesakes for matches.
EM_SESSIONS: tuple[tuple[str, ...], ...] = (("id_number",), ("nm_ordered", "birth_year", "county"))
#: Sessions, in turn, for the comparisons no earlier session trained (records without identity numbers, small
#: data): these blocks hold more namesakes, so they never change a comparison an earlier session trained.
EM_FALLBACK_SESSIONS: tuple[tuple[str, ...], ...] = (
    ("birth_date",), ("county", "birth_year"), ("birth_year",), ("nm_block",))
#: The fewest pairs an EM session of EM_SESSIONS needs to run.
MIN_EM_PAIRS = 1000
#: The most record pairs u is estimated on (Splink's random sampling); fewer for small inputs.
U_SAMPLE_PAIRS = 5e6
#: The seed of that sampling, so that a run can be repeated.
U_SEED = 1
#: EM's iterations, in turn, while EM drives some m to nothing (see _em_session); Splink's default first.
EM_ITERATIONS = (25, 12, 6, 3, 1)
#: The least m a level keeps after EM (see train).
M_FLOOR = 1e-3


def _is_trained(comparison: Any) -> bool:
    """Whether EM gave some level of the comparison an m."""
    return any(lvl._m_probability not in (None, LEVEL_NOT_OBSERVED_TEXT)  # noqa: SLF001
               for lvl in comparison.comparison_levels if not lvl.is_null_level)


def _underflow(exc: Exception) -> bool:
    """Whether Splink refused an m or u that EM drove below what a float can hold (see _em_session)."""
    return isinstance(exc, ValueError) and "below the minimum allowed" in str(exc)


def _em_session(linker: Any, rule: tuple[str, ...], progress: Progress) -> None:
    from splink import block_on  # noqa: PLC0415

    progress(f"estimating m by EM (blocked on {' and '.join(rule)})")
    saved = copy.deepcopy(linker._settings_obj)  # noqa: SLF001
    full = saved.training_settings
    # EM can drive the m of a level that only its non-matches show towards 0, and Splink 5 refuses an m below
    # 1e-300 instead of keeping it. The session is then run again with fewer iterations, stopping before
    # that happens: train() floors m at M_FLOOR afterwards anyway. Dropping the session instead lost the only
    # one that trained the birth dates on a few hundred records (EM_FALLBACK_SESSIONS), and with it every
    # birth-year weight: F1 0.86 instead of 0.93 on gen_crossscript's task from other real names.
    for iterations in EM_ITERATIONS:
        linker._settings_obj.training_settings = dataclasses.replace(full, max_iterations=iterations)  # noqa: SLF001
        try:
            linker.training.estimate_parameters_using_expectation_maximisation(
                block_on(*rule), estimate_without_term_frequencies=True, max_pairs=2e6)
        except Exception as exc:  # noqa: BLE001
            # A column these data lack gives EM nothing to learn from: the session is dropped and the model
            # is as before it (a failed session leaves Splink's settings half-changed).
            linker._settings_obj = copy.deepcopy(saved)  # noqa: SLF001
            logging.getLogger(__name__).info("EM blocked on %s, %d iterations, failed: %s", rule, iterations, exc)
            if not _underflow(exc):
                break
        else:
            break
    linker._settings_obj.training_settings = full  # noqa: SLF001


def block_pairs(records: Sequence[PreparedRecord], rule: tuple[str, ...]) -> int:
    """How many pairs of records agree on every column of ``rule`` (all known): the size of an EM session."""
    counts = Counter(key for r in records if None not in (key := tuple(getattr(r, c) for c in rule)))
    return sum(n * (n - 1) // 2 for n in counts.values())


def train(linker: Any, records: Sequence[PreparedRecord], progress: Progress) -> None:
    """Estimate the model's parameters on ``records`` (a Splink linker over them), in place; no labels."""
    n_records = len(records)
    progress("estimating how often two records match")
    try:
        linker.training.estimate_probability_two_random_records_match(
            ["l.id_number = r.id_number", "l.nm_sorted = r.nm_sorted AND l.birth_year = r.birth_year"], recall=0.7)
    except Exception:  # noqa: BLE001  (no deterministic matches: keep Splink's default prior)
        pass
    progress("estimating u by random sampling")
    linker.training.estimate_u_using_random_sampling(max_pairs=min(U_SAMPLE_PAIRS, max(1e5, n_records * 20.0)), seed=U_SEED)
    for rule in EM_SESSIONS:
        # A handful of pairs is no sample: a level they happen not to show would count as evidence against.
        if block_pairs(records, rule) >= MIN_EM_PAIRS:
            _em_session(linker, rule, progress)
    settings = linker._settings_obj  # noqa: SLF001
    trained = {c.output_column_name for c in settings.comparisons if _is_trained(c)}
    for rule in EM_FALLBACK_SESSIONS:
        settings = linker._settings_obj  # noqa: SLF001
        done = {c.output_column_name for c in settings.comparisons if _is_trained(c)}
        if len(done) == len(settings.comparisons):
            break
        # A fallback session only trains what no earlier session did.
        kept = {c.output_column_name: copy.deepcopy(c) for c in settings.comparisons if c.output_column_name in done}
        _em_session(linker, rule, progress)
        settings = linker._settings_obj  # noqa: SLF001
        settings.comparisons = [kept.get(c.output_column_name, c) for c in settings.comparisons]
    # Write the effective m/u of every level (Splink's defaults for untrained ones) into the model, so
    # that the saved file alone reproduces every score.
    for comparison in linker._settings_obj.comparisons:  # noqa: SLF001
        levels = [lvl for lvl in comparison.comparison_levels if not lvl.is_null_level]
        for level in levels:
            level.u_probability = level.u_probability
            unseen = level._m_probability in (None, LEVEL_NOT_OBSERVED_TEXT)  # noqa: SLF001
            if unseen and comparison.output_column_name not in trained:
                # A level only a fallback session (few or mixed pairs) trained, or none, says nothing when
                # unseen: neutral (m = u), not Splink's m = 1e-6 (weight -90).
                level.m_probability = level.u_probability
            else:
                # A level the near-certain matches of EM_SESSIONS never showed (birth years ten years apart) is
                # evidence against,
                # but bounded: EM may drive m to ~0, and a weight of -60 would forbid a link on one typo.
                level.m_probability = M_FLOOR if unseen else max(level.m_probability, M_FLOOR)


#: Significant digits the trained probabilities keep (see :func:`settled`).
DIGITS = 12


def settled(settings: dict[str, Any]) -> dict[str, Any]:
    """Splink's trained settings with every m, u and the prior rounded to DIGITS significant digits, in place.

    DuckDB sums in parallel, in an order that varies from run to run: training twice on the same records gave
    m values that differ in their 16th digit (0.8292970655740578 and ...577), and so two model ids for one
    model, with identical scores. Rounded, the same records give the same model and id; a score moves by about
    1e-12 of itself.
    """
    def rounded(value: Any) -> Any:
        return float(f"{value:.{DIGITS}g}") if isinstance(value, float) else value

    settings["probability_two_random_records_match"] = rounded(settings.get("probability_two_random_records_match"))
    for comparison in settings.get("comparisons", []):
        for level in comparison.get("comparison_levels", []):
            for key in ("m_probability", "u_probability"):
                if key in level:
                    level[key] = rounded(level[key])
    return settings
