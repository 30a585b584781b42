"""What the public sees: plain frozen values, never model instances.

A template or serializer holding one of these cannot follow a relation from a claim to its
testimony to its testifier: there is none. Only vigil.public.selectors makes them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Generic, TypeVar

from vigil.core.dates import PartialDate


@dataclass(frozen=True, slots=True)
class PublicPlace:
    code: str
    name_zh: str
    pinyin: str


@dataclass(frozen=True, slots=True)
class PublicFacilityRef:
    id: int
    name: str


@dataclass(frozen=True, slots=True)
class PublicDocument:
    id: int
    title: str
    kind: str


@dataclass(frozen=True, slots=True)
class PublicSource:
    """Where a claim comes from. A testimony is never identified: no id, date, language or testifier."""

    kind: str  # "testimony" or "document"
    consent: str = ""  # for a testimony: "anonymised" or "full"
    document: PublicDocument | None = None
    account: int | None = None  # 1-based number of the person's published account this testimony gave

    @property
    def label(self) -> str:
        """The source as the dataset states it (English; pages translate their own wording)."""
        if self.document is not None:
            return self.document.title
        return "testimony (anonymised)" if self.consent == "anonymised" else "testimony"


@dataclass(frozen=True, slots=True)
class PublicName:
    text: str
    script: str
    kind: str
    romanized: str


@dataclass(frozen=True, slots=True)
class PublicClaim:
    type: str
    start: PartialDate | None
    end: PartialDate | None
    facility: PublicFacilityRef | None
    place: PublicPlace | None
    term_months: int | None
    source: PublicSource


@dataclass(frozen=True, slots=True)
class PublicMedia:
    id: int
    kind: str  # "photo", "video" or "audio"
    media_type: str  # what is served: image/jpeg for every photo (a metadata-free copy)


@dataclass(frozen=True, slots=True)
class PublicPerson:
    id: int  # the smallest id of the cluster's public records: never a record that is not public
    names: tuple[PublicName, ...]
    sex: str
    birth: PartialDate | None  # to the year at most: never the day or month
    ethnicity: str
    hometown: PublicPlace | None
    claims: tuple[PublicClaim, ...]
    accounts: tuple[str, ...]  # summaries an editor cleared, of testimonies given with full consent
    media: tuple[PublicMedia, ...]
    status: str
    status_date: dt.date | None
    sources: int
    evidence_level: int

    @property
    def name(self) -> PublicName | None:
        """The name to show first: a full name if there is one."""
        return next((n for n in self.names if n.kind == "full"), self.names[0] if self.names else None)


@dataclass(frozen=True, slots=True)
class PublicFacility:
    id: int
    name: str
    other_names: tuple[str, ...]
    type: str
    county: PublicPlace | None
    latitude: float | None
    longitude: float | None
    persons: int  # public persons with a public claim at this facility


@dataclass(frozen=True, slots=True)
class PublicHit:
    person: PublicPerson
    name: PublicName  # the rendering that matched
    score: float


T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class PublicPage(Generic[T]):
    items: tuple[T, ...]
    total: int
    page: int

    size: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.size))


@dataclass(frozen=True, slots=True)
class PublicStatistics:
    persons: int
    facilities: int
    documents: int
    by_claim_type: tuple[tuple[str, int], ...]  # persons with at least one public claim of each type


@dataclass(frozen=True, slots=True)
class PublicMediaFile:
    """A media file the public may fetch, with where its original lies (for vigil.public.media only)."""

    media: PublicMedia
    sha256: str
    stored_path: str
    original_media_type: str
