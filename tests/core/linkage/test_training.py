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
