"""Speech vocabulary files ``resources/<lang>/speech.toml``: every required language has
one, it loads, and it holds enough of each kind of word (format: dragoman/quotes/lexicon.py)."""

from __future__ import annotations

import tomllib

import pytest

from dragoman.entities.lexicon import EntityLexicon
from dragoman.errors import ResourceError
from dragoman.quotes.lexicon import ACTS, ISSUES, parse_speech, speech_lexicon
from dragoman.resources import language_file, languages

REQUIRED = ("en", "ru", "ar", "fa", "de", "uk", "fr", "tr")
PRESENT = tuple(lang for lang in languages() if language_file(lang, "speech.toml") is not None)


def raw(lang: str) -> dict:
    """The file as written (the loader drops exact repeats, so checks read the raw lists)."""
    path = language_file(lang, "speech.toml")
    assert path is not None, f"{lang}/speech.toml is missing"
    return tomllib.loads(path.read_text(encoding="utf-8"))


def folded(lang: str, phrases: list[str]) -> list[str]:
    fold = EntityLexicon(lang).fold  # folding alone, independent of entities.toml
    return [fold(p) for p in phrases]


@pytest.mark.parametrize("lang", REQUIRED)
def test_required_language_has_a_file(lang):
    assert language_file(lang, "speech.toml") is not None


@pytest.mark.parametrize("lang", PRESENT)
def test_file_loads_with_enough_words(lang):
    lex = speech_lexicon(lang)
    assert len(lex.cues.get("assert", ())) >= 15
    assert lex.complementizers
    assert lex.source_nouns
    assert lex.statement_nouns
    assert lex.anonymous
    for issue in ISSUES:
        assert lex.issues.get(issue), f"{lang}: issue {issue} is empty"
    for act in ("assert", "confirm", "deny", "warn", "propose", "demand", "reject"):
        assert lex.cues.get(act), f"{lang}: act {act} is empty"


@pytest.mark.parametrize("lang", PRESENT)
def test_only_known_acts_and_issues(lang):
    data = raw(lang)
    assert set(data.get("cues", {})) <= set(ACTS)
    assert set(data.get("issues", {})) <= set(ISSUES)


@pytest.mark.parametrize("lang", PRESENT)
def test_no_phrase_repeated_within_an_act(lang):
    for act, phrases in raw(lang)["cues"].items():
        keys = folded(lang, phrases)
        repeats = sorted({k for k in keys if keys.count(k) > 1})
        assert not repeats, f"{lang} [cues] {act}: repeated {repeats}"


@pytest.mark.parametrize("lang", PRESENT)
def test_no_phrase_in_two_acts(lang):
    seen: dict[str, str] = {}
    clashes = []
    for act, phrases in raw(lang)["cues"].items():
        for key in set(folded(lang, phrases)):
            if key in seen and seen[key] != act:
                clashes.append((key, seen[key], act))
            seen.setdefault(key, act)
    assert not clashes, f"{lang}: phrases in two acts {clashes}"


@pytest.mark.parametrize("lang", PRESENT)
def test_no_phrase_repeated_within_a_list(lang):
    data = raw(lang)
    lists = {f"[issues] {k}": v for k, v in data.get("issues", {}).items()}
    lists["[nouns] source"] = data["nouns"]["source"]
    lists["[nouns] statement"] = data["nouns"]["statement"]
    lists["[syntax] complementizers"] = data["syntax"]["complementizers"]
    lists["[syntax] after_cue"] = data["syntax"].get("after_cue", [])
    lists["[anonymous] person"] = data["anonymous"]["person"]
    for where, phrases in lists.items():
        keys = folded(lang, phrases)
        repeats = sorted({k for k in keys if keys.count(k) > 1})
        assert not repeats, f"{lang} {where}: repeated {repeats}"


def test_unknown_act_or_issue_is_an_error():
    with pytest.raises(ResourceError):
        parse_speech("xx", {"cues": {"shout": ["yelled"]}})
    with pytest.raises(ResourceError):
        parse_speech("xx", {"issues": {"weather": ["rain"]}})


def test_lexicon_keeps_order_and_strips_exact_repeats():
    lex = parse_speech("xx", {"cues": {"assert": ["said", "says", "said"]},
                              "nouns": {"source": ["according to"]}})
    assert lex.cues["assert"] == ("said", "says")
    assert lex.source_nouns == ("according to",)
