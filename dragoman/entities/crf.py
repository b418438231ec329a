"""Conditional-random-field NER for languages without a packaged model.

One ``dragoman/resources/models/ner-<lang>.crfsuite`` per language, trained by
:mod:`dragoman.entities.train_crf` (SlavicNER for bg cs pl ru sl uk, WikiNEuRal for de,
ArmanPersoNER for fa). The tagger works on sentence-ish chunks: the text is cut at
newlines, then at sentence punctuation (:func:`chunks`); each chunk is tokenised with
:func:`dragoman.entities.tokens.tokenize` and labelled BIO with PER ORG LOC EVT PRO
(German also has MISC, which is never reported).

Features are deliberately few and cheap; everything that depends only on the word is
computed once per distinct word and cached (:func:`token_features`):

* the word lower-cased (digits folded to 0, Arabic kaf/yeh folded to the Persian ones),
  its 2–4 character prefixes and suffixes;
* its shape (collapsed character classes: ``Xx``, ``X``, ``x-x``, ``d``; ``a`` for a
  caseless letter), capitalised / all-caps / has-digit / has-hyphen flags, its script
  (Latin, Cyrillic, Arabic, Greek, other);
* first / last token of the chunk; the words and shapes at -2, -1, +1, +2; the
  capitalisation of each neighbour pair;
* optionally a gazetteer tag for the token and its ±1 neighbours (:data:`Gazetteer`),
  off by default.

Tagging runs at roughly 7,000–8,000 chunks (≈130,000 tokens) a second on one core,
chunking and tokenising included.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable, Iterable, Iterator, Sequence

import regex

from .mentions import Mention
from .tokens import Token, tokenize

MODELS_DIR = Path(__file__).resolve().parents[1] / "resources" / "models"

#: model label type → our entity type; a type mapped to None is tagged but not reported.
LABEL_TYPES: dict[str, str | None] = {
    "PER": "PERSON",
    "ORG": "ORG",
    "LOC": "LOC",
    "EVT": "EVENT",
    "PRO": "OTHER",
    "MISC": None,
}

#: A gazetteer hook: given the text and a chunk's tokens, one tag-ish string (or None)
#: per token, e.g. "PER" / "B-LOC" / "country". Off unless a caller passes one; a model
#: only profits from it when it was trained with the same hook.
Gazetteer = Callable[[str, Sequence[Token]], Sequence[str | None]]


def model_path(lang: str) -> Path | None:
    """The shipped model for ``lang``: ``resources/models/ner-<lang>.crfsuite``, else a
    model trained on a group of languages that includes it (``ner-uk+ru+bg.crfsuite``,
    one file where the group's languages would have identical models), else ``None``."""
    path = MODELS_DIR / f"ner-{lang}.crfsuite"
    if path.is_file():
        return path
    for group in sorted(MODELS_DIR.glob("ner-*+*.crfsuite")):
        if lang in group.name[len("ner-"):-len(".crfsuite")].split("+"):
            return group
    return None


# --------------------------------------------------------------------------- chunks

# End of a sentence: terminal punctuation, closing quotes/brackets, whitespace, and
# then something that can open a sentence (not a lower-case letter).
_SENT_END = regex.compile(r"[.!?…؟]+[\"'»”’)\]]*\s+(?=[\"«„“(\[]?[\p{Lu}\p{Lt}\p{Lo}\p{N}])", regex.V1)
_WORD_BEFORE = regex.compile(r"[\p{L}\p{M}-]+$", regex.V1)
# Abbreviations that usually precede a name ("Dr. Müller", "проф. Иванов").
_ABBREV = frozenset(
    "dr mr mrs ms st sv gen ing mgr ks św prof hr fr nr ul dipl gosp doc prim "
    "г-н г-жа д-р проф акад св ул им тов ген ген-л ген-м пл д-р г-ца".split()
)


def _sentences(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    pos = start
    for m in _SENT_END.finditer(text, start, end):
        if text[m.start()] == ".":
            w = _WORD_BEFORE.search(text, pos, m.start())
            if w is not None:
                word = w.group()
                if len(word) == 1 or (len(word) == 2 and word.istitle()) or word.lower() in _ABBREV:
                    continue  # an initial ("J. Smith", "Дж. Байден") or a title ("Dr. Müller")
        yield pos, m.start() + len(m.group().rstrip())
        pos = m.end()
    if pos < end:
        yield pos, end


def chunks(text: str) -> list[tuple[int, int]]:
    """(start, end) of the sentence-ish pieces the tagger labels one at a time:
    non-blank lines, each cut further at sentence punctuation."""
    out: list[tuple[int, int]] = []
    pos = 0
    n = len(text)
    while pos < n:
        nl = text.find("\n", pos)
        if nl < 0:
            nl = n
        if nl > pos and not text[pos:nl].isspace():
            out.extend(_sentences(text, pos, nl))
        pos = nl + 1
    return out


# ------------------------------------------------------------------------- features

def _script(word: str) -> str:
    for ch in word:
        o = ord(ch)
        if o < 0x250:
            if ch.isalpha():
                return "L"
            continue
        if 0x400 <= o < 0x530:
            return "C"
        if 0x600 <= o < 0x700 or 0xFB50 <= o < 0xFF00 or 0x750 <= o < 0x780:
            return "A" if ch.isalpha() else "N"
        if 0x370 <= o < 0x400:
            return "G"
        if ch.isalpha():
            return "O"
    return "-"


def _shape(word: str) -> str:
    """Collapsed character classes: "Xx", "X", "x", "d", "Xx-Xx", "d.d", "X-d"; a letter
    without case (Persian) counts as "a"."""
    out = []
    last = ""
    for ch in word:
        if ch.isupper():
            c = "X"
        elif ch.islower():
            c = "x"
        elif ch.isdigit():
            c = "d"
        elif ch.isalpha() or ch == "\u200c":
            c = "a"
        else:
            c = ch
        if c != last:
            out.append(c)
            last = c
    return "".join(out[:6])


# Arabic-script letters that Persian text writes two ways: Arabic kaf, yeh and alef maksura
# become Persian keheh and yeh; tatweel goes.
_FOLD = str.maketrans({"\u0643": "\u06a9", "\u064a": "\u06cc", "\u0649": "\u06cc", "\u0640": None})

_DIGITS = regex.compile(r"\d")

_CACHE: dict[str, tuple[list[str], tuple[tuple[str, ...], ...], bool]] = {}
_CACHE_MAX = 300_000
_OFFSETS = (-2, -1, 1, 2)


def token_features(word: str) -> tuple[list[str], tuple[tuple[str, ...], ...], bool]:
    """The word's own features, what it contributes as neighbour -2, -1, +1, +2, and
    whether it is capitalised."""
    hit = _CACHE.get(word)
    if hit is not None:
        return hit
    lo = word.lower()
    if not lo.isascii():
        lo = lo.translate(_FOLD)
    digit = any(ch.isdigit() for ch in word)
    if digit:
        lo = _DIGITS.sub("0", lo)  # "2021", "۱۳" → "0000", "00" (ArmanPersoNER has its digits as 0)
    sh = _shape(word)
    own = ["b", "w=" + lo, "sh=" + sh, "sc=" + _script(word)]
    n = len(lo)
    if n > 2:
        own += ["s2=" + lo[-2:], "p2=" + lo[:2]]
    if n > 3:
        own += ["s3=" + lo[-3:], "p3=" + lo[:3]]
    if n > 4:
        own += ["s4=" + lo[-4:], "p4=" + lo[:4]]
    cap = word[0].isupper()
    if cap:
        own.append("T")
        if n > 1 and word.isupper():
            own.append("U")
    if digit:
        own.append("D")
    if "-" in word:
        own.append("H")
    nb = tuple((f"{o}w={lo}", f"{o}sh={sh}") for o in _OFFSETS)
    if len(_CACHE) >= _CACHE_MAX:
        _CACHE.clear()
    hit = (own, nb, cap)
    _CACHE[word] = hit
    return hit


# capitalisation of (previous, this) and (this, next) word
_CAPS = {(a, b): f"Tp={a:d}{b:d}" for a in (False, True) for b in (False, True)}
_CAPS_NEXT = {(a, b): f"Tn={a:d}{b:d}" for a in (False, True) for b in (False, True)}


def sentence_features(words: Sequence[str], gaz: Sequence[str | None] | None = None) -> list[list[str]]:
    """Feature lists (crfsuite attribute names) for one chunk's words."""
    feats = [token_features(w) for w in words]
    n = len(feats)
    out: list[list[str]] = []
    for i in range(n):
        own, _, cap = feats[i]
        f = list(own)
        if i == 0:
            f.append("BOS")
        else:
            prev = feats[i - 1]
            f += prev[1][1]
            f.append(_CAPS[prev[2], cap])
            if i > 1:
                f += feats[i - 2][1][0]
        if i == n - 1:
            f.append("EOS")
        else:
            nxt = feats[i + 1]
            f += nxt[1][2]
            f.append(_CAPS_NEXT[cap, nxt[2]])
            if i < n - 2:
                f += feats[i + 2][1][3]
        out.append(f)
    if gaz is not None:
        for i, g in enumerate(gaz):
            if g:
                out[i].append("g=" + g)
                if i > 0:
                    out[i - 1].append("+1g=" + g)
                if i < n - 1:
                    out[i + 1].append("-1g=" + g)
    return out


# ------------------------------------------------------------------- labels, decoding

def bio_labels(tokens: Sequence[Token], spans: Iterable[tuple[int, int, str]]) -> list[str]:
    """BIO labels of ``tokens`` for gold ``spans`` (start, end, type), character offsets.

    A token belongs to a span when it starts inside it and at least half of it lies
    inside; spans that only cover part of a token ("Pfizer" in "Pfizer-BioNTech") thus
    lose that token. Overlapping spans: the first one (by start) wins.
    """
    labels = ["O"] * len(tokens)
    spans = sorted(spans)
    j = 0
    last_end = -1
    for s, e, typ in spans:
        if s < last_end:
            continue
        while j < len(tokens) and tokens[j].start < s:
            j += 1
        k = j
        first = True
        while k < len(tokens) and tokens[k].start < e:
            t = tokens[k]
            if 2 * (min(t.end, e) - t.start) >= t.end - t.start:
                labels[k] = ("B-" if first else "I-") + typ
                first = False
            else:
                break
            k += 1
        if not first:
            last_end = e
    return labels


def decode(text: str, tokens: Sequence[Token], labels: Sequence[str], source: str = "crf") -> list[Mention]:
    """Mentions from BIO labels; an I- without a matching opener starts a mention."""
    out: list[Mention] = []
    cur_type: str | None = None
    cur_start = cur_end = 0

    def close() -> None:
        if cur_type is not None:
            ours = LABEL_TYPES.get(cur_type)
            if ours is not None:
                out.append(Mention(cur_start, cur_end, text[cur_start:cur_end], ours, source))  # type: ignore[arg-type]

    for tok, lab in zip(tokens, labels):
        if lab == "O":
            close()
            cur_type = None
            continue
        bi, typ = lab[0], lab[2:]
        if bi == "I" and typ == cur_type:
            cur_end = tok.end
            continue
        close()
        cur_type, cur_start, cur_end = typ, tok.start, tok.end
    close()
    return out


# ---------------------------------------------------------------------------- tagger

class CrfTagger:
    """Finds PERSON / ORG / LOC / EVENT / OTHER mentions with a crfsuite model."""

    source = "crf"

    def __init__(self, model_path: str | Path, gazetteer: Gazetteer | None = None):
        self.model_path = Path(model_path)
        self.gazetteer = gazetteer
        self._tagger = None

    @property
    def tagger(self):
        if self._tagger is None:
            import pycrfsuite

            if not self.model_path.is_file():
                raise FileNotFoundError(f"CRF model not found: {self.model_path}")
            t = pycrfsuite.Tagger()
            t.open(str(self.model_path))
            self._tagger = t
        return self._tagger

    def labels(self) -> list[str]:
        return list(self.tagger.labels())

    def tag_tokens(self, text: str, tokens: Sequence[Token]) -> list[str]:
        """BIO labels of one chunk's tokens."""
        if not tokens:
            return []
        gaz = self.gazetteer(text, tokens) if self.gazetteer is not None else None
        return self.tagger.tag(sentence_features([t.text for t in tokens], gaz))

    def find(self, text: str) -> list[Mention]:
        out: list[Mention] = []
        tagger = self.tagger
        gazetteer = self.gazetteer
        for s, e in chunks(text):
            toks = tokenize(text, s, e)
            if not toks:
                continue
            gaz = gazetteer(text, toks) if gazetteer is not None else None
            labels = tagger.tag(sentence_features([t.text for t in toks], gaz))
            if any(lab != "O" for lab in labels):
                out.extend(decode(text, toks, labels, self.source))
        return out

    def close(self) -> None:
        if self._tagger is not None:
            self._tagger.close()
            self._tagger = None


def for_language(lang: str, gazetteer: Gazetteer | None = None) -> CrfTagger | None:
    """A tagger for ``lang`` when a model is shipped for it, else None."""
    path = model_path(lang)
    return CrfTagger(path, gazetteer) if path is not None else None
