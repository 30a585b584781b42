"""What really happened to a synthetic person: a plausible sequence of detention events.

Events are the ground truth; a testimony later reports some of them, with the imprecision of
what a relative abroad can know (see ``testimonies``).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from vigil.core.synth.geography import County, Facility, FacilityTable

CLAIM_TYPES = (
    "detained", "held_at", "sentenced", "transferred", "released",
    "house_arrest", "forced_labour", "died", "whereabouts_unknown",
)

PERIOD_END = date(2022, 12, 31)

_DETENTION_YEARS = (2014, 2015, 2016, 2017, 2018, 2019, 2020, 2021, 2022)
_DETENTION_YEAR_WEIGHTS = (3, 4, 7, 38, 33, 10, 3, 1, 1)
_OUTCOMES = ("released", "sentenced", "transferred", "unknown", "died", "labour")
_OUTCOME_WEIGHTS = (38, 25, 12, 18, 3, 4)
_TERMS = (24, 36, 60, 84, 120, 144, 180, 204, 240)
_TERM_WEIGHTS = (6, 10, 14, 12, 16, 10, 8, 4, 4)


@dataclass(frozen=True, slots=True)
class Event:
    type: str
    start: date
    end: date | None = None
    facility: Facility | None = None
    term_months: int | None = None
    place: County | None = None


def add_months(d: date, months: int) -> date:
    month0 = d.month - 1 + months
    year = d.year + month0 // 12
    return date(year, month0 % 12 + 1, min(d.day, 28))


def random_day(rng: random.Random, year: int, *, last_month: int = 12) -> date:
    return date(year, 1, 1) + timedelta(days=rng.randrange(0, 30 * last_month + (5 if last_month == 12 else 0)))


def history(rng: random.Random, *, hometown: County, facilities: FacilityTable) -> tuple[Event, ...]:
    """A plausible sequence of events from 2014 to 2022, most detentions in 2017-2019."""
    year = rng.choices(_DETENTION_YEARS, weights=_DETENTION_YEAR_WEIGHTS)[0]
    taken = random_day(rng, year, last_month=9 if year == 2022 else 12)
    pref = hometown.prefecture
    events = [Event("detained", taken, place=hometown)]
    first = facilities.pick(rng, pref, "camp" if rng.random() < 0.65 else "detention_centre")
    held_from = taken + timedelta(days=rng.randrange(0, 21))
    outcome = rng.choices(_OUTCOMES, weights=_OUTCOME_WEIGHTS)[0]

    if outcome == "released":
        out = add_months(held_from, rng.randrange(4, 31))
        events += [Event("held_at", held_from, out, facility=first), Event("released", out)]
        if rng.random() < 0.35:
            events.append(Event("house_arrest", out + timedelta(days=rng.randrange(0, 60))))
        elif rng.random() < 0.3:
            events.append(Event("forced_labour", add_months(out, rng.randrange(1, 7)),
                                facility=facilities.pick(rng, pref, "forced_labour", local=0.5)))
    elif outcome == "sentenced":
        verdict = add_months(held_from, rng.randrange(3, 21))
        term = rng.choices(_TERMS, weights=_TERM_WEIGHTS)[0]
        moved = add_months(verdict, rng.randrange(1, 4))
        prison = facilities.pick(rng, pref, "prison", local=0.4)
        events += [Event("held_at", held_from, moved, facility=first),
                   Event("sentenced", verdict, term_months=term),
                   Event("transferred", moved, facility=prison),
                   Event("held_at", moved, None, facility=prison)]
    elif outcome == "transferred":
        moved = add_months(held_from, rng.randrange(2, 15))
        second = facilities.pick(rng, pref, rng.choice(("camp", "detention_centre")), local=0.6)
        events += [Event("held_at", held_from, moved, facility=first), Event("transferred", moved, facility=second)]
        if rng.random() < 0.5:
            out = add_months(moved, rng.randrange(3, 25))
            events += [Event("held_at", moved, out, facility=second), Event("released", out)]
        else:
            events += [Event("held_at", moved, None, facility=second),
                       Event("whereabouts_unknown", add_months(moved, rng.randrange(3, 24)))]
    elif outcome == "unknown":
        if rng.random() < 0.6:
            events.append(Event("held_at", held_from, None, facility=first))
        events.append(Event("whereabouts_unknown", add_months(taken, rng.randrange(1, 19))))
    elif outcome == "died":
        events += [Event("held_at", held_from, None, facility=first),
                   Event("died", add_months(held_from, rng.randrange(2, 37)))]
    else:
        moved = add_months(held_from, rng.randrange(3, 13))
        factory = facilities.pick(rng, pref, "forced_labour", local=0.5)
        events += [Event("held_at", held_from, moved, facility=first),
                   Event("forced_labour", moved, facility=factory)]

    kept = []
    for e in events:
        if e.start > PERIOD_END:
            break
        if e.end is not None and e.end > PERIOD_END:
            e = Event(e.type, e.start, None, e.facility, e.term_months, e.place)
        kept.append(e)
    return tuple(kept)


def first_custody(events: tuple[Event, ...]) -> Event | None:
    """The first ``held_at`` event, which a leaked police list would record."""
    return next((e for e in events if e.type == "held_at"), None)
