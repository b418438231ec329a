"""A learned attribution tagger: who is said (or thought, or found) to hold what.

The rule patterns of :mod:`.extract` find speech introduced by a reporting verb. News
also attributes beliefs, intentions, findings and allegations ("investigators have
discovered", "allegations of", "the poll shows"), which no short verb list covers. For a
language whose ``speech.toml`` names a model in its ``[tagger]`` section, a
python-crfsuite model trained on an attribution corpus (English: PolNeAR, see
:mod:`.train_tagger`) labels every token of a paragraph with one of

* ``B-S`` / ``I-S``: the **source** (who holds the content: "the senator", "a poll"),
* ``B-C`` / ``I-C``: the **cue** ("said", "believes", "according to", "allegations of"),
* ``B-Q`` / ``I-Q``: the **content** (what is attributed),
* ``O``.

An attribution corpus where every token belongs to at most one attribution makes this a
tag-sequence problem. :func:`group` then assembles each cue with the content and source
spans nearest to it into an :class:`Attribution`, and :func:`attribution_quotes` turns
those into :class:`~dragoman.model.Quote` objects with the rule layer's helpers
(speaker entity, date said, issues).

Features are cheap and computed per paragraph (a non-blank line); what depends only on
the word is cached (:func:`_word_features`):

* the word lower-cased (digits folded to 0), its 3-letter suffix, its shape,
  capitalisation, and the punctuation character it is;
* the language's speech vocabulary: reporting cue (with its act), source phrase
  ("according to"), statement noun, complementizer, anonymous source, and the
  tagger's extra attribution words (``[tagger] cue_words``: "believes", "hopes",
  "allegations") — for the word and its ±1 neighbours;
* where the nearest vocabulary cue stands to the left and to the right in the same
  sentence (distance bucket);
* quotation state (:mod:`.marks`): inside quotes, an opening or a closing mark;
* the start of the paragraph or of a sentence, the end of the paragraph;
* the words at -2 … +2 and the word bigrams around the word;
* with ``[tagger] syntax = true``, the dependency parse (:mod:`dragoman.text.syntax`,
  :func:`syntax_features`): tag, relation and head, and how the word's branch hangs from
  the nearest cue and the nearest verb above it.

With a parse, a cue's source is also chosen by grammar (:func:`cue_subjects`): the
source span that holds the cue's subject, else the subject's words themselves.

With ``[tagger] stacked`` (optional; English has none), a second model labels each paragraph again from the same
features plus the first model's labels and marginals (:func:`prediction_features`):
where the nearest *predicted* cue stands, how a word hangs from it in the parse, what
its neighbours were given. It sees the cues the first model learned, not only those of
the vocabulary.

With ``[tagger] neural`` (English ships one), a bidirectional LSTM (:mod:`.neural`) reads
the same features over the whole paragraph, with contextual vectors from a pretrained
encoder where its file asks for them, and its label probabilities are averaged with the
CRF's marginals (``neural_weight``: its share) before decoding. The CRF sees a window;
the network sees the paragraph; they err differently.

With ``[tagger] rescorer`` (English ships one), decoding proposes more candidates
(``rescore_o_weight``, from each of ``rescore_views``: the averaged probabilities, the
CRF's, the recurrent model's) and a logistic regression over each assembled
attribution (:mod:`.rescore`: cue words, role probabilities, content shape, source,
parse relation, which views found it) keeps the likeliest reading of each statement
whose probability reaches ``rescore_keep`` (:func:`.rescore.select`).

Taking out the 2-letter suffix and the neighbours' shapes and quotation states cost
nothing on held-out train documents and made tagging faster; taking out the bigrams
cost 0.6 point of content F1.
"""

from __future__ import annotations

import bisect
import logging
import os
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Iterable, Mapping, NamedTuple, Sequence

from ..entities.tokens import Token, tokenize
from ..resources import language_file, read_toml, resource_dir
from ..text import syntax
from ..text.syntax import Parse
from .lexicon import speech_lexicon
from .marks import quoted_spans

if TYPE_CHECKING:  # pragma: no cover
    from ..model import Quote
    import numpy as np

log = logging.getLogger(__name__)

MODELS_DIR = resource_dir() / "models"
LABELS = ("O", "B-S", "I-S", "B-C", "I-C", "B-Q", "I-Q")
SENTENCE_END = frozenset(".!?")
QUOTE_CHARS = frozenset("\"“”„«»‹›'‘’")
MODES = ("learned_first", "rules_first", "learned_only")
NEURAL_WEIGHT = 0.4  # the recurrent model's default share of the averaged label probabilities
#: the label probabilities a rescorer's candidates may be decoded from (``[tagger]
#: rescore_views``): the averaged ones, the CRF's alone, the recurrent model's alone
VIEWS = ("mixed", "crf", "neural")


def check_views(views: Sequence[str], neural: bool) -> tuple[str, ...]:
    """``views`` as a tuple when they are distinct names from :data:`VIEWS`, and other
    than ``mixed`` only for a tagger with a recurrent model (``neural``); a ValueError
    says what is wrong otherwise."""
    out = tuple(views)
    if not out or len(set(out)) != len(out) or not all(isinstance(v, str) and v in VIEWS for v in out):
        raise ValueError(f"rescore_views must be a non-empty list of distinct names from {', '.join(VIEWS)}, "
                         f"not {list(out)!r}")
    if not neural and out != ("mixed",):
        raise ValueError("rescore_views other than mixed need a neural model (the recurrent one)")
    return out


# ----------------------------------------------------------------------- vocabulary

@dataclass(frozen=True)
class TaggerConfig:
    """A language's ``[tagger]`` section of ``speech.toml``."""

    lang: str
    model: Path | None  # None: this language has no attribution model
    mode: str = "learned_first"  # how learned and rule quotes combine (:func:`merge`)
    o_weight: float = 1.0  # below 1: more attributions (:func:`decode_marginals`)
    cue_words: tuple[str, ...] = ()
    syntax: bool = False  # features from the language's dependency parse (:func:`syntax_features`)
    stacked: Path | None = None  # a second model that reads the first one's labels (:func:`prediction_features`)
    neural: Path | None = None  # a recurrent model averaged with the CRF (:mod:`.neural`)
    neural_weight: float = NEURAL_WEIGHT  # the recurrent model's share of the averaged label probabilities
    rescorer: Path | None = None  # keeps or drops each assembled attribution (:mod:`.rescore`)
    rescore_o_weight: float = 1.0  # the o_weight of decoding when the rescorer is on (candidates)
    rescore_keep: float = 0.5  # the rescorer's P(keep) that a candidate needs
    rescore_views: tuple[str, ...] = ("mixed",)  # the decodings whose candidates the rescorer chooses among

    def views(self, neural: bool) -> tuple[str, ...]:
        """The views a tagger of this language decodes: ``rescore_views`` with its
        recurrent model (``neural``), else the one there is (``mixed``, the CRF's)."""
        return self.rescore_views if neural else ("mixed",)


def read_config(lang: str | None) -> TaggerConfig:
    """The ``[tagger]`` section of ``resources/<lang>/speech.toml`` (missing: no model).

    ``model`` is a file name under ``resources/models`` (or an absolute path); ``mode``
    is ``learned_first``, ``rules_first`` or ``learned_only`` (:func:`merge`);
    ``o_weight`` (0 < w ≤ 1) scales the "no attribution" probability in decoding;
    ``cue_words`` lists extra attribution words used as features ("believes",
    "allegations"); ``stacked`` names a second model, trained on the first one's
    held-out labels (:func:`prediction_features`), that labels the text again;
    ``neural`` names a recurrent model (:mod:`.neural`) whose label probabilities are
    averaged with the CRF's, ``neural_weight`` (0 ≤ w ≤ 1, default 0.4) being its share;
    ``rescorer`` names a model (:mod:`.rescore`) that keeps an assembled attribution when
    its probability reaches ``rescore_keep`` (default 0.5), the tagger then decoding with
    ``rescore_o_weight`` (default: ``o_weight``) instead of ``o_weight``;
    ``rescore_views`` (default ``["mixed"]``) lists the label probabilities the
    rescorer's candidates are decoded from (:data:`VIEWS`; ``crf`` and ``neural`` need
    a ``neural`` model)."""
    path = language_file(lang, "speech.toml") if lang else None
    if path is None:
        return TaggerConfig(lang or "und", None)
    section = read_toml(path, "speech vocabulary").get("tagger", {})
    if not section:
        return TaggerConfig(lang, None)  # type: ignore[arg-type]
    from ..errors import ResourceError

    mode = section.get("mode", "learned_first")
    if mode not in MODES:
        raise ResourceError(f"{path} [tagger]: mode must be one of {', '.join(MODES)}, not {mode!r}")
    o_weight = section.get("o_weight", 1.0)
    if not isinstance(o_weight, (int, float)) or not 0 < o_weight <= 1:
        raise ResourceError(f"{path} [tagger]: o_weight must be a number in (0, 1], not {o_weight!r}")
    words = section.get("cue_words", [])
    if not isinstance(words, list) or not all(isinstance(w, str) and w.strip() for w in words):
        raise ResourceError(f"{path} [tagger]: cue_words must be a list of non-empty strings")
    model = section.get("model")
    stacked = section.get("stacked")
    neural = section.get("neural")
    rescorer = section.get("rescorer")
    for key, value in (("model", model), ("stacked", stacked), ("neural", neural), ("rescorer", rescorer)):
        if value is not None and not isinstance(value, str):
            raise ResourceError(f"{path} [tagger]: {key} must be a file name")
    def model_file(name: str) -> Path:
        return Path(name) if Path(name).is_absolute() else MODELS_DIR / name

    model_path = model_file(model) if model else None
    stacked_path = model_file(stacked) if stacked and model else None
    neural_path = model_file(neural) if neural and model else None
    def share(key: str, default: float, zero: bool = True) -> float:
        """``key``'s number in [0, 1] (``zero`` false: in (0, 1]); a ResourceError otherwise."""
        value = section.get(key, default)
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not (
                0 <= value <= 1 if zero else 0 < value <= 1):
            raise ResourceError(f"{path} [tagger]: {key} must be a number in {'[' if zero else '('}0, 1], "
                                f"not {value!r}")
        return float(value)

    neural_weight = share("neural_weight", NEURAL_WEIGHT)
    rescorer_path = model_file(rescorer) if rescorer and model else None
    rescore_o_weight = share("rescore_o_weight", o_weight, zero=False)
    keep = share("rescore_keep", 0.5)
    views = section.get("rescore_views", ["mixed"])
    try:
        views = check_views(views if isinstance(views, list) else [], neural is not None)
    except ValueError as e:
        raise ResourceError(f"{path} [tagger]: {e}") from e
    cue_words = tuple(w.strip() for w in words)
    syntax = section.get("syntax", False)
    if not isinstance(syntax, bool):
        raise ResourceError(f"{path} [tagger]: syntax must be true or false")
    return TaggerConfig(lang, model_path, mode, float(o_weight), cue_words, syntax,  # type: ignore[arg-type]
                        stacked_path, neural_path, neural_weight, rescorer_path, rescore_o_weight, keep,
                        views)


class Vocabulary:
    """Word and phrase lists matched on tokens folded like the features' words
    (lower case, digits as 0, ’ as '), longest match first."""

    def __init__(self, entries: Iterable[tuple[str, str]]):
        self._phrases: dict[str, list[tuple[tuple[str, ...], str]]] = {}
        for phrase, tag in entries:
            words = tuple(_word_features(t.text).lo for t in tokenize(phrase))
            if words:
                self._phrases.setdefault(words[0], []).append((words[1:], tag))
        for options in self._phrases.values():
            options.sort(key=lambda o: -len(o[0]))

    def tags(self, words: Sequence[str]) -> list[str | None]:
        """For folded ``words``, the tag of the phrase each word is part of (or None)."""
        out: list[str | None] = [None] * len(words)
        i, n = 0, len(words)
        while i < n:
            options = self._phrases.get(words[i])
            hit = None
            if options:
                for rest, tag in options:
                    k = len(rest)
                    if i + 1 + k <= n and tuple(words[i + 1:i + 1 + k]) == rest:
                        hit = (k + 1, tag)
                        break
            if hit is None:
                i += 1
                continue
            for j in range(i, i + hit[0]):
                out[j] = hit[1]
            i += hit[0]
        return out


@lru_cache(maxsize=None)
def vocabulary(lang: str | None) -> Vocabulary:
    """The feature vocabulary of ``lang``: its speech lexicon plus ``[tagger] cue_words``."""
    sp = speech_lexicon(lang)
    entries: list[tuple[str, str]] = []
    for act, phrases in sp.cues.items():
        entries += [(p, "cue:" + act) for p in phrases]
    entries += [(p, "src") for p in sp.source_nouns]
    entries += [(p, "stm") for p in sp.statement_nouns]
    entries += [(p, "comp") for p in sp.complementizers]
    entries += [(p, "anon") for p in sp.anonymous]
    entries += [(p, "cog") for p in read_config(lang).cue_words]
    return Vocabulary(entries)


# ------------------------------------------------------------------------- features

def paragraphs(text: str) -> list[tuple[int, int]]:
    """(start, end) of the non-blank lines of ``text``: the tagger's sequences."""
    out = []
    pos, n = 0, len(text)
    while pos < n:
        nl = text.find("\n", pos)
        if nl < 0:
            nl = n
        if nl > pos and not text[pos:nl].isspace():
            out.append((pos, nl))
        pos = nl + 1
    return out


def _shape(word: str) -> str:
    out = []
    last = ""
    for ch in word:
        c = "X" if ch.isupper() else "x" if ch.islower() else "d" if ch.isdigit() else ch
        if c != last:
            out.append(c)
            last = c
    return "".join(out[:5])


class _Word(NamedTuple):
    lo: str  # lower-cased, digits folded to 0, ’ as '
    own: tuple[str, ...]  # the word's own features
    prev: str  # what it gives the next word ("-1w=")
    next: str  # what it gives the previous word ("+1w=")
    prev2: str  # "-2w="
    next2: str  # "+2w="


_WORDS: dict[str, _Word] = {}


def _word_features(word: str) -> _Word:
    """Everything about ``word`` that does not depend on its context, cached."""
    hit = _WORDS.get(word)
    if hit is not None:
        return hit
    lo = word.lower()
    if any(ch.isdigit() for ch in lo):
        lo = "".join("0" if ch.isdigit() else ch for ch in lo)
    lo = lo.replace("’", "'")
    own = ["b", "w=" + lo, "sh=" + _shape(word)]
    if len(lo) > 3:
        own.append("s3=" + lo[-3:])
    if word[:1].isupper():
        own.append("T")
    if not word[:1].isalnum():
        own.append("P=" + ("q" if word in QUOTE_CHARS else word))
    if len(_WORDS) > 200_000:
        _WORDS.clear()
    hit = _Word(lo, tuple(own), "-1w=" + lo, "+1w=" + lo, "-2w=" + lo, "+2w=" + lo)
    _WORDS[word] = hit
    return hit


def _bucket(d: int) -> str:
    return "1" if d <= 1 else "2" if d == 2 else "3" if d == 3 else "6" if d <= 6 else "12" if d <= 12 else "25" \
        if d <= 25 else "far"


def quote_states(tokens: Sequence[Token], quoted: Sequence[tuple[int, int]]) -> list[str]:
    """Per token: ``in`` (inside quotation marks), ``open`` / ``close`` (the mark), ``out``."""
    starts = [s for s, _ in quoted]
    out = []
    for t in tokens:
        k = bisect.bisect_right(starts, t.start) - 1
        state = "out"
        if k >= 0 and t.start < quoted[k][1]:
            state = "in"
        elif k >= 0 and t.start == quoted[k][1]:
            state = "close"
        elif k + 1 < len(starts) and t.end == starts[k + 1]:
            state = "open"
        out.append(state)
    return out


_STATE = {k: "q=" + k for k in ("in", "out", "open", "close")}
_LEX: dict[str, tuple[str, str, str]] = {}
_DIST = {d: _bucket(d) for d in range(1, 26)}


def _lex(tag: str) -> tuple[str, str, str]:
    hit = _LEX.get(tag)
    if hit is None:
        hit = _LEX[tag] = ("lx=" + tag, "-1lx=" + tag, "+1lx=" + tag)
    return hit


_CUE_ROLES = ("cue:", "cog", "src", "stm")  # vocabulary tags that make a word a cue for the syntax features


def syntax_features(tokens: Sequence[Token], lex: Sequence[str | None], parse: Parse) -> list[list[str]]:
    """Per token, features from the dependency parse (the parser token that holds the
    token's first character; none where no parser token does):

    * ``tg=`` its part-of-speech tag, ``dp=`` its relation, ``hw=`` relation and head word;
    * ``ca=`` the relation by which its branch hangs from the nearest vocabulary cue above
      it ("nsubj": the source, "ccomp": the content; ``ca=self`` on the cue), with the
      cue's distance up the tree (``cd=``);
    * ``va=`` the same for the nearest verb above it, with that verb (``vw=``): it tells
      content and source of cue verbs that no list has.
    """
    align = [parse.at(t.start) for t in tokens]
    cues = {j for j, tag in zip(align, lex) if j is not None and tag is not None and tag.startswith(_CUE_ROLES)}
    heads, deps, tags, lower = parse.heads, parse.deps, parse.tags, parse.lower
    out: list[list[str]] = []
    for j in align:
        if j is None:
            out.append([])
            continue
        h = heads[j]
        f = ["tg=" + tags[j], "dp=" + deps[j], "hw=" + deps[j] + "|" + lower[h]]
        if j in cues:
            f.append("ca=self")
        node, depth, cue_done, verb_done = j, 1, j in cues, False
        while depth <= 12 and not (cue_done and verb_done):
            h = heads[node]
            if h == node:
                break
            if not cue_done and h in cues:
                f += ["ca=" + deps[node], "cd=" + _DIST.get(depth, "far"), "cw=" + deps[node] + "|" + lower[h]]
                cue_done = True
            if not verb_done and tags[h].startswith("VB"):
                f += ["va=" + deps[node], "vw=" + deps[node] + "|" + lower[h]]
                verb_done = True
            node, depth = h, depth + 1
        out.append(f)
    return out


def cue_distances(words: Sequence[str], is_cue: Sequence[bool], left: str, right: str) -> tuple[list[str], list[str]]:
    """Per word, how far (:func:`_bucket`) the nearest cue stands to its left and to its
    right within its sentence, as features named ``left`` / ``right`` (``<name>none``
    where there is none)."""
    n = len(words)
    to_left = [left + "none"] * n
    to_right = [right + "none"] * n
    last = -1
    for i in range(n):
        if last >= 0:
            to_left[i] = left + _DIST.get(i - last, "far")
        if is_cue[i]:
            last = i
        if words[i] in SENTENCE_END:
            last = -1
    last = -1
    for i in range(n - 1, -1, -1):
        if words[i] in SENTENCE_END:
            last = -1
        if last >= 0:
            to_right[i] = right + _DIST.get(last - i, "far")
        if is_cue[i]:
            last = i
    return to_left, to_right


def sequence_features(tokens: Sequence[Token], vocab: Vocabulary, quote_state: Sequence[str],
                      parse: Parse | None = None) -> list[list[str]]:
    """crfsuite attribute lists for one paragraph's tokens (see the module doc)."""
    n = len(tokens)
    wf = [_word_features(t.text) for t in tokens]
    low = [w.lo for w in wf]
    lex = vocab.tags(low)
    syn = syntax_features(tokens, lex, parse) if parse is not None else None
    lexf = [_lex(t) if t is not None else None for t in lex]
    states = [_STATE[q] for q in quote_state]
    # distance to the nearest vocabulary cue left / right of each token in its sentence
    cl, cr = cue_distances(low, [t is not None and t != "comp" for t in lex], "cl=", "cr=")
    out: list[list[str]] = []
    sent_start = True
    for i in range(n):
        w = wf[i]
        lo = w.lo
        f = [*w.own, states[i], cl[i], cr[i]]
        if syn is not None:
            f += syn[i]
        if lexf[i] is not None:
            f.append(lexf[i][0])  # type: ignore[index]
        if i == 0:
            f.append("BOP")
        elif sent_start:
            f.append("BOS")
        if i > 0:
            p = wf[i - 1]
            f.append(p.prev)
            f.append("-1w|w=" + p.lo + "|" + lo)
            if lexf[i - 1] is not None:
                f.append(lexf[i - 1][1])  # type: ignore[index]
            if i > 1:
                f.append(wf[i - 2].prev2)
        if i < n - 1:
            nx = wf[i + 1]
            f.append(nx.next)
            f.append("w|+1w=" + lo + "|" + nx.lo)
            if lexf[i + 1] is not None:
                f.append(lexf[i + 1][2])  # type: ignore[index]
            if i < n - 2:
                f.append(wf[i + 2].next2)
        else:
            f.append("EOP")
        sent_start = lo in SENTENCE_END
        out.append(f)
    return out


class Paragraph(NamedTuple):
    tokens: list[Token]
    features: list[list[str]]
    quotes: list[str]  # :func:`quote_states`


def document_sequences(text: str, lang: str | None, quoted: Sequence[tuple[int, int]] | None = None,
                       parse: Parse | None = None) -> list[Paragraph]:
    """Tokens, features and quotation states of each paragraph of ``text`` (``quoted``:
    its quoted spans, :func:`~.marks.quoted_spans`, when the caller has them; ``parse``:
    its dependency parse, for a model trained with syntax features)."""
    vocab = vocabulary(lang)
    if quoted is None:
        quoted = [(q.start, q.end) for q in quoted_spans(text)]
    out = []
    for s, e in paragraphs(text):
        toks = tokenize(text, s, e)
        if toks:
            states = quote_states(toks, quoted)
            out.append(Paragraph(toks, sequence_features(toks, vocab, states, parse), states))
    return out


_ROLES = ("Q", "S", "C")


def prediction_features(tokens: Sequence[Token], features: Sequence[list[str]], rows: Sequence[Mapping[str, float]],
                        labels: Sequence[str], parse: Parse | None = None) -> list[list[str]]:
    """``features`` with what a first model predicted (``rows``: its label marginals per
    token; ``labels``: its decoded labels), for a second (stacked) model:

    * ``p=`` the predicted role (Q, S, C or O) of the word, of its neighbours at ±1 and
      ±2, and the three roles around it together;
    * ``mQ=`` / ``mS=`` / ``mC=`` each role's marginal, in fifths;
    * ``pl=`` / ``pr=`` how far the nearest *predicted* cue stands to the left and right
      in the sentence (the first features do this for vocabulary cues only), and
      ``ps=`` whether the sentence has one;
    * with a parse, ``ph=`` the predicted role of the word's head and ``pa=`` / ``pd=``
      the relation by which its branch hangs from the nearest predicted cue above it,
      and how far up.

    Trained on held-out labels (:mod:`.train_tagger` labels each part of the training
    text with a model that did not see it), the second model learns where the first
    errs; on held-out PolNeAR train fold 1 it raised content F1 from .790 to .794 and
    source accuracy from .839 to .843, but on dev it lowered them by 0.7 and 0.6 point
    and it doubles the tagging time: English does not use it."""
    n = len(tokens)
    role = [lab[2:] if lab != "O" else "O" for lab in labels]
    words = [t.text for t in tokens]
    pl, pr = cue_distances(words, [r == "C" for r in role], "pl=", "pr=")
    sentence_cue = [False] * n
    start = 0
    for i in range(n):
        if words[i] in SENTENCE_END or i == n - 1:
            if any(r == "C" for r in role[start:i + 1]):
                sentence_cue[start:i + 1] = [True] * (i + 1 - start)
            start = i + 1
    tree: list[list[str]] = [[] for _ in range(n)]
    if parse is not None:
        align = [parse.at(t.start) for t in tokens]
        token_of: dict[int, int] = {}
        for i, j in enumerate(align):
            if j is not None:
                token_of.setdefault(j, i)
        cues = {j for i, j in enumerate(align) if j is not None and role[i] == "C"}
        for i, j in enumerate(align):
            if j is None:
                continue
            head = token_of.get(parse.heads[j])
            f = ["ph=" + (role[head] if head is not None else "-")]
            node, depth = j, 1
            while depth <= 12:
                h = parse.heads[node]
                if h == node:
                    break
                if h in cues:
                    f += ["pa=" + parse.deps[node], "pd=" + _DIST.get(depth, "far")]
                    break
                node, depth = h, depth + 1
            tree[i] = f
    out = []
    for i in range(n):
        before = role[i - 1] if i else "^"
        after = role[i + 1] if i < n - 1 else "$"
        row = rows[i]
        f = [*features[i], "p=" + role[i], "p-1=" + before, "p+1=" + after,
             "p-2=" + (role[i - 2] if i > 1 else "^"), "p+2=" + (role[i + 2] if i < n - 2 else "$"),
             "p3=" + before + role[i] + after, pl[i], pr[i], "ps=" + ("1" if sentence_cue[i] else "0")]
        for r in _ROLES:
            f.append(f"m{r}={min(4, int(5 * (row.get('B-' + r, 0.0) + row.get('I-' + r, 0.0))))}")
        f += tree[i]
        out.append(f)
    return out


# ------------------------------------------------------------------- spans, groups

@dataclass(frozen=True, slots=True)
class Span:
    role: str  # S, C or Q
    start: int  # character offsets
    end: int
    first: int  # token indices within the document's token list
    last: int


@dataclass
class Attribution:
    cue: Span | None
    contents: list[Span] = field(default_factory=list)
    sources: list[Span] = field(default_factory=list)

    @property
    def content(self) -> tuple[int, int]:
        return min(c.start for c in self.contents), max(c.end for c in self.contents)

    @property
    def prediction(self) -> tuple[tuple[int, int], tuple[int, int] | None]:
        """(content, first source span or None): what the benchmark's matching reads
        (:func:`dragoman.evaluation.polnear.match`)."""
        return self.content, (self.sources[0].start, self.sources[0].end) if self.sources else None


def spans_from_labels(tokens: Sequence[Token], labels: Sequence[str], offset: int = 0) -> list[Span]:
    """Spans of BIO ``labels``; an I- that does not continue a span of its role opens one.
    ``offset``: index of ``tokens[0]`` in the document's token list."""
    out: list[Span] = []
    role = None
    first = 0
    for i, lab in enumerate(list(labels) + ["O"]):
        if role is not None and (lab == "O" or lab[0] == "B" or lab[2:] != role):
            out.append(Span(role, tokens[first].start, tokens[i - 1].end, offset + first, offset + i - 1))
            role = None
        if lab != "O" and role is None:
            role, first = lab[2:], i
    return out


def decode_marginals(rows: Sequence[Mapping[str, float]], o_weight: float = 1.0) -> list[str]:
    """BIO labels from per-token label marginals (posterior decoding).

    Each token takes the role (S, C, Q) whose B- and I- marginals sum highest, or O when
    ``o_weight`` × P(O) beats every role: below 1 the tagger proposes more attributions
    (recall for precision). A token opens a span (B-) when the previous token has another
    role or its B- marginal beats its I- one. Marginals are taken to sum to 1, and rows
    are asked for what the decision needs only: once the best score so far is at least
    the probability left to the roles not yet asked, they are not asked."""
    out = []
    prev = "O"
    for row in rows:
        p_o = row.get("O", 0.0)
        best, score = "O", o_weight * p_o
        rest = 1.0 - p_o  # what the roles not yet asked can have at most
        for role in "QSC":  # content first: the commonest role
            if score >= rest:
                break
            sc = row.get("B-" + role, 0.0) + row.get("I-" + role, 0.0)
            rest -= sc
            if sc > score:
                best, score = role, sc
        if best == "O":
            out.append("O")
        elif prev != best or row.get("B-" + best, 0.0) > row.get("I-" + best, 0.0):
            out.append("B-" + best)
        else:
            out.append("I-" + best)
        prev = best
    return out


class _Marginals:
    """The label marginals of one position of the sequence crfsuite holds, asked for
    lazily (:func:`decode_marginals` needs P(O) alone for most tokens)."""

    __slots__ = ("_marginal", "_pos", "_labels", "_seen")

    def __init__(self, marginal, pos: int, labels: frozenset[str]):  # noqa: ANN001 - Tagger.marginal
        self._marginal = marginal
        self._pos = pos
        self._labels = labels
        self._seen: dict[str, float] = {}

    def get(self, label: str, default: float = 0.0) -> float:
        value = self._seen.get(label)
        if value is None:
            value = self._marginal(label, self._pos) if label in self._labels else default
            self._seen[label] = value
        return value


def _gap(a: Span, b: Span) -> int:
    """Tokens strictly between two spans."""
    return a.first - b.last - 1 if a.first > b.last else b.first - a.last - 1


def _meets(a: Span, b: Span) -> bool:
    return a.first <= b.last and b.first <= a.last


def group(spans: Sequence[Span], *, cueless: bool = False,
          subjects: Mapping[int, Span] | None = None) -> list[Attribution]:
    """Attributions of one paragraph's spans.

    Each content and source span joins the nearest cue (on a tie, a content span the cue
    before it, a source the cue after it: "the senator said"), except that a source span
    holding a cue's grammatical subject (``subjects``: by the cue's first token index,
    from :func:`cue_subjects`) joins that cue. A cue's sources are ordered subject first,
    then nearest first. A cue left without a source takes its subject, else shares the
    nearest source before it in the paragraph ("she said ... and added"; a source after
    it belongs to a later statement: sharing those cost 0.4 point of source accuracy on
    held-out train fold 1). Cues without content are
    dropped. Content in a paragraph with no cue makes a cue-less attribution only with
    ``cueless``: on held-out PolNeAR train documents those were right half the time, and
    leaving them out raised content precision by 3 points and source accuracy by 3 at
    the same F1."""
    cues = [s for s in spans if s.role == "C"]
    if not cues:
        return [Attribution(None, [c]) for c in spans if c.role == "Q"] if cueless else []
    subjects = subjects or {}
    groups = {c.first: Attribution(c) for c in cues}
    for s in spans:
        if s.role == "C":
            continue
        owner = next((c for c in cues if s.role == "S" and c.first in subjects and _meets(s, subjects[c.first])), None)
        best = owner or min(cues, key=lambda c: (_gap(s, c), (c.first < s.first) == (s.role == "S")))
        (groups[best.first].contents if s.role == "Q" else groups[best.first].sources).append(s)
    sources = [s for s in spans if s.role == "S"]
    for c in cues:
        g = groups[c.first]
        subject = subjects.get(c.first)
        if not g.sources and subject is not None:
            g.sources.append(subject)
        elif not g.sources and any(s.last < c.first for s in sources):
            g.sources.append(min((s for s in sources if s.last < c.first), key=lambda s: _gap(s, c)))
        g.sources.sort(key=lambda s: (subject is None or not _meets(s, subject), _gap(s, c), s.first > c.first))
    return [g for g in groups.values() if g.contents]


def one_side(a: Attribution, text: str, complementizers: Iterable[str]) -> Attribution:
    """``a`` without the content before its cue when the content after it is a complement
    clause (opens with one of the language's ``complementizers``: "that ...").

    Content interrupted by its attribution is one content in two pieces, quoted ("“No,”
    she said, “never.”") or not ("Such a meeting, he added, could only follow ..."). But
    where the words after the cue open with "that", they are the whole statement, and
    what came before the source is something else: "Asked about a summit, the
    spokesman said that there were no plans" must not make a quote whose text holds its
    own speaker and cue."""
    if a.cue is None:
        return a
    after = [c for c in a.contents if c.start >= a.cue.end]
    if not after or len(after) == len(a.contents):
        return a
    first = text[after[0].start:after[0].end].split(None, 1)
    if not first or first[0].lower() not in complementizers:
        return a
    return Attribution(a.cue, after, a.sources)


_SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass"})


def children(parse: Parse) -> dict[int, list[int]]:
    """Each parse token's dependents, in text order."""
    out: dict[int, list[int]] = {}
    for j, h in enumerate(parse.heads):
        if h != j:
            out.setdefault(h, []).append(j)
    return out


def cue_subjects(spans: Sequence[Span], tokens: Sequence[Token], offset: int, parse: Parse,
                 kids: Mapping[int, list[int]]) -> dict[int, Span]:
    """The grammatical subject of each cue span of one paragraph, as a source
    :class:`Span` over ``tokens`` (the paragraph's, the first at document index
    ``offset``): the subtree of the ``nsubj`` / ``nsubjpass`` dependent of a cue word
    ("[The senator from Ohio] said"), or the object of "to" in "according to [X]".
    Cues whose subject the parse does not give (or gives outside the paragraph) have
    none."""
    out: dict[int, Span] = {}
    starts = [t.start for t in tokens]
    for c in spans:
        if c.role != "C":
            continue
        first, last = parse.at(c.start), parse.at(c.end - 1)
        if first is None or last is None:
            continue
        subject = None
        for j in range(first, last + 1):
            deps = [k for k in kids.get(j, ()) if parse.deps[k] in _SUBJECT_DEPS or
                    (parse.deps[k] == "pobj" and parse.lower[j] == "to" and j > first)]
            if deps:
                subject = deps[0]
                break
        if subject is None:
            continue
        lo = hi = subject
        stack = [subject]
        while stack:  # the subject's subtree
            k = stack.pop()
            lo, hi = min(lo, k), max(hi, k)
            stack += kids.get(k, ())
        s, e = parse.starts[lo], parse.ends[hi]
        i = bisect.bisect_left(starts, s)
        k = bisect.bisect_left(starts, e) - 1
        if i >= len(tokens) or k < i or tokens[k].end > e or tokens[i].start != s:
            continue
        out[c.first] = Span("S", s, tokens[k].end, offset + i, offset + k)
    return out


# --------------------------------------------------------------------------- tagger

class AttributionTagger:
    """Tags a text's paragraphs with a crfsuite attribution model and groups the spans."""

    def __init__(self, model_path: str | Path, lang: str | None, mode: str = "learned_first",
                 o_weight: float = 1.0, syntax: bool = False, stacked: str | Path | None = None,
                 neural: str | Path | None = None, neural_weight: float = NEURAL_WEIGHT,
                 rescorer: str | Path | None = None, rescore_o_weight: float | None = None,
                 rescore_keep: float = 0.5, rescore_views: Sequence[str] = ("mixed",)):
        import pycrfsuite

        self.model_path = Path(model_path)
        if not self.model_path.is_file():
            raise FileNotFoundError(f"attribution model not found: {self.model_path}")
        self.lang = lang
        self.mode = mode  # how its quotes join the rule quotes (:func:`merge`)
        self.o_weight = o_weight  # :func:`decode_marginals`
        self.syntax = syntax  # the model was trained with :func:`syntax_features`
        self._complementizers = frozenset(w.lower() for w in speech_lexicon(lang).complementizers)
        self._tagger = pycrfsuite.Tagger()
        self._tagger.open(str(self.model_path))
        self._labels = frozenset(self._tagger.labels())
        self._label_order = tuple(sorted(self._labels))
        self.stacked_path = Path(stacked) if stacked else None
        self._second = None
        if self.stacked_path is not None:
            if not self.stacked_path.is_file():
                raise FileNotFoundError(f"stacked attribution model not found: {self.stacked_path}")
            self._second = pycrfsuite.Tagger()
            self._second.open(str(self.stacked_path))
            self._second_labels = frozenset(self._second.labels())
        self.neural_path = Path(neural) if neural else None
        self.neural_weight = neural_weight
        self._neural = None
        if self.neural_path is not None:
            from .neural import SequenceModel

            self._neural = SequenceModel.load(self.neural_path)
            if self._neural.context is not None:  # its encoder must be there before the first text
                from ..text.encoder import EncoderError, model_path

                try:
                    weights = model_path(self._neural.context["variant"])
                except EncoderError as e:
                    raise ImportError(str(e)) from e
                if not weights.is_file():
                    raise FileNotFoundError(f"contextual encoder weights not found: {weights}")
        self.rescorer_path = Path(rescorer) if rescorer else None
        self._rescorer = None
        if self.rescorer_path is not None:
            from .rescore import Rescorer

            self._rescorer = Rescorer(self.rescorer_path)
        # with a rescorer, decoding proposes more candidates (rescore_o_weight) and the
        # rescorer keeps those whose probability reaches rescore_keep
        self.rescore_o_weight = o_weight if rescore_o_weight is None else rescore_o_weight
        self.rescore_keep = rescore_keep
        self.rescore_views = check_views(rescore_views, self._neural is not None)

    def first_labels(self, feats: list[list[str]]) -> tuple[list[dict[str, float]], list[str]]:
        """The first model's label marginals (every label, per token) and decoded labels."""
        t = self._tagger
        t.set(feats)
        marginal, known = t.marginal, self._label_order
        rows = [{lab: marginal(lab, i) for lab in known} for i in range(len(feats))]
        return rows, decode_marginals(rows, self.o_weight)

    @property
    def decoding_o_weight(self) -> float:
        """The o_weight labels are decoded with: ``rescore_o_weight`` with a rescorer."""
        return self.rescore_o_weight if self._rescorer is not None else self.o_weight

    def labels(self, feats: list[list[str]], tokens: Sequence[Token] | None = None,
               parse: Parse | None = None, context: np.ndarray | None = None) -> list[str]:
        """BIO labels of one paragraph (posterior decoding, :func:`decode_marginals`, with
        :attr:`decoding_o_weight`) of its label probabilities (:meth:`rows`)."""
        return decode_marginals(self.rows(feats, tokens, parse, context), self.decoding_o_weight)

    def rows(self, feats: list[list[str]], tokens: Sequence[Token] | None = None,
             parse: Parse | None = None, context: np.ndarray | None = None) -> Sequence[Mapping[str, float]]:
        """The label probabilities of each token of one paragraph: the CRF's marginals
        (asked for lazily), averaged with the recurrent model's where there is one; with a
        stacked model, its marginals given the first model's labels
        (:func:`prediction_features`: ``tokens`` are then needed, and ``parse`` where the
        model reads syntax). A recurrent model that reads contextual vectors takes
        ``context`` (the paragraph's rows of
        :meth:`~.neural.SequenceModel.context_vectors` of its document), else they are
        computed from ``tokens``, the paragraph alone."""
        return self.view_rows(feats, tokens, parse, context)["mixed"]

    def view_rows(self, feats: list[list[str]], tokens: Sequence[Token] | None = None,
                  parse: Parse | None = None, context: np.ndarray | None = None,
                  views: Iterable[str] = ("mixed",)) -> dict[str, Sequence[Mapping[str, float]]]:
        """The label probabilities of one paragraph's tokens under each of ``views``
        (:data:`VIEWS`; arguments as for :meth:`rows`): ``mixed`` is :meth:`rows`,
        ``crf`` the CRF's alone (the stacked model's, with one), ``neural`` the recurrent
        model's alone (only with one)."""
        views = set(views) | {"mixed"}
        if self._second is None:
            t, known = self._tagger, self._labels
            t.set(feats)
        else:
            if tokens is None:
                raise ValueError("a stacked attribution tagger needs the paragraph's tokens")
            rows, first = self.first_labels(feats)
            t, known = self._second, self._second_labels
            t.set(prediction_features(tokens, feats, rows, first, parse))
        marginal = t.marginal
        if self._neural is None:
            if "neural" in views:
                raise ValueError("no recurrent model: no neural view")
            lazy = [_Marginals(marginal, i, known) for i in range(len(feats))]
            return {v: lazy for v in views}
        if self._neural.context_dim and context is None:
            if tokens is None:
                raise ValueError("a recurrent model with contextual vectors needs the paragraph's tokens")
            context = self._neural.context_vectors([tokens])[0]
        net = self._neural.probabilities(feats, context).tolist()
        w = self.neural_weight
        crf = [{lab: marginal(lab, i) for lab in known} for i in range(len(feats))]
        mixed = []
        for probs, own in zip(net, crf):
            row = {lab: w * p for lab, p in zip(self._neural.labels, probs)}
            for lab, p in own.items():
                row[lab] = row.get(lab, 0.0) + (1 - w) * p
            mixed.append(row)
        out: dict[str, Sequence[Mapping[str, float]]] = {"mixed": mixed}
        if "crf" in views:
            out["crf"] = crf
        if "neural" in views:
            out["neural"] = [dict(zip(self._neural.labels, probs)) for probs in net]
        return out

    def parse(self, text: str) -> Parse | None:
        """The parse the features need (None: the model takes none, or no parser)."""
        return syntax.parse(text, self.lang) if self.syntax else None

    def attributions(self, text: str, quoted: Sequence[tuple[int, int]] | None = None,
                     parse: Parse | None = None) -> list[Attribution]:
        """The attributions of ``text``, paragraph by paragraph: labelled spans (document
        token indices) grouped by :func:`group`, with a parse (``parse``: the text's,
        when the caller has it) sources by grammatical subject (:func:`cue_subjects`),
        then :func:`one_side`. With a rescorer, the candidates of every view
        (:meth:`candidates`) are chosen among by :func:`.rescore.select`: the most
        probable first, each whose probability reaches ``rescore_keep`` and that shares no
        cue or content word with one chosen before."""
        cands = self.candidates(text, quoted, parse)
        if self._rescorer is None:
            return [c.attribution for c in cands]
        from .rescore import select

        model = self._rescorer
        probs = [1.0 if c.features is None else model.probability(c.features) for c in cands]
        return [cands[i].attribution for i in select([c.attribution for c in cands], probs, self.rescore_keep)]

    def candidates(self, text: str, quoted: Sequence[tuple[int, int]] | None = None, parse: Parse | None = None,
                   features: bool | None = None, views: Sequence[str] | None = None) -> list[Candidate]:
        """Each attribution :meth:`attributions` assembles before rescoring
        (:func:`paragraph_candidates`), decoded from each of ``views`` (:data:`VIEWS`; by
        default ``rescore_views`` with a rescorer, else ``mixed`` alone), with its
        rescorer features (None for one without a cue, or when ``features`` is false: by
        default, when the tagger has a rescorer)."""
        if parse is None:
            parse = self.parse(text)
        if quoted is None:
            quoted = [(q.start, q.end) for q in quoted_spans(text)]
        if features is None:
            features = self._rescorer is not None
        if views is None:
            views = self.rescore_views if self._rescorer is not None else ("mixed",)
        kids = children(parse) if parse is not None else {}
        out: list[Candidate] = []
        offset = 0
        seqs = document_sequences(text, self.lang, quoted, parse)
        contexts: list = [None] * len(seqs)
        if self._neural is not None and self._neural.context_dim:
            contexts = self._neural.context_vectors([s.tokens for s in seqs])
        parts = ("crf", "neural") if features and self._neural is not None else ()
        for n, ((toks, feats, _), context) in enumerate(zip(seqs, contexts)):
            rows = self.view_rows(feats, toks, parse, context, tuple(views) + parts)
            out += paragraph_candidates(text, toks, rows, views, offset, self.decoding_o_weight,
                                        self._complementizers, parse, kids, quoted=quoted, paragraph=n,
                                        features=features, parts=parts)
            offset += len(toks)
        return out


class Candidate(NamedTuple):
    """An assembled attribution, its rescorer features, and the views that decoded it."""

    attribution: Attribution
    features: dict[str, float] | None
    views: frozenset[str]


def paragraph_candidates(text: str, tokens: Sequence[Token], rows: Mapping[str, Sequence[Mapping[str, float]]],
                         views: Sequence[str], offset: int, o_weight: float, complementizers: Iterable[str],
                         parse: Parse | None, kids: Mapping[int, list[int]], *, quoted: Sequence[tuple[int, int]],
                         paragraph: int, features: bool = True, parts: Sequence[str] = ()) -> list[Candidate]:
    """The candidate attributions of one paragraph (``tokens``, the first at document
    index ``offset``): for each of ``views``, its label probabilities (``rows[view]``)
    decoded at ``o_weight`` (:func:`decode_marginals`), the spans grouped
    (:func:`group`, sources by subject with a ``parse``, :func:`one_side`). The same
    attribution (cue, content pieces and first source) from several views is one
    candidate. With ``features``, each candidate with a cue has its
    :func:`.rescore.features`, read from ``rows["mixed"]``, with the cue and content
    probabilities of each of ``parts`` (views) and, where there are several views, how
    many decoded it and which."""
    from .rescore import features as rescore_features

    found: dict[tuple, list] = {}
    for view in views:
        spans = spans_from_labels(tokens, decode_marginals(rows[view], o_weight), offset)
        subjects = cue_subjects(spans, tokens, offset, parse, kids) if parse is not None else {}
        for a in group(spans, subjects=subjects):
            a = one_side(a, text, complementizers)
            key = (a.cue and (a.cue.first, a.cue.last), tuple((q.first, q.last) for q in a.contents),
                   (a.sources[0].first, a.sources[0].last) if a.sources else None)
            if key in found:
                found[key][2].add(view)
                continue
            f = None
            if features and a.cue is not None:
                f = rescore_features(a, tokens, rows["mixed"], offset, subjects.get(a.cue.first), quoted, paragraph,
                                     parse, {p: rows[p] for p in parts})
            found[key] = [a, f, {view}]
    out = []
    for a, f, seen in found.values():
        if f is not None and len(views) > 1:
            f[f"votes={len(seen)}"] = 1
            for view in seen:
                f["from=" + view] = 1
        out.append(Candidate(a, f, frozenset(seen)))
    return out


@lru_cache(maxsize=None)
def tagger_for(lang: str | None) -> AttributionTagger | None:
    """The attribution tagger of ``lang``, or None (no ``[tagger] model``, or the model
    cannot be opened: a warning, and the rules work alone). The environment variable
    ``DRAGOMAN_QUOTES_NEURAL=0`` leaves the recurrent model out (the CRF alone: about 40
    times faster on English, about 3.5 points of content F1 lower on dev). Its candidates
    then come from one view (``mixed``, the CRF's), whatever ``rescore_views`` says."""
    cfg = read_config(lang)
    if cfg.model is None:
        return None
    neural = cfg.neural if os.environ.get("DRAGOMAN_QUOTES_NEURAL", "1").strip() not in ("0", "false", "no") else None
    try:
        return AttributionTagger(cfg.model, lang, cfg.mode, cfg.o_weight, cfg.syntax, cfg.stacked, neural,
                                 cfg.neural_weight, cfg.rescorer, cfg.rescore_o_weight, cfg.rescore_keep,
                                 cfg.views(neural is not None))
    except (OSError, ValueError, ImportError) as e:  # missing, unreadable or invalid model file
        log.warning("attribution tagger for %s unavailable (%s): quotes come from the rules only", lang, e)
        return None


# ------------------------------------------------------------------------ quotes

def _direct(start: int, end: int, quoted: Sequence[tuple[int, int]]) -> bool:
    """Content is direct speech when at least half of it lies inside quotation marks."""
    inside = sum(max(0, min(end, e + 1) - max(start, s - 1)) for s, e in quoted)
    return 2 * inside >= end - start


def attribution_quotes(x, attributions: Sequence[Attribution],  # noqa: ANN001 - extract._Extractor
                       quoted: Sequence[tuple[int, int]] | None = None) -> list[Quote]:
    """Quotes for tagged attributions, built with the rule extractor ``x``'s helpers:
    the speaker is the best entity candidate inside the source span (its entity id;
    ``speaker_text`` and ``speaker_span`` are the source span's); with no source span,
    the speaker of a rule quote over the same words, else the rules' choice around the
    cue (:meth:`~.extract._Extractor.speaker`), else (with a cue) the previous quote's
    speaker (for cue-less content, :func:`group` with ``cueless``, the previous speaker
    was right 1 time in 49 on PolNeAR, so it gets none). Act and cue come from the vocabulary
    cue inside the cue span ("assert" if none); the quote is direct when at least half of
    it lies inside quotation marks (``quoted``: the text's quoted spans, if known)."""
    from .extract import _RANK, Candidate, Cue, _trim

    d = x.d
    text = d.text
    if quoted is None:
        quoted = [(q.start, q.end) for q in quoted_spans(text)]
    out = []
    for a in attributions:
        start, end = _trim(text, *a.content)
        direct = _direct(start, end, quoted)
        if not direct:
            while end > start and text[end - 1] in ".!? ":
                end -= 1
        if end <= start or not any(ch.isalnum() for ch in text[start:end]):
            continue
        cue = None
        if a.cue is not None:
            known = [c for c in d.cues if a.cue.start <= c.start and c.end <= a.cue.end and c.act]
            cue = Cue(a.cue.start, a.cue.end, text[a.cue.start:a.cue.end], known[0].act if known else "assert",
                      "verb")
        who: Candidate | None = None
        s, e = _trim(text, a.sources[0].start, a.sources[0].end) if a.sources else (0, 0)  # ", Dmitry Peskov,"
        if e > s:
            inside = [c for c in d.candidates if s < c.end and c.start < e]
            best = min(inside, key=lambda c: (_RANK[c.kind], -(c.end - c.start))) if inside else None
            who = Candidate(s, e, text[s:e], best.entity if best else None, best.kind if best else "phrase")
        else:  # no source span: a rule quote's speaker over the same words, else the rules' choice
            rule = next((q for q in x.quotes if q.speaker_span and q.start < end and start < q.end), None)
            if rule is not None:
                s, e = rule.speaker_span
                who = Candidate(s, e, rule.speaker_text or text[s:e], rule.speaker, "phrase")
            elif cue is not None:
                s_lo, s_hi = d.sentence_of(cue.start)
                who = x.speaker(cue, s_lo, s_hi, [(start, end)], content_before=start < cue.start)
        if who is None and cue is not None:
            who = x.previous_speaker(start)
        out.append(x.quote(start, end, direct, cue, who))
    return out


def merge(rule_quotes: Sequence[Quote], learned: Sequence[Quote], mode: str) -> list[Quote]:
    """Rule and learned quotes together, in text order.

    ``learned_first``: the learned quotes, plus each rule quote that overlaps none of
    them; ``rules_first``: the rule quotes, plus each learned quote that overlaps none of
    them; ``learned_only``: the learned quotes. Where a kept quote has no speaker and an
    overlapping dropped one has, the kept quote takes that speaker (in every mode: the
    rules still name speakers where the learned quotes alone would not)."""
    first, second = (rule_quotes, learned) if mode == "rules_first" else (learned, rule_quotes)
    out = list(first)
    for q in second:
        clash = [r for r in first if r.start < q.end and q.start < r.end]
        if not clash:
            if mode != "learned_only":
                out.append(q)
            continue
        for r in clash:
            if r.speaker_span is None and q.speaker_span is not None:
                r.speaker, r.speaker_text, r.speaker_span = q.speaker, q.speaker_text, q.speaker_span
    return sorted(out, key=lambda q: q.start)
