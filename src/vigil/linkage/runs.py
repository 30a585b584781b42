"""Running the linkage over the database: proposing matches for review, and linking list rows.

Splink does the statistics (``vigil.core.linkage``); here the pairs become Match rows. A pair that
was ever decided (accepted or rejected) is never proposed again, and nothing is merged unless the
caller asks for merges above a probability.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from vigil.access import Actor, acting_user, require
from vigil.audit.services import audit_record
from vigil.core.linkage import PreparedRecord, prepare_record
from vigil.core.linkage.engine import link_pairs, predict_dedupe
from vigil.core.lists import row_facts
from vigil.evidence.models import Document, DocumentRow
from vigil.linkage.features import person_of, prepared_records
from vigil.linkage.models import LinkRun, Match
from vigil.linkage.services import match_decide
from vigil.linkage.trained import model_load, model_save
from vigil.records.models import Person

#: Pairs at or above this probability are proposed for review. On 200,333 synthetic testimony records
#: (bench/linkage.py proposals, bench/RESULTS.md) 0.9 proposes 101,800 pairs of which 88.5 % are one person;
#: 0.5 (the model's link threshold) would propose 183,846, of which 70 % (namesakes grow with the records).
REVIEW_THRESHOLD = 0.9

Say = Callable[[str], None]


@dataclass(slots=True)
class RunReport:
    records: int
    candidate_pairs: int
    proposed: int
    auto_merged: int
    model_id: str
    trained: bool
    seconds: float
    rows_matched: int = 0


def _person_pairs(rows: list[tuple], fields: list[str], left_is_person: bool = True) -> dict[tuple[int, int], tuple[float, float, dict[str, float]]]:
    """Best (probability, weight, field weights) per pair of person records, from name-variant pairs."""
    best: dict[tuple[int, int], tuple[float, float, dict[str, float]]] = {}
    for left, right, probability, weight, *weights in rows:
        a, b = person_of(str(left)), person_of(str(right))
        if a == b:
            continue
        key = (min(a, b), max(a, b))
        if key not in best or probability > best[key][0]:
            best[key] = (float(probability), float(weight), {f: round(float(w), 3) for f, w in zip(fields, weights) if w is not None})
    return best


def link_run(
    *, actor: Actor, threshold: float = REVIEW_THRESHOLD, auto_merge_above: float | None = None,
    incremental: bool = False, retrain: bool = False, say: Say | None = None,
) -> RunReport:
    """Score person records and propose the likely duplicates for review.

    ``incremental``: compare only records added since the last run (against everyone), with the
    saved model. ``auto_merge_above``: merge proposed pairs at or above this probability (never by default).
    """
    require(actor, "linkage.run")
    say = say or (lambda _s: None)
    started = time.perf_counter()
    started_at = timezone.now()
    last = LinkRun.objects.order_by("-max_person_id").first() if incremental else None
    max_id = Person.objects.aggregate(m=Max("id"))["m"] or 0
    model = None if retrain else model_load()
    say("preparing records")
    if incremental and last is not None and model is not None:
        new_ids = list(Person.objects.filter(pk__gt=last.max_person_id).values_list("id", flat=True))
        old_ids = list(Person.objects.filter(pk__lte=last.max_person_id).values_list("id", flat=True))
        new, old = prepared_records(new_ids), prepared_records(old_ids)
        if not new:
            return RunReport(0, 0, 0, 0, model.model_id, False, time.perf_counter() - started)
        say(f"comparing {len(new)} new records with {len(old)} on record")
        across = link_pairs(new, old, model=model, threshold=threshold) if old else None
        within = predict_dedupe(new, model=model, threshold=threshold) if len(new) > 1 else None
        pairs: dict[tuple[int, int], tuple[float, float, dict[str, float]]] = {}
        candidates = 0
        for result in (across, within):
            if result is not None:
                pairs.update(_person_pairs(result.rows, result.fields))
                candidates += result.summary.candidate_pairs
        records, trained, model_id = len(new) + len(old), False, model.model_id
    else:
        ids = list(Person.objects.values_list("id", flat=True))
        recs = prepared_records(ids)
        say(f"scoring {len(recs)} name records of {len(ids)} person records")
        result = predict_dedupe(recs, model=model, threshold=threshold, progress=say)
        if result.summary.trained:
            model_save(result.model)
        pairs = _person_pairs(result.rows, result.fields)
        candidates, records, trained, model_id = result.summary.candidate_pairs, len(recs), result.summary.trained, result.model.model_id
    say(f"{len(pairs)} pairs at or above {threshold}")
    proposed = auto = 0
    with transaction.atomic():
        roots = dict(Person.objects.filter(pk__in={p for pair in pairs for p in pair}).values_list("id", "canonical_id"))
        known = set(Match.objects.filter(person_b__isnull=False).values_list("person_a_id", "person_b_id"))
        new_matches = []
        for (a, b), (probability, weight, weights) in sorted(pairs.items()):
            if (a, b) in known or roots.get(a) == roots.get(b):
                continue  # decided before (never proposed again), or already one person
            new_matches.append(Match(person_a_id=a, person_b_id=b, probability=probability, match_weight=weight, field_weights=weights, model_version=model_id))
        Match.objects.bulk_create(new_matches, batch_size=2000)
        proposed = len(new_matches)
        run = LinkRun.objects.create(
            started_at=started_at, model_version=model_id, trained=trained, incremental=incremental and last is not None,
            max_person_id=max_id, records=records, candidate_pairs=candidates, proposed=proposed,
            run_by=acting_user(actor),
        )
        audit_record(actor=actor, action="link.run", object_type="linkrun", object_id=run.pk, detail={"model": model_id, "proposed": proposed, "records": records})
    if auto_merge_above is not None:
        for match in Match.objects.filter(status=Match.Status.PROPOSED, person_b__isnull=False, probability__gte=auto_merge_above).order_by("-probability"):
            a_root = Person.objects.get(pk=match.person_a_id).canonical_id
            b_root = Person.objects.get(pk=match.person_b_id).canonical_id
            if a_root == b_root:
                continue
            match_decide(actor=actor, match=match, accept=True)
            auto += 1
        LinkRun.objects.filter(pk=run.pk).update(auto_merged=auto)
    seconds = time.perf_counter() - started
    LinkRun.objects.filter(pk=run.pk).update(seconds=seconds)
    return RunReport(records, candidates, proposed, auto, model_id, trained, seconds)


def _row_record(row: DocumentRow) -> PreparedRecord | None:
    facts, problems = row_facts(row.data, row.document.mapping)
    f = facts.fields
    birth = facts.birth
    fields = {
        "id": f"row:{row.pk}", "full_name": f.get("full_name"), "given_name": f.get("given_name"),
        "father_name": f.get("father_name"), "family_name": f.get("family_name"),
        "birth_date": birth.earliest.strftime("%Y%m%d") if birth is not None and birth.precision.value == "day" else None,
        "birth_year": birth.year if birth is not None else None,
        "sex": facts.sex or None, "ethnicity": facts.ethnicity or None, "id_number": f.get("id_number"),
        "place": f.get("place"), "address": f.get("address"), "facility": f.get("facility"),
        "detained_date": facts.detained,
    }
    return prepare_record(fields)


def list_link(*, actor: Actor, document: Document, threshold: float = REVIEW_THRESHOLD, say: Say | None = None, progress: Say | None = None) -> RunReport:
    """Propose matches between a list's rows and the persons on record (each row: its best persons)."""
    require(actor, "linkage.run")
    say = say or progress or (lambda _s: None)
    started = time.perf_counter()
    rows = list(DocumentRow.objects.filter(document=document, person__isnull=True).select_related("document"))
    left = [r for r in (_row_record(row) for row in rows) if r is not None]
    ids = list(Person.objects.values_list("id", flat=True))
    right = prepared_records(ids)
    model = model_load()
    if not left or not right:
        return RunReport(len(left) + len(right), 0, 0, 0, model.model_id if model else "", False, time.perf_counter() - started)
    say(f"comparing {len(left)} rows with {len(right)} name records")
    result = link_pairs(left, right, model=model, threshold=threshold)
    if result.summary.trained and model is None:
        model_save(result.model)
    best: dict[tuple[int, int], tuple[float, float, dict[str, float]]] = {}
    for left_id, right_id, probability, weight, *weights in result.rows:
        row_id = int(str(left_id).split(":", 1)[1])
        person = person_of(str(right_id))
        key = (row_id, person)
        if key not in best or probability > best[key][0]:
            best[key] = (float(probability), float(weight), {f: round(float(w), 3) for f, w in zip(result.fields, weights) if w is not None})
    roots = dict(Person.objects.filter(pk__in={p for _r, p in best}).values_list("id", "canonical_id"))
    by_row_root: dict[tuple[int, int], tuple[int, tuple[float, float, dict[str, float]]]] = {}
    for (row_id, person), score in best.items():
        key = (row_id, roots.get(person) or person)
        if key not in by_row_root or score[0] > by_row_root[key][1][0]:
            by_row_root[key] = (person, score)
    with transaction.atomic():
        known = set(Match.objects.filter(list_row__document=document).values_list("list_row_id", "person_a_id"))
        new = [
            Match(person_a_id=root, list_row_id=row_id, probability=p, match_weight=w, field_weights=fw, model_version=result.model.model_id)
            for (row_id, root), (_person, (p, w, fw)) in sorted(by_row_root.items()) if (row_id, root) not in known
        ]
        Match.objects.bulk_create(new, batch_size=2000)
        audit_record(actor=actor, action="list.link", object_type="document", object_id=document.pk, detail={"proposed": len(new), "model": result.model.model_id})
    rows_matched = len({row for row, _root in by_row_root})
    return RunReport(len(left) + len(right), result.summary.candidate_pairs, len(new), 0, result.model.model_id, result.summary.trained, time.perf_counter() - started, rows_matched)
