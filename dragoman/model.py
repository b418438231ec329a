"""The data model every stage reads and adds to.

Every annotation is a span into a document's *clean* text: ``start`` and ``end``
are character offsets (end excluded) into :attr:`Document.text`.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

DateBasis = Literal["metadata", "explicit", "relative", "weekday", "document", "inferred", "unknown"]
Calendar = Literal["gregorian", "solar_hijri", "islamic", "julian"]


@dataclass(frozen=True, slots=True)
class Span:
    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class DateValue:
    """A date at its known granularity.

    ``value`` is ISO at the granularity known ("2025", "2025-05", "2025-05-16"),
    with ``XXXX`` for an unknown year ("XXXX-11-07"), or ``None`` when unknown.
    """

    value: str | None
    basis: DateBasis
    text: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"value": self.value, "basis": self.basis, "text": self.text}


@dataclass(frozen=True, slots=True)
class DateMention:
    """A temporal expression found in a text, normalised.

    ``value`` is an ISO date at its granularity, ``XXXX-..`` for an unknown year,
    or a TIMEX3 value for other expressions (P3D, PRESENT_REF, 2025-W20).
    """

    start: int
    end: int
    text: str
    value: str | None
    basis: Literal["explicit", "relative", "weekday", "document", "inferred", "unknown"]
    calendar: Calendar | None = "gregorian"
    kind: Literal["date", "duration", "set", "time"] = "date"
    range: tuple[str, str] | None = None  # first and last Gregorian day, for other calendars

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        if self.range is None:
            d.pop("range")
        else:
            d["range"] = list(self.range)
        return d


@dataclass(frozen=True, slots=True)
class EntityMention:
    """A name or role phrase in a text, linked to the document entity it stands for.

    ``source`` says what found it (``natasha``, ``crf``, ``spacy:...``, ``gazetteer``,
    ``role``); ``office`` is the office a role phrase names ("RU.presidential_spokesperson").
    Role mentions may contain name mentions ("спикер Кремля" holds "Кремля").
    """

    start: int
    end: int
    text: str
    type: str
    entity: str | None
    source: str
    office: str | None = None


@dataclass(slots=True)
class DocEntity:
    """One actor as a document names it: registry actor, or a cluster of its mentions."""

    id: str  # registry key ("dmitry-peskov"), else "<type>:<cross-script key>"
    name: str  # English display name
    type: str
    wikidata: str | None = None
    aliases: list[tuple[str, str | None]] = field(default_factory=list)  # (text, lang)
    mentions: int = 0


@dataclass(frozen=True, slots=True)
class Reference:
    """A pronoun standing for a person ("he", "وی", "он") and whom it most likely means."""

    start: int
    end: int
    text: str
    entity: str | None


@dataclass(slots=True)
class Quote:
    """Something someone said: direct (quoted or colon-introduced) or reported."""

    start: int  # the content span, in the original language
    end: int
    text: str
    direct: bool
    speaker: str | None  # entity id; None when the text does not say who
    speaker_text: str | None = None  # how the text names the speaker ("the Kremlin spokesman", "a source")
    speaker_span: tuple[int, int] | None = None
    cue: str | None = None  # the reporting verb or marker
    cue_span: tuple[int, int] | None = None
    date: DateValue | None = None  # when it was said
    act: str | None = None  # assert, confirm, deny, warn, propose, demand, reject, condition
    issues: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "start": self.start, "end": self.end, "text": self.text, "direct": self.direct,
            "speaker": self.speaker, "speaker_text": self.speaker_text,
            "speaker_span": list(self.speaker_span) if self.speaker_span else None,
            "cue": self.cue, "cue_span": list(self.cue_span) if self.cue_span else None,
            "date": self.date.to_dict() if self.date else None, "act": self.act, "issues": list(self.issues),
        }


@dataclass(slots=True)
class Segment:
    """A paragraph whose language differs from its document's."""

    start: int
    end: int
    lang: str


@dataclass(slots=True)
class RemovedLine:
    """A line taken out of the text as boilerplate, kept for auditing."""

    text: str
    kind: str  # teaser, social, comments, mirror, related, navigation, repeated, ...
    position: int  # line index in the raw text


@dataclass(slots=True)
class RawDocument:
    """What an ingest source yields: text or HTML plus whatever metadata it had."""

    source: str
    content: str
    content_type: Literal["text", "html"] = "text"
    id: str | None = None
    title: str | None = None
    url: str | None = None
    published: str | None = None
    lang: str | None = None
    group: str | None = None  # the source a document shares boilerplate with (host, folder)
    lang_hint: str | None = None  # a language the page declares (html lang), checked by language id
    raw_hash: str | None = None  # hash of the content as it arrived (before HTML extraction)


@dataclass(slots=True)
class Analysis:
    """The result of the per-document step (a pure function of its inputs)."""

    id: str | None
    source: str
    text: str
    lang: str | None
    lang_score: float | None
    title: str | None
    url: str | None
    published: str | None
    date: DateValue
    content_hash: str
    raw_hash: str
    removed: list[RemovedLine] = field(default_factory=list)
    segments: list[Segment] = field(default_factory=list)
    sentences: list[tuple[int, int]] = field(default_factory=list)
    dates: list[DateMention] = field(default_factory=list)
    entities: list[EntityMention] = field(default_factory=list)
    actors: list[DocEntity] = field(default_factory=list)
    references: list[Reference] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    events: list[dict[str, Any]] = field(default_factory=list)
    group: str | None = None
