"""Which stored files are encrypted at rest: the ``VIGIL_MEDIA_ENCRYPTION`` setting, read at call time.

- ``"unpublishable"`` (the default): a file is sealed unless it is known, when it is stored, to be
  publishable: stored for a testimony given with full consent. A file stored without a testimony is
  sealed (it is not publishable until it is attached to one, and may never be). Documents are always
  sealed: their files are never published (docs/public.md).
- ``"all"``: every new file is sealed.
- ``"none"``: no new original is sealed.

Whatever the setting, a working copy of a sealed original is sealed: a thumbnail shows what the
photo shows. A sealed file stays sealed when consent is given later (the public site reads it
through ``open_blob``, like everything else). A plaintext file that the rule would now seal (its
testimony's consent was lowered, it was attached to a testimony without consent, or the setting
changed) is sealed in place by :func:`vigil.evidence.services.evidence_encrypt` and
``vigil evidence encrypt``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from vigil.evidence.models import EvidenceFile
from vigil.records.models import Testimony

Mode = Literal["all", "unpublishable", "none"]
MODES: tuple[Mode, ...] = ("all", "unpublishable", "none")


def media_encryption() -> Mode:
    """The ``VIGIL_MEDIA_ENCRYPTION`` setting (ImproperlyConfigured if it is not one of :data:`MODES`)."""
    mode = getattr(settings, "VIGIL_MEDIA_ENCRYPTION", "unpublishable")
    if mode not in MODES:
        raise ImproperlyConfigured(f"VIGIL_MEDIA_ENCRYPTION is {mode!r}: it must be one of {', '.join(MODES)}")
    return mode  # type: ignore[return-value]


def _publishable(consents: Iterable[str]) -> bool:
    """Whether media of testimonies with these consents may be published: at least one, every one full."""
    values = list(consents)
    return bool(values) and all(c == Testimony.Consent.FULL for c in values)


def original_seals(*, area: str, testimonies: Iterable[Testimony] = ()) -> bool:
    """Whether a new original in ``area`` ("files" or "documents"), stored for ``testimonies``, is sealed."""
    mode = media_encryption()
    if mode == "none":
        return False
    if mode == "all" or area != "files":
        return True
    return not _publishable(t.consent for t in testimonies)


def evidence_seal_due(evidence: EvidenceFile) -> bool:
    """Whether the rule seals ``evidence``'s original as it is attached now (for sealing existing plaintext files).

    Under "unpublishable" a file is due once it is attached to a testimony that is not given with full
    consent. A plaintext file attached to no testimony is left as it is: it was stored plain on purpose
    (under "none", or for a full-consent testimony) and nothing about it has changed.
    """
    mode = media_encryption()
    if mode == "none":
        return False
    if mode == "all":
        return True
    consents = list(evidence.testimonies.values_list("consent", flat=True))
    return bool(consents) and not _publishable(consents)
