"""Per-language entity vocabulary from ``resources/<lang>/entities.toml``.

Words are compared by their keys (:meth:`EntityLexicon.keys`): folded (lowercase, no
diacritics, unified Arabic/Persian letters, no ZWNJ), the longest inflection suffix
stripped while a stem of ``min_stem`` letters remains; each clitic prefix the word
starts with gives one more key without it. Two words match when their keys meet:
"Путина", "Путину" and "Путин" share ``путин``; "وبوتين" (و + بوتين) meets "بوتين",
whose own ب is not mistaken for a clitic because the unstripped key is always there.
Data files are written in base forms; the matcher handles case endings and clitics.

Sections (all optional):

``[inflection]``
    ``prefixes``: clitics glued before a word (Arabic و, the article ال), stripped on both
    sides (text words and data phrases); ``text_prefixes``: clitics stripped from text words
    only (Arabic ب ل ك ف: "لروسيا" meets "روسيا", but the data name "لولا" keeps its ل and
    so never meets the text word "ولا");
    ``suffixes``: case, number and possessive endings; ``min_stem`` (default 3).
``[[role]]``
    ``office = "RU.presidential_spokesperson"`` (an office of ``registry/roles.toml``, or
    ``"*.head_of_state"`` when the phrase names the country) and ``phrases``: how the
    press names the holder without naming them ("Kremlin spokesman", "спикер Кремля").
    ``{country}`` in a phrase stands for the country's name or adjective (``[demonyms]``
    and the registry's names of that country in this language); the office's ``*`` is
    that country's code.
``[demonyms]``
    ``RU = ["Russian", ...]``: adjectives and short forms of each country (ISO code).
``[pronouns]``
    ``person``: subject pronouns that stand for a person ("he", "она", "وی").
``[rules]``
    ``org_takes_place_after``: an organisation name directly followed by a place name is
    one organisation ("Верховный суд Пакистана", "МИД Великобритании").
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from ..errors import ResourceError
from ..resources import language_file, languages, read_toml
from ..text.normalize import fold_text

ZWNJ = "\u200c"
_KEYS_MAX = 200_000  # words memoised per lexicon


@dataclass(frozen=True, slots=True)
class RolePhrase:
    office: str  # "RU.presidential_spokesperson" or "*.head_of_state"
    phrase: str  # may hold "{country}"


@dataclass(frozen=True)
class EntityLexicon:
    lang: str
    prefixes: tuple[str, ...] = ()
    suffixes: tuple[str, ...] = ()  # longest first
    min_stem: int = 3
    text_prefixes: tuple[str, ...] = ()  # longest first
    roles: tuple[RolePhrase, ...] = ()
    demonyms: dict[str, tuple[str, ...]] = field(default_factory=dict)
    pronouns: frozenset[str] = frozenset()
    org_takes_place_after: bool = False
    memo: dict[str, tuple[str, ...]] = field(default_factory=dict, compare=False, repr=False)
    text_memo: dict[str, tuple[str, ...]] = field(default_factory=dict, compare=False, repr=False)

    def fold(self, word: str) -> str:
        return fold_text(word).replace(ZWNJ, "").replace("’", "'")

    def _stem(self, w: str) -> str:
        for s in self.suffixes:
            if w.endswith(s) and len(w) - len(s) >= self.min_stem:
                return w[: -len(s)]
        return w

    def key(self, word: str) -> str:
        """The main key of one word: folded, its inflection suffix stripped."""
        return self._stem(self.fold(word))

    def keys(self, word: str) -> tuple[str, ...]:
        """All keys of one word: the main key, then one without each clitic it may carry
        (memoised per language: news repeats its words)."""
        memo = self.memo
        got = memo.get(word)
        if got is None:
            if len(memo) > _KEYS_MAX:
                memo.clear()
            got = memo[word] = self._keys(word)
        return got

    def text_keys(self, word: str) -> tuple[str, ...]:
        """The keys of a word of the text: :meth:`keys`, then one without each text-only
        clitic it may carry. Data phrases are keyed by :meth:`keys` alone."""
        if not self.text_prefixes:
            return self.keys(word)
        memo = self.text_memo
        got = memo.get(word)
        if got is None:
            if len(memo) > _KEYS_MAX:
                memo.clear()
            got = memo[word] = self._keys(word, self.prefixes + self.text_prefixes)
        return got

    def _keys(self, word: str, prefixes: tuple[str, ...] | None = None) -> tuple[str, ...]:
        w = self.fold(word)
        out = [self._stem(w)]
        for p in self.prefixes if prefixes is None else prefixes:
            if w.startswith(p) and len(w) - len(p) >= self.min_stem:
                k = self._stem(w[len(p):])
                if k not in out:
                    out.append(k)
        return tuple(out)

    def is_pronoun(self, word: str) -> bool:
        return self.fold(word) in self.pronouns


def _strings(value: object, where: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise ResourceError(f"{where}: expected a list of non-empty strings")
    return tuple(v.strip() for v in value)


def parse_lexicon(lang: str, data: dict, where: str = "") -> EntityLexicon:
    where = where or f"{lang}/entities.toml"
    infl = data.get("inflection", {})
    fold = EntityLexicon(lang).fold
    prefixes = tuple(sorted({fold(p) for p in _strings(infl.get("prefixes", []), f"{where} [inflection] prefixes")},
                            key=len, reverse=True))
    suffixes = tuple(sorted({fold(s) for s in _strings(infl.get("suffixes", []), f"{where} [inflection] suffixes")},
                            key=len, reverse=True))
    text_prefixes = tuple(sorted({fold(p) for p in _strings(infl.get("text_prefixes", []),
                                                             f"{where} [inflection] text_prefixes")} - set(prefixes),
                                 key=len, reverse=True))
    min_stem = infl.get("min_stem", 3)
    if not isinstance(min_stem, int) or min_stem < 1:
        raise ResourceError(f"{where}: [inflection] min_stem must be a positive integer")
    roles: list[RolePhrase] = []
    for i, item in enumerate(data.get("role", [])):
        office = item.get("office")
        if not isinstance(office, str) or "." not in office:
            raise ResourceError(f"{where}: role #{i + 1} needs office = \"HOLDER.role\"")
        phrases = _strings(item.get("phrases"), f"{where}: role {office} phrases")
        wild = office.startswith("*.")
        for phrase in phrases:
            if wild != ("{country}" in phrase):
                raise ResourceError(
                    f"{where}: role {office}: phrase {phrase!r} — '*.' offices need {{country}} in every "
                    "phrase, and only they may use it")
            roles.append(RolePhrase(office, phrase))
    demonyms = {
        code: _strings(forms, f"{where} [demonyms] {code}") for code, forms in data.get("demonyms", {}).items()
    }
    pronouns = frozenset(fold(p) for p in _strings(data.get("pronouns", {}).get("person", []),
                                                   f"{where} [pronouns] person"))
    rules = data.get("rules", {})
    return EntityLexicon(lang, prefixes, suffixes, min_stem, text_prefixes, tuple(roles), demonyms, pronouns,
                         bool(rules.get("org_takes_place_after", False)))


@lru_cache(maxsize=None)
def entity_lexicon(lang: str | None) -> EntityLexicon:
    """The language's vocabulary (an empty one for a language without a data file)."""
    path = language_file(lang, "entities.toml") if lang else None
    if path is None:
        return EntityLexicon(lang or "und")
    return parse_lexicon(lang, read_toml(path, "entity vocabulary"), str(path))


def check_offices(lex: EntityLexicon, role_keys: set[str]) -> list[str]:
    """Problems with the offices a lexicon names (unknown roles)."""
    problems = []
    for r in lex.roles:
        role = r.office.split(".", 1)[1]
        if role not in role_keys:
            problems.append(f"{lex.lang}: {r.office}: role {role!r} is not in registry/roles.toml")
    return problems


def main() -> int:
    """``python -m dragoman.entities.lexicon``: load and check every language's file."""
    from .registry import load_role_labels

    role_keys = set(load_role_labels())
    bad = 0
    for lang in languages():
        if language_file(lang, "entities.toml") is None:
            continue
        try:
            lex = entity_lexicon(lang)
        except ResourceError as e:
            print(f"ERROR {e}")
            bad += 1
            continue
        problems = check_offices(lex, role_keys)
        for p in problems:
            print(f"ERROR {p}")
        bad += len(problems)
        print(f"{lang}: {len(lex.roles)} role phrases, {len(lex.demonyms)} countries with demonyms, "
              f"{len(lex.prefixes)} prefixes, {len(lex.suffixes)} suffixes, {len(lex.pronouns)} pronouns")
    return 1 if bad else 0


if __name__ == "__main__":
    raise SystemExit(main())
