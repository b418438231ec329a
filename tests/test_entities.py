"""Entity layer: word keys, phrase matching, role resolution by date, linking, ids,
pronoun references, the pipeline step and storage."""

from __future__ import annotations

import datetime as dt

import pytest

from dragoman.entities import analyze_entities, load_registry
from dragoman.entities.gazetteer import PhraseMatcher, holder_on, word_tokens
from dragoman.entities.keys import skeleton
from dragoman.entities.lexicon import parse_lexicon
from dragoman.entities.link import date_span, link, merge
from dragoman.entities.mentions import Mention
from dragoman.model import DateValue
from dragoman.pipeline import Pipeline

RU = parse_lexicon("ru", {"inflection": {"suffixes": ["ого", "ий", "а", "у", "ом", "я", "ь"]},
                          "pronouns": {"person": ["он", "она"]}})


@pytest.fixture(scope="module")
def registry():
    return load_registry()


def test_keys_unify_inflections_and_clitics():
    assert RU.key("Путина") == RU.key("Путин") == "путин"
    assert RU.key("Зеленского") == RU.key("Зеленский")
    ar = parse_lexicon("ar", {"inflection": {"prefixes": ["وال", "و", "ب", "ال"]}})
    assert set(ar.keys("وبوتين")) & set(ar.keys("بوتين"))  # ب of بوتين is not a clitic
    assert set(ar.keys("والرئيس")) & set(ar.keys("الرئيس"))
    assert RU.key("Ян") == "ян"  # too short to lose an ending


def test_text_only_clitics_are_stripped_from_text_words_not_from_data():
    ar = parse_lexicon("ar", {"inflection": {"prefixes": ["و", "ال"], "text_prefixes": ["ب", "ل"]}})
    assert ar.key("روسيا") in ar.text_keys("لروسيا")  # the text word loses its ل
    # the data name keeps it: the text word "ولا" (and not) never meets Lula
    assert not set(ar.keys("لولا")) & set(ar.text_keys("ولا"))


def test_arabic_clitics_on_place_and_person_names(registry):
    text = "وأرسل الكرملين رسالة لروسيا وقال إنه لا اجتماع بموسكو ولا يوجد لقاء."
    mentions, _, _ = analyze_entities(text, "ar", DateValue("2025-05-19", "metadata"), registry)
    found = {m.text: m.entity for m in mentions}
    assert found.get("لروسيا") == "russia" and found.get("بموسكو") == "moscow"
    assert "ولا" not in found


@pytest.mark.parametrize("lang,text,name,entity", [
    ("fr", "Le Kremlin a parlé de l'Ukraine hier.", "l'Ukraine", "ukraine"),
    ("fr", "Le message d'Emmanuel Macron est arrivé.", "d'Emmanuel Macron", "emmanuel-macron"),
    ("it", "Il sostegno dell'Unione europea continua.", "dell'Unione europea", "european-union"),
])
def test_elided_article_does_not_hide_a_capital(registry, lang, text, name, entity):
    mentions, _, _ = analyze_entities(text, lang, DateValue("2025-05-19", "metadata"), registry, backend="none")
    assert {m.text: m.entity for m in mentions}.get(name) == entity


def test_lowercase_after_elision_is_not_a_name(registry):
    mentions, _, _ = analyze_entities("l'ukraine minuscule", "fr", None, registry, backend="none")
    assert mentions == []


@pytest.mark.parametrize("names,key", [
    (["Peskov", "Песков", "بيسكوف", "پسکوف"], "bskf"),
    (["Zelensky", "Зеленский", "زيلينسكي", "Selenskyj"], "slnsk"),
    (["Trump", "Трамп", "ترامب", "ترامپ"], "trmb"),
    (["Lavrov", "Лавров", "لافروف"], "lfrf"),
])
def test_cross_script_skeleton(names, key):
    assert {skeleton(n) for n in names} == {key}


def test_phrase_matcher_longest_match_and_case():
    m: PhraseMatcher[str] = PhraseMatcher(RU)
    m.add("Владимир Путин", "putin")
    m.add("Путин", "putin")
    m.add("US", "usa")
    text = "Встреча Владимира Путина и Путину, но не us."
    toks = word_tokens(text)
    found = [(text[toks[i].start:toks[j - 1].end], p) for i, j, p in m.find(toks)]
    assert found == [("Владимира Путина", ["putin"]), ("Путину", ["putin"])]


def test_zwnj_variants_match():
    fa = parse_lexicon("fa", {"inflection": {"suffixes": ["ی"]}})
    m: PhraseMatcher[str] = PhraseMatcher(fa)
    m.add("رئیس\u200cجمهوری روسیه", "RU.head_of_state")
    for text in ("رئیس\u200cجمهوری روسیه گفت", "رئیس جمهوری روسیه گفت", "رئیسجمهوری روسیه گفت"):
        assert [p for _, _, p in m.find(word_tokens(text))] == [["RU.head_of_state"]], text


def test_role_holder_depends_on_date(registry):
    def on(day):
        return holder_on(registry, "US.head_of_state", (day, day))

    assert on(dt.date(2022, 3, 1)) == "joe-biden"
    assert on(dt.date(2025, 3, 1)) == "donald-trump"
    assert holder_on(registry, "US.head_of_state", None) is None  # unknown date: no guess
    # a span across the hand-over decides nothing
    assert holder_on(registry, "US.head_of_state", date_span(DateValue("2025-01", "explicit"))) is None
    assert holder_on(registry, "US.head_of_state", date_span(DateValue("2025-03", "explicit"))) == "donald-trump"


def test_date_span():
    assert date_span(DateValue("2024-02", "explicit")) == (dt.date(2024, 2, 1), dt.date(2024, 2, 29))
    assert date_span(DateValue("2024", "explicit")) == (dt.date(2024, 1, 1), dt.date(2024, 12, 31))
    assert date_span(DateValue("XXXX-05-16", "explicit")) is None
    assert date_span(None) is None


def test_merge_prefers_registry_facts():
    model = [Mention(0, 14, "Дмитрий Песков", "PERSON", "m"), Mention(20, 22, "ЕС", "LOC", "m"),
             Mention(30, 64, "Министерство иностранных дел России", "ORG", "m")]
    names = [Mention(8, 14, "Песков", "PERSON", "gazetteer", actor="dmitry-peskov"),
             Mention(20, 22, "ЕС", "ORG", "gazetteer", actor="european-union"),
             Mention(58, 64, "России", "GPE", "gazetteer", actor="russia"),
             Mention(70, 76, "Москва", "GPE", "gazetteer", actor="moscow")]
    out = merge(model, names)
    assert [(m.text, m.type, m.actor) for m in out] == [
        ("Дмитрий Песков", "PERSON", "dmitry-peskov"),  # name inside a person span links it
        ("ЕС", "ORG", "european-union"),  # the very same span: the registry's type
        ("Министерство иностранных дел России", "ORG", None),  # a country inside a ministry is not it
        ("Москва", "GPE", "moscow"),  # registry-only names are kept
    ]


def test_link_clusters_surnames_roles_and_pronouns(registry):
    text = "Иван Петров прибыл. Петров сказал, что он устал."
    mentions = [Mention(0, 11, "Иван Петров", "PERSON", "m"), Mention(20, 26, "Петров", "PERSON", "m")]
    toks = word_tokens(text)
    out, ents, refs = link(text, "ru", toks, [RU.keys(t.text) for t in toks], mentions, [], registry, RU)
    assert len(ents) == 1 and ents[0].id.startswith("person:") and ents[0].mentions == 2
    assert ents[0].name == "Ivan Petrov"  # transliterated: no Latin-script alias
    assert {m.entity for m in out} == {ents[0].id}
    assert [(r.text, r.entity) for r in refs] == [("он", ents[0].id)]


def test_role_beside_a_name_takes_that_name(registry):
    text = "Kremlin spokesman Dmitry Peskov said"
    out, ents, _ = analyze_entities(text, "en", None, registry, backend="none")
    roles = [m for m in out if m.source == "role"]
    if not roles:
        pytest.skip("no English role phrases bundled")
    assert roles[0].entity == "dmitry-peskov" and roles[0].office == "RU.presidential_spokesperson"


def test_same_unregistered_name_same_id_across_scripts(registry):
    _, a, _ = analyze_entities("Иван Хомяков приехал.", "ru", None, registry, backend="none")
    mention = [Mention(0, 13, "Ivan Khomyakov", "PERSON", "m")]
    toks = word_tokens("Ivan Khomyakov came.")
    _, b, _ = link("Ivan Khomyakov came.", "en", toks, [(t.text.lower(),) for t in toks], mention, [], registry,
                   parse_lexicon("en", {}))
    assert b[0].id == "person:kmkf" and b[0].name == "Ivan Khomyakov"
    assert a == [] or a[0].id == b[0].id


def test_annotate_fills_entities():
    out = Pipeline().annotate("Vladimir Putin met Recep Tayyip Erdoğan in Ankara on Monday.", lang="en",
                              date="2025-05-16")
    by_text = {e["text"]: e for e in out["entities"]}
    assert by_text["Vladimir Putin"]["type"] == "PERSON"
    assert by_text["Vladimir Putin"]["entity"] == {"id": "vladimir-putin", "name": "Vladimir Putin", "wikidata": "Q7747"}
    assert by_text["Ankara"]["entity"]["id"] == "ankara"
    for e in out["entities"]:
        assert out["text"][e["start"]:e["end"]] == e["text"]


def test_a_failing_recogniser_keeps_the_document(registry, monkeypatch):
    import dragoman.entities as ents

    class Broken:
        name = "broken"

        def find(self, text):
            raise RuntimeError("model crashed")

    monkeypatch.setattr(ents, "recognizer", lambda lang, name=None: Broken())
    out, found, _ = ents.analyze_entities("Vladimir Putin met Recep Tayyip Erdoğan.", "en", None, registry)
    assert {e.id for e in found} >= {"vladimir-putin", "recep-tayyip-erdogan"}  # registry names still found


@pytest.mark.parametrize("text,words", [
    ("رئیس\u200cجمهوری روسیه", ["رئیس", "جمهوری", "روسیه"]),  # a compound: two words
    ("کشور\u200cها", ["کشور\u200cها"]),  # a plural ending stays with its word
    ("می\u200cگوید", ["می\u200cگوید"]),  # a verb prefix stays with its verb
    ("ریاست\u200cجمهوری\u200cاش", ["ریاست", "جمهوری\u200cاش"]),
])
def test_zwnj_affixes_stay_with_their_word(text, words):
    assert [t.text for t in word_tokens(text)] == words


@pytest.mark.parametrize("lang,text,date,phrase,entity", [
    ("en", "The Belgian Prime Minister said the fund was ready.", "2025-06-01", "Belgian Prime Minister", "bart-de-wever"),
    ("en", "The Belgian Prime Minister said the fund was ready.", "2024-06-01", "Belgian Prime Minister", "alexander-de-croo"),
    ("en", "Portugal's foreign minister arrived in Lisbon.", "2025-06-01", "Lisbon", "lisbon"),
    ("ru", "Премьер-министр Бельгии выступил в Брюсселе.", "2025-06-01", "Премьер-министр Бельгии", "bart-de-wever"),
])
def test_registry_covers_belgium_and_portugal(registry, lang, text, date, phrase, entity):
    mentions, _, _ = analyze_entities(text, lang, DateValue(date, "metadata"), registry, backend="none")
    assert {m.text: m.entity for m in mentions}.get(phrase) == entity, [(m.text, m.entity) for m in mentions]
