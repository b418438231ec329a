"""The per-document pipeline, in one readable place.

:meth:`Pipeline.analyze` is a pure function of (raw document, options, lines repeated
across its source) → :class:`~dragoman.model.Analysis`. ``annotate`` runs it and
stops; ``ingest`` runs it and then stores the result (see :mod:`dragoman.ingest.run`).
The same function can run in a process pool or as a Ray Data ``map_batches`` step.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from typing import Any

from .errors import InputError, UsageError
from .ingest.html import extract_html
from .model import Analysis, DateValue, RawDocument
from .text import boilerplate, langid, normalize, sentences
from .entities import analyze_entities, load_registry
from .quotes import extract_quotes
from .time import analyze_dates

ANNOTATE_VERSION = 1


@dataclass(kw_only=True, frozen=True)
class Options:
    """Options of the per-document step (keyword-only, immutable)."""

    lang: str | None = None  # force this language for every document
    segment_languages: bool = True  # find paragraphs in another language
    split_sentences: bool = True
    entities: bool = True  # recognise and link names and role phrases
    registry: tuple[str, ...] = ()  # user registry files, on top of the bundled one
    ner: str | None = None  # force this NER backend ("none", "crf", "natasha", "spacy:<package>")
    quotes: bool = True  # extract statements (needs entities for speakers)


def content_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def raw_content_hash(content: str) -> str:
    """Hash of a document as it arrived (Unicode-normalised): equal input, equal hash."""
    return content_hash(normalize.clean_unicode(content))


def stable_id(raw_hash: str) -> str:
    """Id of a document that has no file name or record id: a stable content hash."""
    return "h" + raw_hash[:16]


def parse_iso_date(value: str | None) -> dt.date | None:
    """The date part of an ISO date or datetime string, else ``None``."""
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value.strip()[:10])
    except ValueError:
        return None


@dataclass
class Pipeline:
    """Wires the stages. ``Pipeline().annotate(text)`` analyses one text.

    Stages, in order:

    1. **extract**: HTML → article text and metadata (trafilatura, htmldate).
    2. **normalize**: Unicode NFC, line ends, control characters (the stored text).
    3. **language**: fastText language id on the text (``lang`` option overrides).
    4. **boilerplate**: remove teaser/social/comment/mirror/... lines by the
       language's patterns and lines repeated across the same source.
    5. **language again** on the clean text, and mixed-language paragraphs.
    6. **sentences**: sentence spans.
    7. **dates**: temporal expressions in the document's language and calendars, the
       document date (metadata, else estimated from the text, else unknown), and
       year-less and relative dates resolved against it (:mod:`dragoman.time`).
    """

    options: Options = field(default_factory=Options)

    def analyze(self, raw: RawDocument, *, repeated: frozenset[str] | set[str] = frozenset()) -> Analysis:
        opts = self.options
        raw_hash = raw.raw_hash or raw_content_hash(raw.content)
        # 1. extract
        if raw.content_type == "html":
            raw = extract_html(raw)
        lang_hint = raw.lang_hint
        # 2. normalize
        text = normalize.clean_unicode(raw.content)
        if not text.strip():
            raise InputError("no text after normalisation", source=raw.source)
        # 3. language (forced > record > detected)
        forced = opts.lang or raw.lang
        first_guess, first_score = langid.identify(text) if not forced else (forced, 1.0)
        # 4. boilerplate
        text, removed = boilerplate.remove_boilerplate(text, first_guess or lang_hint, repeated=repeated)
        text = normalize.clean_unicode(text)
        if not text.strip():
            raise InputError(f"only boilerplate: all {len(removed)} lines were removed", source=raw.source)
        # 5. language again, on the clean text
        if forced:
            lang, score = forced.lower(), None
        elif removed or first_guess is None:  # the text changed: look again
            lang, score = langid.identify(text)
            lang = lang or lang_hint
        else:
            lang, score = first_guess, first_score
        segments = langid.mixed_segments(text, lang) if opts.segment_languages else []
        # 6. sentences
        spans = sentences.split_sentences(text, lang) if opts.split_sentences else []
        # 7. dates: every temporal expression, and the document date (metadata, else
        #    estimated from the text, else unknown); year-less and relative dates resolve
        #    against it
        mentions, date = analyze_dates(text, lang, self._document_date(raw.published))
        # 8. entities: names and roles, linked to actors; pronoun references
        if opts.entities:
            names, actors, refs = analyze_entities(text, lang, date, load_registry(opts.registry), backend=opts.ner)
        else:
            names, actors, refs = [], [], []
        # 9. quotes: who said what, when
        said = extract_quotes(text, lang, spans, names, refs, mentions, date) if opts.quotes else []
        return Analysis(
            id=raw.id or stable_id(raw_hash),
            source=raw.source,
            text=text,
            lang=lang,
            lang_score=score,
            title=raw.title,
            url=raw.url,
            published=raw.published,
            date=date,
            content_hash=content_hash(text),
            raw_hash=raw_hash,
            removed=removed,
            segments=segments,
            sentences=spans,
            dates=mentions,
            entities=names,
            actors=actors,
            references=refs,
            quotes=said,
            group=raw.group,
        )

    @staticmethod
    def _document_date(published: str | None) -> DateValue | None:
        day = parse_iso_date(published)
        if day is not None:
            return DateValue(day.isoformat(), "metadata", published)
        return None

    def annotate(
        self, text: str, *, lang: str | None = None, date: str | dt.date | None = None, doc_id: str | None = None,
        content_type: str = "text",
    ) -> dict[str, Any]:
        """Analyse one text without storing it; a dict following ``annotate.schema.json``."""
        if isinstance(date, dt.date):
            date = date.isoformat()
        if date is not None and parse_iso_date(date) is None:
            raise UsageError(f"date must be YYYY-MM-DD, got {date!r}")
        raw = RawDocument(source=doc_id or "<text>", content=text, content_type=content_type, id=doc_id,
                          lang=lang, published=date)  # type: ignore[arg-type]
        a = self.analyze(raw)
        by_id = {e.id: e for e in a.actors}
        return {
            "id": doc_id,
            "version": ANNOTATE_VERSION,
            "lang": a.lang,
            "date": a.date.to_dict(),
            "text": a.text,
            "dates": [d.to_dict() for d in a.dates],
            "entities": [_entity_dict(m, by_id) for m in a.entities],
            "quotes": [_quote_dict(q, by_id) for q in a.quotes],
            "events": a.events,
            "removed": [{"line": r.position, "kind": r.kind, "text": r.text} for r in a.removed],
            "sentences": [[s, e] for s, e in a.sentences],
        }


def _entity_dict(m: Any, by_id: dict[str, Any]) -> dict[str, Any]:
    d: dict[str, Any] = {"start": m.start, "end": m.end, "text": m.text, "type": m.type, "source": m.source}
    if m.office:
        d["office"] = m.office
    e = by_id.get(m.entity) if m.entity else None
    d["entity"] = {"id": e.id, "name": e.name, "wikidata": e.wikidata} if e else None
    return d


def _quote_dict(q: Any, by_id: dict[str, Any]) -> dict[str, Any]:
    e = by_id.get(q.speaker) if q.speaker else None
    entity = {"id": e.id, "name": e.name, "wikidata": e.wikidata} if e else None
    speaker = None
    if q.speaker_span or entity:
        s, t = q.speaker_span or (None, None)
        speaker = {"start": s, "end": t, "text": q.speaker_text, "entity": entity}
    cue = {"start": q.cue_span[0], "end": q.cue_span[1], "text": q.cue} if q.cue_span else None
    return {"start": q.start, "end": q.end, "text": q.text, "direct": q.direct, "speaker": speaker, "cue": cue,
            "date": q.date.to_dict() if q.date else None, "act": q.act, "issues": list(q.issues)}
