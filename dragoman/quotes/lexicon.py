"""Per-language speech vocabulary from ``resources/<lang>/speech.toml``.

Words are matched like entity names (:meth:`dragoman.entities.lexicon.EntityLexicon.keys`
of the same language: folded, case endings and clitics tolerated), so lists hold base
forms plus the verb forms endings cannot reach (said/says/told; заявил/заявила/заявили
reduce to one key only if the language's suffixes do it — list them when unsure).

Sections:

``[cues]``
    reporting verbs and phrases, grouped by the speech act they convey:
    ``assert`` (said, added, noted, stressed, explained, told), ``confirm``, ``deny``,
    ``warn``, ``propose``, ``demand``, ``reject``, ``condition`` (only if a verb means it).
    Multi-word cues are fine ("fügte hinzu", "اظهار داشت", "خاطرنشان کرد", "called for").
``[nouns]``
    ``source``: phrases that introduce a source before the content ("according to",
    "по словам", "به گفته", "وفقا ل", "laut", "selon"); ``statement``: nouns of speech
    ("statement", "заявление", "بيان") that may carry a colon quote.
``[syntax]``
    ``complementizers``: words that open reported content ("that", "что", "أن", "که",
    "dass", "que", "che"); ``after_cue``: words allowed between a cue and a colon or a
    quote ("reporters", "journalists" — optional); ``speaker``: where the speaker stands
    relative to the cue — ``nearest`` (default), ``clause_start`` (subject-first,
    verb-final: fa, tr), ``after_cue`` (verb-first: ar); ``bare_clause``: reported content
    may follow a cue without a complementizer ("said the talks failed") and a cue may
    trail its content ("..., he said"); ``dash_speech``: "Content, — said X." is direct
    speech (ru, uk).
``[anonymous]``
    ``person``: phrases naming an unnamed speaker ("a source", "an official",
    "a senior official", "источник", "مصدر", "یک منبع").
``[issues]``
    negotiation issues: ``security_guarantees``, ``ceasefire``, ``prisoner_exchange``,
    ``sanctions``, ``territory``, ``nato``, ``neutrality``, ``nuclear`` = words and phrases.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from ..errors import ResourceError
from ..resources import language_file, languages, read_toml

ACTS = ("assert", "confirm", "deny", "warn", "propose", "demand", "reject", "condition")
ISSUES = ("security_guarantees", "ceasefire", "prisoner_exchange", "sanctions", "territory", "nato",
          "neutrality", "nuclear")


@dataclass(frozen=True)
class SpeechLexicon:
    lang: str
    cues: dict[str, tuple[str, ...]] = field(default_factory=dict)  # act -> phrases
    source_nouns: tuple[str, ...] = ()
    statement_nouns: tuple[str, ...] = ()
    complementizers: tuple[str, ...] = ()
    after_cue: tuple[str, ...] = ()
    anonymous: tuple[str, ...] = ()
    issues: dict[str, tuple[str, ...]] = field(default_factory=dict)
    speaker_rule: str = "nearest"
    bare_clause: bool = False
    dash_speech: bool = False


def _strings(value: object, where: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise ResourceError(f"{where}: expected a list of non-empty strings")
    return tuple(dict.fromkeys(v.strip() for v in value))


def parse_speech(lang: str, data: dict, where: str = "") -> SpeechLexicon:
    where = where or f"{lang}/speech.toml"
    cues = data.get("cues", {})
    unknown = set(cues) - set(ACTS)
    if unknown:
        raise ResourceError(f"{where}: [cues] has unknown acts {sorted(unknown)}; use {', '.join(ACTS)}")
    issues = data.get("issues", {})
    unknown = set(issues) - set(ISSUES)
    if unknown:
        raise ResourceError(f"{where}: [issues] has unknown issues {sorted(unknown)}; use {', '.join(ISSUES)}")
    nouns, syntax = data.get("nouns", {}), data.get("syntax", {})
    rule = syntax.get("speaker", "nearest")
    if rule not in ("nearest", "clause_start", "after_cue"):
        raise ResourceError(f"{where}: [syntax] speaker must be nearest, clause_start or after_cue, not {rule!r}")
    return SpeechLexicon(
        lang,
        {act: _strings(v, f"{where} [cues] {act}") for act, v in cues.items()},
        _strings(nouns.get("source", []), f"{where} [nouns] source"),
        _strings(nouns.get("statement", []), f"{where} [nouns] statement"),
        _strings(syntax.get("complementizers", []), f"{where} [syntax] complementizers"),
        _strings(syntax.get("after_cue", []), f"{where} [syntax] after_cue"),
        _strings(data.get("anonymous", {}).get("person", []), f"{where} [anonymous] person"),
        {k: _strings(v, f"{where} [issues] {k}") for k, v in issues.items()},
        rule,
        bool(syntax.get("bare_clause", False)),
        bool(syntax.get("dash_speech", False)),
    )


@lru_cache(maxsize=None)
def speech_lexicon(lang: str | None) -> SpeechLexicon:
    path = language_file(lang, "speech.toml") if lang else None
    if path is None:
        return SpeechLexicon(lang or "und")
    return parse_speech(lang, read_toml(path, "speech vocabulary"), str(path))  # type: ignore[arg-type]


def main() -> int:
    """``python -m dragoman.quotes.lexicon``: load and summarise every language's file."""
    bad = 0
    for lang in languages():
        if language_file(lang, "speech.toml") is None:
            continue
        try:
            lex = speech_lexicon(lang)
        except ResourceError as e:
            print(f"ERROR {e}")
            bad += 1
            continue
        n = sum(len(v) for v in lex.cues.values())
        print(f"{lang}: {n} cues in {len(lex.cues)} acts, {len(lex.source_nouns)} source nouns, "
              f"{len(lex.complementizers)} complementizers, {len(lex.anonymous)} anonymous, "
              f"{sum(len(v) for v in lex.issues.values())} issue words in {len(lex.issues)} issues")
    return 1 if bad else 0


if __name__ == "__main__":
    raise SystemExit(main())
