"""EM sessions (linkage.training): what happens when EM drives an m below what Splink accepts."""

from __future__ import annotations

from dataclasses import dataclass, field

from splink.internals.settings import TrainingSettings

from vigil.core.linkage import training

UNDERFLOW = ("m_probability value 5e-324 is below the minimum allowed value of 1e-300. Values this small cannot be "
             "represented accurately as float64 and will underflow to 0.0. Please use a value >= 1e-300.")


@dataclass
class _Settings:
    training_settings: TrainingSettings = field(default_factory=lambda: TrainingSettings(0.0001, 25))
    trained_with: int | None = None


class _Linker:
    """Splink's linker as far as an EM session uses it: EM fails with ``error`` above ``fails_above`` iterations."""

    def __init__(self, error: str, fails_above: int) -> None:
        self._settings_obj = _Settings()
        self.calls: list[int] = []
        self.training = self
        self.error, self.fails_above = error, fails_above

    def estimate_parameters_using_expectation_maximisation(self, rule, **_kwargs) -> None:
        iterations = self._settings_obj.training_settings.max_iterations
        self.calls.append(iterations)
        self._settings_obj.trained_with = iterations  # a failed session leaves the settings half-changed
        if iterations > self.fails_above:
            raise ValueError(self.error)


def test_em_that_drives_an_m_to_nothing_is_run_again_with_fewer_iterations() -> None:
    linker = _Linker(UNDERFLOW, fails_above=6)
    training._em_session(linker, ("nm_block",), lambda _step: None)
    assert linker.calls == [25, 12, 6]
    assert linker._settings_obj.trained_with == 6
    # Splink's own number of iterations is back for the next session.
    assert linker._settings_obj.training_settings.max_iterations == 25


def test_em_that_never_stops_underflowing_leaves_the_model_as_it_was() -> None:
    linker = _Linker(UNDERFLOW, fails_above=0)
    training._em_session(linker, ("nm_block",), lambda _step: None)
    assert linker.calls == list(training.EM_ITERATIONS)
    assert linker._settings_obj.trained_with is None
    assert linker._settings_obj.training_settings.max_iterations == 25


def test_another_failure_is_not_tried_again() -> None:
    linker = _Linker("Training rule `l.birth_date = r.birth_date` resulted in no record pairs.", fails_above=0)
    training._em_session(linker, ("birth_date",), lambda _step: None)
    assert linker.calls == [25]
    assert linker._settings_obj.trained_with is None


def test_a_session_that_succeeds_runs_once_with_splinks_iterations() -> None:
    linker = _Linker(UNDERFLOW, fails_above=100)
    training._em_session(linker, ("id_number",), lambda _step: None)
    assert linker.calls == [25] and linker._settings_obj.trained_with == 25


def test_trained_probabilities_that_differ_in_their_last_digits_make_one_model() -> None:
    """DuckDB's parallel sums make the 16th digit of an m vary from run to run; rounded, one model id."""
    from vigil.core.linkage.model import LinkageModel

    def settings(m: float) -> dict:
        return {"probability_two_random_records_match": 2.0533591773988087e-05, "comparisons": [
            {"output_column_name": "sex", "comparison_levels": [
                {"sql_condition": "sex_l IS NULL OR sex_r IS NULL", "label_for_charts": "sex missing", "is_null_level": True},
                {"sql_condition": "sex_l = sex_r", "label_for_charts": "sex equal", "m_probability": m, "u_probability": 0.5},
                {"sql_condition": "ELSE", "label_for_charts": "else", "m_probability": 1 - m, "u_probability": 0.5}]}]}

    a, b = settings(0.8292970655740578), settings(0.8292970655740577)
    assert LinkageModel(a, "native").model_id != LinkageModel(b, "native").model_id
    one, two = LinkageModel(training.settled(a), "native"), LinkageModel(training.settled(b), "native")
    assert one.model_id == two.model_id
    assert one.splink_settings["comparisons"][0]["comparison_levels"][1]["m_probability"] == 0.829297065574
    assert one.splink_settings["comparisons"][0]["comparison_levels"][0] == b["comparisons"][0]["comparison_levels"][0]
