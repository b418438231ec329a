"""Quotes layer: quotation marks, the five statement patterns, speakers, dates, acts and
issues — on small vocabularies given here, so the logic is tested apart from the data."""

from __future__ import annotations

import pytest

from dragoman.entities import analyze_entities, load_registry
from dragoman.entities.lexicon import parse_lexicon
from dragoman.model import DateValue
from dragoman.quotes import extract, extract_quotes
from dragoman.quotes.lexicon import parse_speech
from dragoman.quotes.marks import quoted_spans
from dragoman.text.sentences import split_sentences
from dragoman.time import analyze_dates

SPEECH = {
    "xen": {"cues": {"assert": ["said", "says", "told", "added"], "deny": ["denied"], "warn": ["warned"]},
            "nouns": {"source": ["according to"]},
            "syntax": {"complementizers": ["that"], "after_cue": ["reporters", "on Monday"], "bare_clause": True},
            "anonymous": {"person": ["a source", "an official"]},
            "issues": {"ceasefire": ["ceasefire", "truce"], "nato": ["NATO"]}},
    "xru": {"cues": {"assert": ["заявил", "сказал", "добавил"]}, "syntax": {"complementizers": ["что"],
                                                                            "dash_speech": True}},
    "xfa": {"cues": {"assert": ["گفت", "افزود", "اظهار داشت", "خاطرنشان کرد"]},
            "syntax": {"complementizers": ["که"], "speaker": "clause_start"}},
}
ENT = {"xen": {"pronouns": {"person": ["he", "she"]}},
       "xru": {"inflection": {"suffixes": ["а", "у", "ом"]}, "pronouns": {"person": ["он"]}},
       "xfa": {"inflection": {"suffixes": ["ی"]}, "pronouns": {"person": ["وی", "او"]}}}
REAL = {"xen": "en", "xru": "ru", "xfa": "fa"}


@pytest.fixture(autouse=True)
def vocab(monkeypatch):
    monkeypatch.setattr(extract, "speech_lexicon", lambda lang: parse_speech(lang, SPEECH.get(lang, {})))
    monkeypatch.setattr(extract, "entity_lexicon", lambda lang: parse_lexicon(lang, ENT.get(lang, {})))
    extract._tools.cache_clear()
    yield
    extract._tools.cache_clear()


def run(text: str, lang: str, date: str | None = "2025-05-16"):
    doc_date = DateValue(date, "metadata", date) if date else None
    real = REAL[lang]
    mentions, ents, refs = analyze_entities(text, real, doc_date, load_registry(), backend="none")
    # pronouns in the test vocabulary
    lex = parse_lexicon(lang, ENT[lang])
    from dragoman.entities.gazetteer import word_tokens
    from dragoman.entities.link import link

    toks = word_tokens(text)
    mentions, ents, refs = link(text, real, toks, [lex.keys(t.text) for t in toks],
                                [m for m in _raw(mentions)], [], load_registry(), lex)
    dates, _ = analyze_dates(text, real, doc_date)
    return extract_quotes(text, lang, split_sentences(text, real), mentions, refs, dates, doc_date)


def _raw(mentions):
    from dragoman.entities.mentions import Mention

    return [Mention(m.start, m.end, m.text, m.type, m.source, actor=m.entity) for m in mentions if m.source != "role"]


def test_marks_all_styles_nested_and_paragraphs():
    text = ('«Мы «Известия» читаем», — сказал он. „Hallo Welt“ und “in English” and "straight ones" '
            "and 'single ones' but not Putin's or Putin'in.\n“Open paragraph.\n“Goes on.” End.")
    got = [text[q.start:q.end] for q in quoted_spans(text)]
    assert got == ["Мы «Известия» читаем", "Hallo Welt", "in English", "straight ones", "single ones",
                   "Open paragraph.\n“Goes on."]


def test_two_apostrophes_are_one_double_mark():
    text = "''I've studied it,'' she said, ''and we're ready.''\n''More,'' he said. The band's ''hits''."
    got = [(text[q.start:q.end], q.open_mark) for q in quoted_spans(text)]
    assert got == [("I've studied it,", "''"), ("and we're ready.", "''"), ("More,", "''"), ("hits", "''")]


def test_direct_quote_with_trailing_cue_and_speaker():
    q = run('"We have no plans for a new meeting," Dmitry Peskov told reporters on Monday.', "xen")
    assert len(q) == 1 and q[0].direct and q[0].speaker == "dmitry-peskov"
    assert q[0].text == "We have no plans for a new meeting" and q[0].cue == "told"
    assert q[0].date.value == "2025-05-12" and q[0].date.basis == "inferred"  # "on Monday" before 16 May


def test_colon_and_pronoun_continuation():
    text = ("Vladimir Putin said: Russia is ready to work on a memorandum with Ukraine.\n"
            "He added: the main thing is to remove the root causes of this crisis.")
    q = run(text, "xen")
    assert [x.direct for x in q] == [True, True]
    assert [x.speaker for x in q] == ["vladimir-putin", "vladimir-putin"]
    assert q[1].speaker_text == "He"


def test_reported_speech_and_issues_and_act():
    q = run("Volodymyr Zelensky denied that Kyiv had rejected a ceasefire proposed by NATO members.", "xen")
    assert len(q) == 1 and not q[0].direct and q[0].act == "deny"
    assert q[0].text == "Kyiv had rejected a ceasefire proposed by NATO members"
    assert q[0].issues == ["ceasefire", "nato"]


def test_scare_quotes_and_titles_are_not_speech():
    q = run('The so-called "peace plan" was printed by "The Washington Post" on Friday.', "xen")
    assert q == []


def test_anonymous_source_gets_no_person():
    q = run('"The talks are over," a source said.', "xen")
    assert len(q) == 1 and q[0].speaker is None and q[0].speaker_text == "a source"


def test_unknown_speaker_stays_unknown():
    q = run("Said: the meeting was cancelled without any reason given.", "xen")
    assert all(x.speaker is None for x in q)


def test_russian_dash_speech():
    q = run("Мы не планируем новую встречу, — заявил Дмитрий Песков.", "xru")
    assert len(q) == 1 and q[0].direct and q[0].speaker == "dmitry-peskov"
    assert q[0].text == "Мы не планируем новую встречу"


def test_persian_subject_first_speaker():
    text = "ولادیمیر پوتین پس از تماس تلفنی با دونالد ترامپ به خبرنگاران گفت: روسیه آماده همکاری است."
    q = run(text, "xfa")
    assert len(q) == 1 and q[0].direct and q[0].speaker == "vladimir-putin"
    assert q[0].text.startswith("روسیه آماده")


def test_no_vocabulary_no_quotes():
    assert extract_quotes('"Something," he said.', None, [], [], [], [], None) == []
