"""Who said what: direct quotes, colon-introduced speech and reported speech.

The per-document step :func:`extract_quotes` works on the text, its sentences, the
entity layer's mentions and pronoun references, and its dates. Language knowledge is
data: reporting verbs and nouns, complementizers, anonymous sources and issue words in
``resources/<lang>/speech.toml`` (:mod:`.lexicon`), word matching by the entity
layer's keys (case endings and clitics tolerated).

Patterns, in order of precedence (a later one never overlaps an earlier one):

1. **Quoted** content between quotation marks (:mod:`.marks`) with a reporting cue in
   the same sentence (before or after it). A quoted sentence with no cue that follows
   another quote closely continues that speaker. Quoted words with no cue (titles, scare
   quotes) and single quoted words are not speech.
2. **Colon** speech: a cue followed by a colon ("وقال: ...", "پوتین گفت: ...",
   "заявил: ..."), content to the end of the paragraph or the next sentence with a cue
   of its own. Counted as direct.
3. **Dash** speech (Russian, Ukrainian): "Content, — заявил Песков." Direct.
4. **Reported** speech: a cue followed by a complementizer ("said that", "заявил, что",
   "گفت که", "قال إن"), or in languages that allow it a bare clause ("said the talks
   failed") or a trailing cue ("The talks failed, he said."). Not direct.
5. **Source** phrases: "according to X, ...", "по словам X, ...", "به گفته X، ..."; the
   source may be any short phrase ("according to the poll").
6. **Headline** speech: a paragraph that opens with a speaker and a colon ("Песков: ...").

A language whose ``speech.toml`` has a ``[tagger]`` section (English) also runs the
learned attribution tagger (:mod:`.tagger`, a CRF trained on PolNeAR): it finds
attributions of beliefs, intentions, findings and allegations as well as speech, and its
quotes are merged with the rule quotes (``mode``: by default the learned ones first, then
each rule quote that overlaps none of them; English keeps the learned ones alone, the
rules naming a speaker where a learned quote has none). Other languages keep the rules
alone.

The speaker is the speaker candidate (person, role phrase, pronoun resolved by the
entity layer, anonymous source, organisation, country) the language's ``speaker`` rule
picks around the cue: ``nearest`` (en, ru, de ...), ``clause_start`` (subject-first
verb-final languages: fa, tr), ``after_cue`` (verb-first: ar). A cue with no candidate
in its sentence ("وأضاف:", "افزود:") keeps the previous quote's speaker when that quote
is at most two sentences back; otherwise the speaker stays unknown.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import lru_cache

from ..entities.gazetteer import PhraseMatcher, word_tokens
from ..entities.lexicon import EntityLexicon, entity_lexicon
from ..entities.tokens import Token
from ..model import DateMention, DateValue, EntityMention, Quote, Reference
from .lexicon import SpeechLexicon, speech_lexicon
from .marks import quoted_spans
from .tagger import attribution_quotes, merge, tagger_for

MIN_QUOTE_WORDS = 2
MAX_SPEAKER_WORDS = 6  # a speaker phrase next to its cue ("Stein spokeswoman Melezia Figueroa")
CONTINUATION_WORDS = 6
RIGHT_CUE_REACH = 80  # characters after a closing mark where its cue may stand
DASHES = "—–-"
_FULL_DATE = re.compile(r"\d{4}-\d{2}-\d{2}$")
_RANK = {"PERSON": 0, "role": 0, "pronoun": 0, "anonymous": 0, "ORG": 1, "GPE": 2, "LOC": 3, "phrase": 4}


@dataclass(frozen=True, slots=True)
class Cue:
    start: int
    end: int
    text: str
    act: str | None  # None for a source noun ("according to")
    kind: str  # "verb" | "source" | "statement"


@dataclass(frozen=True, slots=True)
class Candidate:
    start: int
    end: int
    text: str
    entity: str | None
    kind: str  # PERSON, ORG, GPE, LOC, role, pronoun, anonymous


@dataclass(frozen=True)
class _Tools:
    lex: EntityLexicon
    speech: SpeechLexicon
    cues: PhraseMatcher
    anonymous: PhraseMatcher
    issues: PhraseMatcher
    complementizers: frozenset[str]
    after_cue: frozenset[str]
    speaker_rule: str
    bare_clause: bool
    dash_speech: bool


@lru_cache(maxsize=None)
def _tools(lang: str | None) -> _Tools:
    lex, sp = entity_lexicon(lang), speech_lexicon(lang)
    cues: PhraseMatcher = PhraseMatcher(lex)
    for act, phrases in sp.cues.items():
        for p in phrases:
            cues.add(p, ("verb", act))
    for p in sp.source_nouns:
        cues.add(p, ("source", None))
    for p in sp.statement_nouns:
        cues.add(p, ("statement", "assert"))
    anon: PhraseMatcher = PhraseMatcher(lex)
    for p in sp.anonymous:
        anon.add(p, "anonymous")
    issues: PhraseMatcher = PhraseMatcher(lex)
    for issue, phrases in sp.issues.items():
        for p in phrases:
            issues.add(p, issue)
    after = frozenset(k for p in sp.after_cue for t in word_tokens(p) for k in lex.keys(t.text))
    return _Tools(lex, sp, cues, anon, issues, frozenset(lex.fold(c) for c in sp.complementizers), after,
                  sp.speaker_rule, sp.bare_clause, sp.dash_speech)


class _Doc:
    """The text with its tokens, sentences, paragraphs, cues and speaker candidates."""

    def __init__(self, text: str, lang: str | None, sentences: list[tuple[int, int]],
                 mentions: list[EntityMention], references: list[Reference]):
        self.text = text
        self.t = _tools(lang)
        self.tokens: list[Token] = word_tokens(text)
        self.starts = [tok.start for tok in self.tokens]
        keys = [self.t.lex.keys(tok.text) for tok in self.tokens]
        self.keys = keys
        self.persons = {m.entity for m in mentions if m.entity and (m.type == "PERSON" or m.source == "role")}
        self.sentences = sentences or [(0, len(text))]
        self.sent_starts = [s for s, _ in self.sentences]
        self.cues: list[Cue] = []
        for i, j, payloads in self.t.cues.find(self.tokens, keys):
            kind, act = payloads[0]
            s, e = self.tokens[i].start, self.tokens[j - 1].end
            if kind == "verb" and self.tokens[i].text[:1].isupper() and s not in self.sent_starts:
                continue  # "the United States", "Says Who" in a title: a name, not a verb
            self.cues.append(Cue(s, e, text[s:e], act, kind))
        self.candidates = self._candidates(mentions, references)

    def _candidates(self, mentions: list[EntityMention], references: list[Reference]) -> list[Candidate]:
        out: list[Candidate] = []
        roles = [m for m in mentions if m.source == "role"]
        for m in mentions:
            if m.source != "role" and any(r.start <= m.start and m.end <= r.end for r in roles):
                continue  # "Кремля" inside "спикер Кремля": the role speaks
            kind = "role" if m.source == "role" else m.type
            if kind in _RANK:
                out.append(Candidate(m.start, m.end, m.text, m.entity, kind))
        for r in references:
            out.append(Candidate(r.start, r.end, r.text, r.entity, "pronoun"))
        for i, j, _ in self.t.anonymous.find(self.tokens, self.keys):
            s, e = self.tokens[i].start, self.tokens[j - 1].end
            org = next((m for m in mentions if m.type == "ORG" and m.entity and
                        (0 <= m.start - e <= 25 or 0 <= s - m.end <= 25)), None)  # "a White House official"
            if org is not None:
                s, e = min(s, org.start), max(e, org.end)
            out.append(Candidate(s, e, self.text[s:e], org.entity if org else None, "anonymous"))
        out.sort(key=lambda c: (c.start, -c.end))
        return out

    # -- geometry ---------------------------------------------------------------
    def sentence_of(self, pos: int) -> tuple[int, int]:
        k = max(0, bisect.bisect_right(self.sent_starts, pos) - 1)
        return self.sentences[k]

    def sentence_index(self, pos: int) -> int:
        return max(0, bisect.bisect_right(self.sent_starts, pos) - 1)

    def paragraph_end(self, pos: int) -> int:
        nl = self.text.find("\n", pos)
        return len(self.text) if nl < 0 else nl

    def words(self, start: int, end: int) -> list[Token]:
        i = bisect.bisect_left(self.starts, start)
        out = []
        while i < len(self.tokens) and self.tokens[i].end <= end:
            if self.tokens[i].text[:1].isalnum():
                out.append(self.tokens[i])
            i += 1
        return out

    def cues_in(self, start: int, end: int, *, verbs_only: bool = False) -> list[Cue]:
        return [c for c in self.cues if start <= c.start and c.end <= end and (c.kind == "verb" or not verbs_only)]


def _overlaps(a: tuple[int, int], spans: list[tuple[int, int]]) -> bool:
    return any(a[0] < e and s < a[1] for s, e in spans)


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and (text[start].isspace() or text[start] in ",:;—–-،"):
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in ",:;—–-،"):
        end -= 1
    return start, end


class _Extractor:
    def __init__(self, doc: _Doc, dates: list[DateMention], doc_date: DateValue | None):
        self.d = doc
        self.dates = dates
        self.doc_date = doc_date
        self.quotes: list[Quote] = []
        self.taken: list[tuple[int, int]] = []  # content spans already used
        self.used_cues: set[int] = set()

    # -- speakers ---------------------------------------------------------------
    def _run(self, pos: int, lo: int, hi: int, leftward: bool) -> tuple[int, int] | None:
        """The words right before (or after) ``pos`` up to punctuation: "the judge" said."""
        d = self.d
        i = bisect.bisect_left(d.starts, pos) - 1 if leftward else bisect.bisect_left(d.starts, pos)
        got: list[Token] = []
        while 0 <= i < len(d.tokens) and lo <= d.tokens[i].start and d.tokens[i].end <= hi:
            tok = d.tokens[i]
            if not tok.text[:1].isalnum() or d.t.lex.fold(tok.text) in d.t.complementizers:
                break
            got.append(tok)
            if len(got) > MAX_SPEAKER_WORDS:
                return None
            i += -1 if leftward else 1
        if not got:
            return None
        first, last = (got[-1], got[0]) if leftward else (got[0], got[-1])
        return first.start, last.end

    def speaker(self, cue: Cue, lo: int, hi: int, exclude: list[tuple[int, int]], *,
                content_before: bool = False) -> Candidate | None:
        """The speaker of ``cue`` among candidates in [lo, hi) outside ``exclude``;
        ``content_before``: the content precedes the cue, so "said the judge" may follow it."""
        cands = [c for c in self.d.candidates if lo <= c.start and c.end <= hi and not _overlaps((c.start, c.end), exclude)]
        rule = self.d.t.speaker_rule
        if rule == "nearest" and cue.kind == "verb":
            run = self._run(cue.start, lo, hi, True) or (self._run(cue.end, lo, hi, False) if content_before else None)
            if run is not None and not _overlaps(run, exclude):
                inside = [c for c in cands if run[0] <= c.start and c.end <= run[1]]
                if inside:
                    return min(inside, key=lambda c: (_RANK[c.kind], -(c.end - c.start)))
                return Candidate(run[0], run[1], self.d.text[run[0]:run[1]], None, "phrase")
        if not cands:
            return None
        left = [c for c in cands if c.end <= cue.start]
        right = [c for c in cands if c.start >= cue.end]
        if rule == "after_cue" and right and right[0].start - cue.end <= 40:
            return right[0]
        if rule == "clause_start" and left:
            clause_lo = max([lo] + [i + 1 for i in range(lo, cue.start) if self.d.text[i] in ":;.!?؟»”\""])
            in_clause = [c for c in left if c.start >= clause_lo]
            best = min(in_clause or left, key=lambda c: (_RANK[c.kind] > 0, c.start if in_clause else -c.start))
            return best

        def cost(c: Candidate) -> float:
            dist = cue.start - c.end if c.end <= cue.start else c.start - cue.end
            return dist + 40 * _RANK[c.kind]

        return min(left + right, key=cost) if left or right else None

    # -- assembling ---------------------------------------------------------------
    def quote(self, start: int, end: int, direct: bool, cue: Cue | None, who: Candidate | None) -> Quote:
        """The :class:`Quote` for content ``start:end`` with its cue and speaker (either may
        be missing): date said, speech act and issues filled in."""
        return Quote(
            start, end, self.d.text[start:end], direct,
            speaker=who.entity if who else None,
            speaker_text=who.text if who else None,
            speaker_span=(who.start, who.end) if who else None,
            cue=cue.text if cue else None,
            cue_span=(cue.start, cue.end) if cue else None,
            date=self.date_said(cue.start if cue else start),
            act=(cue.act or "assert") if cue else None,
            issues=self.issues(start, end),
        )

    def add(self, start: int, end: int, direct: bool, cue: Cue | None, who: Candidate | None, *,
            nest: bool = False) -> Quote | None:
        """Record a quote unless it overlaps an earlier one (``nest``: it may contain them)."""
        start, end = _trim(self.d.text, start, end)
        if not direct:  # reported content is a clause: the sentence's full stop is not in it
            while end > start and self.d.text[end - 1] in ".!?؟。 ":
                end -= 1
        if end <= start:
            return None
        clash = [(s, e) for s, e in self.taken if s < end and start < e]
        if clash and not (nest and all(start <= s and e <= end for s, e in clash)):
            return None
        if len(self.d.words(start, end)) < MIN_QUOTE_WORDS:
            return None
        if who is None and cue is not None and cue.kind == "verb":
            who = self.previous_speaker(start)
        q = self.quote(start, end, direct, cue, who)
        self.quotes.append(q)
        self.taken.append((start, end))
        if cue is not None:
            self.used_cues.add(cue.start)
        return q

    def previous_speaker(self, pos: int) -> Candidate | None:
        """The speaker of the last quote before ``pos`` if it is at most two sentences back."""
        before = [q for q in self.quotes if q.start < pos and q.speaker_span]
        if not before:
            return None
        q = max(before, key=lambda q: q.end)
        if self.d.sentence_index(pos) - self.d.sentence_index(q.end) > 2:
            return None
        s, e = q.speaker_span  # type: ignore[misc]
        return Candidate(s, e, q.speaker_text or "", q.speaker, "PERSON")

    def date_said(self, pos: int) -> DateValue | None:
        s, e = self.d.sentence_of(pos)
        for m in self.dates:
            if s <= m.start and m.end <= e and m.kind == "date" and m.value and _FULL_DATE.match(m.value):
                basis = "explicit" if m.basis == "explicit" else "relative" if m.basis == "relative" else "inferred"
                return DateValue(m.value, basis, m.text)  # type: ignore[arg-type]
        if self.doc_date and self.doc_date.value:
            return DateValue(self.doc_date.value, "document", self.doc_date.text)
        return None

    def issues(self, start: int, end: int) -> list[str]:
        i = bisect.bisect_left(self.d.starts, start)
        j = bisect.bisect_right(self.d.starts, end)
        found = self.d.t.issues.find(self.d.tokens[i:j], self.d.keys[i:j])
        return sorted({p for _, _, ps in found for p in ps})

    # -- patterns -----------------------------------------------------------------
    def quoted(self) -> None:
        d = self.d
        spans = quoted_spans(d.text)
        inner = [(q.start, q.end) for q in spans]
        for q in spans:
            words = d.words(q.start, q.end)
            if len(words) < MIN_QUOTE_WORDS:
                continue
            s_lo, _ = d.sentence_of(q.start)
            _, s_hi = d.sentence_of(max(q.end, q.start))
            right_hi = min(d.paragraph_end(q.end), max(s_hi, d.sentence_of(min(q.end + 2, len(d.text) - 1))[1]),
                           q.end + 1 + RIGHT_CUE_REACH)
            left = [c for c in d.cues_in(s_lo, q.start - 1) if not _overlaps((c.start, c.end), inner)]
            right = [c for c in d.cues_in(q.end + 1, right_hi) if not _overlaps((c.start, c.end), inner)]
            cue = None
            if left and right:
                cue = left[-1] if q.start - left[-1].end <= right[0].start - q.end else right[0]
            elif left or right:
                cue = left[-1] if left else right[0]
            if cue is None:
                whole = (q.end - q.start) >= 0.6 * (s_hi - s_lo)
                prev = self.previous_speaker(q.start)
                if len(words) >= CONTINUATION_WORDS and whole and prev is not None:
                    self.add(q.start, q.end, True, None, prev)
                continue
            if self._is_name(q.start, q.end):
                continue
            if cue.kind == "source" and not any(0 <= c.start - cue.end <= 3 for c in d.candidates):
                continue  # "طبق فرمول «...»", "according to the formula": no one is named
            who = self.speaker(cue, s_lo, max(right_hi, s_hi), inner, content_before=cue.start > q.end)
            self.add(q.start, q.end, True, cue, who)

    def _is_name(self, start: int, end: int) -> bool:
        """A quoted name ("Известия", "Washington Post"), not speech."""
        words = self.d.words(start, end)
        return len(words) <= 4 and all(w.text[:1].isupper() or w.text[:1].isdigit() for w in words) \
            and not any(ch in self.d.text[start:end] for ch in ".!?")

    def colon(self) -> None:
        d = self.d
        for cue in d.cues:
            if cue.start in self.used_cues or cue.kind == "source":
                continue
            s_lo, s_hi = d.sentence_of(cue.start)
            colon = d.text.find(":", cue.end, min(s_hi, cue.end + 60) + 1)
            if colon < 0 or d.cues_in(cue.end, colon, verbs_only=True):
                continue
            nxt = d.text[colon + 1:colon + 3].lstrip()
            if nxt[:1] in "«“„\"‹'‘「":
                continue  # a quoted span: pattern 1
            end = self._statement_end(colon + 1)
            who = self.speaker(cue, s_lo, colon, [])
            self.add(colon + 1, end, True, cue, who, nest=True)

    def _statement_end(self, pos: int) -> int:
        """End of colon speech: the paragraph, cut before a later sentence with its own cue."""
        d = self.d
        par_end = d.paragraph_end(pos)
        k = d.sentence_index(pos)
        end = d.sentences[k][1] if k < len(d.sentences) else par_end
        for s, e in d.sentences[k + 1:]:
            if s >= par_end or d.cues_in(s, e, verbs_only=True):
                break
            end = e
        return min(max(end, pos), par_end)

    def dash(self) -> None:
        if not self.d.t.dash_speech:
            return
        d = self.d
        for cue in d.cues:
            if cue.start in self.used_cues or cue.kind != "verb":
                continue
            s_lo, s_hi = d.sentence_of(cue.start)
            before = d.text[s_lo:cue.start].rstrip()
            if not before or before[-1] not in DASHES:
                continue
            content_end = s_lo + len(before) - 1
            who = self.speaker(cue, cue.end, s_hi, [], content_before=True)
            self.add(s_lo, content_end, True, cue, who)

    def reported(self) -> None:
        d = self.d
        for cue in d.cues:
            if cue.start in self.used_cues or cue.kind != "verb":
                continue
            s_lo, s_hi = d.sentence_of(cue.start)
            i = bisect.bisect_left(d.starts, cue.end)
            steps = 0
            start = None
            while i < len(d.tokens) and d.tokens[i].start < s_hi and steps < 6:
                tok = d.tokens[i]
                if d.t.lex.fold(tok.text) in d.t.complementizers:
                    start = tok.end
                    break
                if tok.text in ".!?;:":
                    break
                steps += 1
                i += 1
            if start is None and d.t.bare_clause:
                start = self._bare_clause(cue, s_hi)
            if start is not None:
                who = self.speaker(cue, s_lo, start, [])
                if self.add(start, s_hi, False, cue, who):
                    continue
            if d.t.bare_clause:
                self._trailing(cue, s_lo, s_hi)

    def _bare_clause(self, cue: Cue, s_hi: int) -> int | None:
        """"said the talks failed": content right after the cue (and a recipient or time word)."""
        d = self.d
        i = bisect.bisect_left(d.starts, cue.end)
        skipped = 0
        while i < len(d.tokens) and d.tokens[i].start < s_hi and skipped < 3 and \
                set(d.keys[i]) & d.t.after_cue:
            i += 1
            skipped += 1
        if i >= len(d.tokens) or d.tokens[i].start >= s_hi or not d.tokens[i].text[:1].isalnum():
            return None
        if len(d.words(d.tokens[i].start, s_hi)) < 4:
            return None
        return d.tokens[i].start

    def _trailing(self, cue: Cue, s_lo: int, s_hi: int) -> None:
        """"The talks failed, he said." — content before a comma, speaker and cue at the end."""
        d = self.d
        tail = d.text[cue.end:s_hi]
        if len(d.words(cue.end, s_hi)) > 3 or any(c in tail for c in ",;:"):
            return
        comma = d.text.rfind(",", s_lo, cue.start)
        if comma <= s_lo:
            return
        who = self.speaker(cue, comma + 1, s_hi, [], content_before=True)
        if who is None or not (comma < who.start):
            return
        self.add(s_lo, comma, False, cue, who)

    def sources(self) -> None:
        d = self.d
        for cue in d.cues:
            if cue.kind != "source" or cue.start in self.used_cues:
                continue
            s_lo, s_hi = d.sentence_of(cue.start)
            after = [c for c in d.candidates if cue.end <= c.start < cue.end + 60 and c.end <= s_hi]
            who = after[0] if after else self._named_source(cue.end, s_hi)
            if who is None:
                continue
            comma = next((i for i in range(who.end, s_hi) if d.text[i] in ",،"), None)
            if comma is not None and d.text[s_lo:cue.start].strip(" \t\n,،") == "":
                self.add(comma + 1, s_hi, False, cue, who)  # "According to X, content."
            elif d.text[s_lo:cue.start].rstrip().endswith((",", "،")):
                self.add(s_lo, cue.start, False, cue, who)  # "Content, according to X."


    def _named_source(self, pos: int, hi: int) -> Candidate | None:
        """"according to the poll": the words after a source noun, up to a comma (no entity)."""
        d = self.d
        stop = next((i for i in range(pos, hi) if d.text[i] in ",،;:"), hi)
        words = d.words(pos, stop)
        if not words or len(words) > 6:
            return None
        return Candidate(words[0].start, words[-1].end, d.text[words[0].start:words[-1].end], None, "anonymous")

    def headline(self) -> None:
        """"Песков: ...", "Pence: ...": a paragraph opening with a speaker and a colon."""
        d = self.d
        for c in d.candidates:
            if c.kind not in ("PERSON", "role", "ORG"):
                continue
            line_start = d.text.rfind("\n", 0, c.start) + 1
            if d.text[line_start:c.start].strip() or not d.text[c.end:c.end + 2].lstrip(" ").startswith(":"):
                continue
            colon = d.text.index(":", c.end)
            cue = Cue(colon, colon + 1, ":", "assert", "colon")
            self.add(colon + 1, d.paragraph_end(colon), True, cue, c, nest=True)


def extract_quotes(text: str, lang: str | None, sentences: list[tuple[int, int]], mentions: list[EntityMention],
                   references: list[Reference], dates: list[DateMention], doc_date: DateValue | None) -> list[Quote]:
    """Every statement in ``text`` (see the module doc), in text order."""
    t = _tools(lang)
    if not t.speech.cues:
        return []  # no vocabulary for this language: nothing rather than guesses
    x = _Extractor(_Doc(text, lang, sentences, mentions, references), dates, doc_date)
    x.quoted()
    x.headline()
    x.colon()
    x.dash()
    x.reported()
    x.sources()
    learned = tagger_for(lang)
    if learned is not None:  # a learned attribution model for this language ([tagger] in speech.toml)
        quoted = [(q.start, q.end) for q in quoted_spans(text)]
        quotes = merge(x.quotes, attribution_quotes(x, learned.attributions(text, quoted), quoted), learned.mode)
    else:
        quotes = sorted(x.quotes, key=lambda q: q.start)
    return _continue_speakers(quotes, x.d)


def _continue_speakers(quotes: list[Quote], d: _Doc) -> list[Quote]:
    """A pronoun speaker ("he added", "وی افزود") who follows a quote of a named person
    at most two sentences back is that person: the reporter goes on with the same
    speaker. The entity layer's guess (the first person of the latest sentence naming
    one) is kept where no such quote precedes; "Asked about Putin, the Kremlin
    spokesman said ... Such a meeting, he added, ..." is the spokesman's, not Putin's."""
    last: Quote | None = None
    for q in quotes:  # in text order
        span = q.speaker_span
        if (span is not None and last is not None and last.speaker_span is not None
                and last.speaker_span[1] <= span[0] and d.t.lex.is_pronoun(q.speaker_text or "")
                and d.sentence_index(span[0]) - d.sentence_index(last.end) <= 2):
            q.speaker = last.speaker
        if q.speaker in d.persons:
            last = q
        elif q.speaker is not None:
            last = None  # an organisation or a country spoke last: the pronoun is not theirs
    return quotes
