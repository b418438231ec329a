"""Phrase matching over word keys: registry names and role phrases found in text.

A :class:`PhraseMatcher` holds phrases as sequences of word keys
(:meth:`~dragoman.entities.lexicon.EntityLexicon.key`) in a trie and finds the longest
phrase at each token, left to right, without overlaps. Keys make the match tolerant of
case endings and clitics ("Пескова", "وبيسكوف"); a phrase word written with a capital
letter must meet a capitalised word in the text (so "us" is not "US"). A word may have
several keys (with and without a clitic): the search follows all of them.

Persian writers join compound words with ZWNJ, a space, or nothing at all
("رئیس‌جمهوری", "رئیس جمهوری", "رئیسجمهوری"): text words are split at ZWNJ, and a
phrase holding ZWNJ is stored both split and joined, which covers all three.
"""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass
from functools import lru_cache
from typing import Generic, Iterable, TypeVar

from .lexicon import ZWNJ, EntityLexicon, entity_lexicon
from .mentions import Mention
from .registry import Registry
from .tokens import Token, tokenize

P = TypeVar("P")
MAX_PATHS = 64  # key combinations stored per phrase
SHORT_PART = 2  # letters: a ZWNJ part this short is an affix of its neighbour


def word_tokens(text: str, start: int = 0, end: int | None = None) -> list[Token]:
    """Tokens with ZWNJ-joined parts as separate words; a lone hyphen is not a word."""
    out: list[Token] = []
    for t in tokenize(text, start, end):
        if t.text == "-":
            continue
        if ZWNJ not in t.text:
            out.append(t)
            continue
        # parts of one or two letters are affixes (Persian ی, ها, اش, می): they stay with the
        # part before them (the first part: with the one after), so "کشور‌ها" is one word
        # whose ending the lexicon strips, and "رئیس‌جمهوری" still two
        parts: list[list[int]] = []  # [start, end] of each word
        pos = t.start
        for part in t.text.split(ZWNJ):
            short_first = len(parts) == 1 and parts[0][1] - parts[0][0] <= SHORT_PART
            if parts and (len(part) <= SHORT_PART or short_first):
                parts[-1][1] = pos + len(part)  # glued to the word before
            else:
                parts.append([pos, pos + len(part)])
            pos += len(part) + 1
        out.extend(Token(a, b, text[a:b]) for a, b in parts if b > a)
    return out


def _cased(word: str) -> bool:
    """Whether a word is capitalised, looking past an elided article or preposition
    ("l'Ukraine", "dell'Ucraina", "d'Emmanuel")."""
    if word[:1].isupper():
        return True
    for mark in "'’":
        i = word.find(mark, 1, 8)
        if i > 0 and word[:i].isalpha() and word[i + 1:i + 2].isupper():
            return True
    return False


@dataclass(slots=True)
class _Node(Generic[P]):
    children: dict
    payloads: list


class PhraseMatcher(Generic[P]):
    """Longest-match phrase finder over one language's word keys."""

    def __init__(self, lex: EntityLexicon):
        self.lex = lex
        self.root: _Node = _Node({}, [])
        self.size = 0

    def _variants(self, phrase: str) -> Iterable[list[Token]]:
        yield word_tokens(phrase)
        if ZWNJ in phrase:
            yield tokenize(phrase.replace(ZWNJ, ""))
        if "-" in phrase:  # "Kreml-Sprecher" also as "Kreml -Sprecher", "Kreml - Sprecher"
            yield [t for t in word_tokens(phrase.replace("-", " ")) if t.text != "-"]

    def add(self, phrase: str, payload: P) -> None:
        """Store ``phrase`` under every combination of its words' keys (capped)."""
        for toks in self._variants(phrase):
            if not toks:
                continue
            alts = [[(k, _cased(t.text)) for k in self.lex.keys(t.text)] for t in toks]
            for path in itertools.islice(itertools.product(*alts), MAX_PATHS):
                node = self.root
                for edge in path:
                    node = node.children.setdefault(edge, _Node({}, []))
                if payload not in node.payloads:
                    node.payloads.append(payload)
                    self.size += 1

    def find(self, tokens: list[Token], keys: list[tuple[str, ...]] | None = None) -> list[tuple[int, int, list[P]]]:
        """``(first token, end token, payloads)`` of the longest match at each position.

        ``keys`` are each token's :meth:`~dragoman.entities.lexicon.EntityLexicon.text_keys`.
        """
        if keys is None:
            keys = [self.lex.text_keys(t.text) for t in tokens]
        out = []
        i, n = 0, len(tokens)
        while i < n:
            frontier, best = [self.root], None
            j = i
            while j < n and frontier:
                capital = _cased(tokens[j].text)
                nxt = []
                for node in frontier:
                    for k in keys[j]:
                        child = node.children.get((k, False))
                        if child is not None:
                            nxt.append(child)
                        if capital:
                            child = node.children.get((k, True))
                            if child is not None:
                                nxt.append(child)
                frontier = nxt
                j += 1
                payloads = [p for node in frontier for p in node.payloads]
                if payloads:
                    best = (i, j, list(dict.fromkeys(payloads)))
            if best:
                out.append(best)
                i = best[1]
            else:
                i += 1
        return out


# ---------------------------------------------------------------- registry names


@dataclass(frozen=True, slots=True)
class NameHit:
    actor: str
    type: str


@lru_cache(maxsize=16)
def name_matcher(registry: Registry, lang: str | None) -> PhraseMatcher[NameHit]:
    """Every registry name (all languages: scripts keep them apart) keyed for ``lang``."""
    lex = entity_lexicon(lang)
    m: PhraseMatcher[NameHit] = PhraseMatcher(lex)
    for actor in registry.actors.values():
        for _, name in actor.all_names():
            m.add(name, NameHit(actor.key, actor.type))
    return m


# ---------------------------------------------------------------- role phrases


@lru_cache(maxsize=16)
def role_matcher(registry: Registry, lang: str | None) -> PhraseMatcher[str]:
    """The language's role phrases, ``{country}`` expanded to every country's forms."""
    lex = entity_lexicon(lang)
    m: PhraseMatcher[str] = PhraseMatcher(lex)
    countries = _country_forms(registry, lex)
    for rp in lex.roles:
        if not rp.office.startswith("*."):
            m.add(rp.phrase, rp.office)
            continue
        role = rp.office[2:]
        for code, forms in countries.items():
            for form in forms:
                m.add(rp.phrase.replace("{country}", form), f"{code}.{role}")
    return m


def _country_forms(registry: Registry, lex: EntityLexicon) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for code, forms in lex.demonyms.items():
        names = list(forms)
        gpe = registry.holder_actor(code)
        if gpe is not None and gpe.type == "GPE":
            names += gpe.names.get(lex.lang, [])
            if lex.lang == "en":
                names.append(gpe.name)
        out[code] = list(dict.fromkeys(names))
    return out


def holder_on(registry: Registry, office: str, days: tuple[dt.date, dt.date] | None) -> str | None:
    """The one actor holding ``office`` over the whole span of ``days``, else ``None``
    (unknown date, vacancy, two holders in the span, or two at once)."""
    if days is None:
        return None
    first = registry.holders(office, days[0])
    if len(first) != 1:
        return None
    last = registry.holders(office, days[1]) if days[1] != days[0] else first
    if len(last) != 1 or last[0].key != first[0].key:
        return None
    return first[0].key


def find_roles(text: str, tokens: list[Token], keys: list[tuple[str, ...]], registry: Registry, lang: str | None,
               days: tuple[dt.date, dt.date] | None) -> list[Mention]:
    """Role phrases as PERSON mentions, with the office and (when the date decides it) the holder."""
    out = []
    for i, j, offices in role_matcher(registry, lang).find(tokens, keys):
        start, end = tokens[i].start, tokens[j - 1].end
        office = offices[0] if len(offices) == 1 else None
        actor = holder_on(registry, office, days) if office else None
        out.append(Mention(start, end, text[start:end], "PERSON", "role", actor=actor, office=office))
    return out


def find_names(text: str, tokens: list[Token], keys: list[tuple[str, ...]], registry: Registry, lang: str | None) -> list[Mention]:
    """Registry names; a name shared by several actors is typed but not linked."""
    out = []
    for i, j, hits in name_matcher(registry, lang).find(tokens, keys):
        start, end = tokens[i].start, tokens[j - 1].end
        actors = {h.actor for h in hits}
        types = {h.type for h in hits}
        typ = types.pop() if len(types) == 1 else "OTHER"
        out.append(Mention(start, end, text[start:end], typ, "gazetteer",  # type: ignore[arg-type]
                           actor=actors.pop() if len(actors) == 1 else None))
    return out


def chain(*lists: Iterable[Mention]) -> list[Mention]:
    return sorted(itertools.chain(*lists), key=lambda m: (m.start, -m.end))
