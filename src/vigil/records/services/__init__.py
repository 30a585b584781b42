"""Writes to the record. Each service: keyword arguments, one transaction, a permission check, audit entries."""

from vigil.records.services.imports import ImportProblem, ImportProblems, ImportReport, testimonies_import
from vigil.records.services.testimonies import testimony_record

__all__ = ["ImportProblem", "ImportProblems", "ImportReport", "testimonies_import", "testimony_record"]
