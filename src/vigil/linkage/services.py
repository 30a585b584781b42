"""Writes of the linkage: merging and unmerging person records, deciding proposed matches.

A merge moves and deletes nothing. The merged record points at the survivor (``merged_into``),
and every record of the merged record's cluster joins the survivor's cluster (``canonical``).
Names, claims, identity numbers and testimony links stay on the record they came from, so the
person page can say where each came from, and an unmerge restores both clusters exactly.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from vigil.access import Actor, acting_user, require
from vigil.audit.services import audit_record
from vigil.linkage.lists import list_row_person_create
from vigil.linkage.models import Match, Merge
from vigil.records.derived import person_derived_refresh
from vigil.records.models import Person


def _subtree(root_id: int) -> list[int]:
    """Ids of ``root_id`` and every record merged into it, directly or not."""
    ids = [root_id]
    frontier = [root_id]
    while frontier:
        frontier = list(Person.objects.filter(merged_into_id__in=frontier).values_list("id", flat=True))
        ids.extend(frontier)
    return ids


def person_merge(*, actor: Actor, survivor: Person, merged: Person, match: Match | None = None) -> Merge:
    """Merge ``merged``'s cluster into ``survivor``'s cluster; reversible with :func:`person_unmerge`."""
    require(actor, "merge")
    with transaction.atomic():
        survivor = Person.objects.select_for_update().get(pk=survivor.pk)
        merged = Person.objects.select_for_update().get(pk=merged.pk)
        root = survivor.canonical_id or survivor.pk
        if merged.merged_into_id is not None:
            raise ValidationError(f"person #{merged.pk} is already merged into #{merged.merged_into_id}")
        if (merged.canonical_id or merged.pk) == root:
            raise ValidationError(f"person #{merged.pk} and #{survivor.pk} are already one person")
        members = _subtree(merged.pk)
        Person.objects.filter(pk=merged.pk).update(merged_into=survivor)
        Person.objects.filter(pk__in=members).update(canonical_id=root)
        person_derived_refresh(root_ids=[root, merged.pk])
        now = timezone.now()
        record = Merge.objects.create(
            survivor=survivor, merged=merged, match=match, members=members,
            merged_by=acting_user(actor), merged_at=now,
        )
        if match is not None and match.status != Match.Status.ACCEPTED:
            match.status = Match.Status.ACCEPTED
            match.decided_by = record.merged_by
            match.decided_at = now
            match.save(update_fields=["status", "decided_by", "decided_at"])
        audit_record(
            actor=actor, action="person.merge", object_type="person", object_id=survivor.pk,
            detail={"merged": merged.pk, "members": members, "merge": record.pk, "match": match.pk if match else None},
        )
        audit_record(actor=actor, action="person.merged_into", object_type="person", object_id=merged.pk, detail={"survivor": survivor.pk, "merge": record.pk})
    return record


def person_unmerge(*, actor: Actor, merge: Merge) -> None:
    """Undo a merge: the merged record and everything merged into it become their own cluster again."""
    require(actor, "merge")
    with transaction.atomic():
        merge = Merge.objects.select_for_update().get(pk=merge.pk)
        if merge.undone_at is not None:
            raise ValidationError(f"merge #{merge.pk} was already undone")
        merged = Person.objects.select_for_update().get(pk=merge.merged_id)
        if merged.merged_into_id != merge.survivor_id:
            raise ValidationError(f"person #{merged.pk} is no longer merged into #{merge.survivor_id}")
        members = _subtree(merged.pk)
        Person.objects.filter(pk=merged.pk).update(merged_into=None)
        Person.objects.filter(pk__in=members).update(canonical_id=merged.pk)
        person_derived_refresh(root_ids=[merge.survivor.canonical_id or merge.survivor_id, merged.pk])
        merge.undone_at = timezone.now()
        merge.undone_by = acting_user(actor)
        merge.save(update_fields=["undone_at", "undone_by"])
        if merge.match_id is not None:
            # The reviewer's acceptance is withdrawn; the pair goes back to the queue.
            Match.objects.filter(pk=merge.match_id).update(status=Match.Status.PROPOSED, decided_by=None, decided_at=None)
        audit_record(actor=actor, action="person.unmerge", object_type="person", object_id=merge.survivor_id, detail={"merged": merged.pk, "members": members, "merge": merge.pk})
        audit_record(actor=actor, action="person.unmerged", object_type="person", object_id=merged.pk, detail={"survivor": merge.survivor_id, "merge": merge.pk})


def match_decide(*, actor: Actor, match: Match, accept: bool) -> Merge | None:
    """Accept a proposed match (merging the pair) or reject it (it will not be proposed again)."""
    require(actor, "match.decide")
    with transaction.atomic():
        match = Match.objects.select_for_update().get(pk=match.pk)
        if match.status != Match.Status.PROPOSED:
            raise ValidationError(f"match #{match.pk} was already {match.status}")
        if not accept:
            match.status = Match.Status.REJECTED
            match.decided_by = acting_user(actor)
            match.decided_at = timezone.now()
            match.save(update_fields=["status", "decided_by", "decided_at"])
            audit_record(actor=actor, action="match.reject", object_type="match", object_id=match.pk, detail={"a": match.person_a_id, "b": match.person_b_id, "row": match.list_row_id})
            return None
        audit_record(actor=actor, action="match.accept", object_type="match", object_id=match.pk, detail={"a": match.person_a_id, "b": match.person_b_id, "row": match.list_row_id})
        if match.person_b_id is None:
            # A list row and a person: the row becomes a person record sourced to the document,
            # merged into the person's cluster (so its facts corroborate, and an unmerge undoes it).
            assert match.list_row is not None
            row_person = match.list_row.person or list_row_person_create(actor=actor, row=match.list_row)
            person = Person.objects.get(pk=match.person_a_id)
            root = Person.objects.get(pk=person.canonical_id or person.pk)
            return person_merge(actor=actor, survivor=root, merged=row_person, match=match)
        a = Person.objects.get(pk=match.person_a_id)
        b = Person.objects.get(pk=match.person_b_id)
        # The record with more names survives (ties: the older record); a merged record merges its root.
        root_a = Person.objects.get(pk=a.canonical_id or a.pk)
        root_b = Person.objects.get(pk=b.canonical_id or b.pk)
        survivor, merged = sorted([root_a, root_b], key=lambda p: (-p.cluster.count(), p.pk))
        return person_merge(actor=actor, survivor=survivor, merged=merged, match=match)
