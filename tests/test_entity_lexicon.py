"""The per-language entity vocabularies (``resources/<lang>/entities.toml``): every file
loads, names offices that exist, unifies inflected forms of names and titles, keeps
apart words that only look alike, and its role phrases find the office they stand for."""

from __future__ import annotations

import re

import pytest

from dragoman.entities.gazetteer import role_matcher, word_tokens
from dragoman.entities.lexicon import check_offices, entity_lexicon
from dragoman.entities.registry import load_registry, load_role_labels
from dragoman.resources import language_file

REQUIRED = ("ar", "fa", "ru", "uk", "de", "en", "fr", "tr")
OPTIONAL = ("es", "it", "pl")
ALL = REQUIRED + OPTIONAL


@pytest.fixture(scope="module")
def registry():
    return load_registry()


def meet(lang: str, a: str, b: str) -> bool:
    lex = entity_lexicon(lang)
    return bool(set(lex.keys(a)) & set(lex.keys(b)))


@pytest.mark.parametrize("lang", REQUIRED)
def test_required_files_load(lang):
    assert language_file(lang, "entities.toml") is not None
    lex = entity_lexicon(lang)
    assert len(lex.roles) >= 100
    assert {"RU", "UA", "US"} <= set(lex.demonyms)
    assert lex.pronouns


@pytest.mark.parametrize("lang", ALL)
def test_offices_and_holders_exist(lang, registry):
    lex = entity_lexicon(lang)
    assert check_offices(lex, set(load_role_labels())) == []
    for rp in lex.roles:
        holder = rp.office.split(".", 1)[0]
        if holder != "*":
            assert registry.holder_actor(holder) is not None, rp.office


@pytest.mark.parametrize("lang", ALL)
def test_no_phrase_is_duplicated(lang):
    lex = entity_lexicon(lang)
    seen: dict[str, str] = {}
    for rp in lex.roles:
        key = lex.fold(rp.phrase)
        assert key not in seen, f"{lang}: {rp.phrase!r} under {rp.office} and {seen[key]}"
        seen[key] = rp.office


@pytest.mark.parametrize("lang", ALL)
def test_demonyms_are_country_codes(lang):
    for code, forms in entity_lexicon(lang).demonyms.items():
        assert re.fullmatch(r"[A-Z]{2}", code) and forms


@pytest.mark.parametrize("lang,base,inflected", [
    ("ru", "Путин", "Путина"), ("ru", "Путин", "Путину"), ("ru", "Путин", "Путиным"),
    ("ru", "Зеленский", "Зеленского"), ("ru", "Зеленский", "Зеленским"), ("ru", "Россия", "России"),
    ("ru", "Россия", "Россией"), ("ru", "Кремль", "Кремля"), ("ru", "Кремль", "Кремлём"),
    ("ru", "пресс-секретарь", "пресс-секретаря"), ("ru", "российский", "российского"),
    ("ru", "российский", "российской"), ("ru", "Захарова", "Захаровой"), ("ru", "Лавров", "Лаврова"),
    ("ru", "Андрей", "Андреем"), ("ru", "Китай", "Китая"), ("ru", "Корея", "Корею"), ("ru", "Максим", "Максимом"),
    ("ru", "министр", "министром"), ("ru", "Небензя", "Небензей"),
    ("uk", "Путін", "Путіна"), ("uk", "Путін", "Путінові"), ("uk", "Зеленський", "Зеленського"),
    ("uk", "Зеленський", "Зеленським"), ("uk", "Росія", "Росії"), ("uk", "Росія", "Росією"),
    ("uk", "Кремль", "Кремля"), ("uk", "речник", "речника"), ("uk", "речниця", "речниці"),
    ("uk", "український", "української"), ("uk", "Україна", "України"), ("uk", "Андрій", "Андрієм"),
    ("uk", "прем'єр-міністр", "прем’єр-міністра"),
    ("ar", "بوتين", "وبوتين"), ("ar", "الرئيس", "والرئيس"), ("ar", "الرئيس", "للرئيس"), ("ar", "الرئيس", "بالرئيس"),
    ("ar", "الرئيس", "رئيس"), ("ar", "الكرملين", "للكرملين"), ("ar", "روسيا", "وروسيا"), ("ar", "وزير", "ووزير"),
    ("fa", "پوتین", "پوتين"), ("fa", "سخنگو", "سخنگوی"), ("fa", "رئیس‌جمهور", "رئیس‌جمهوری"),
    ("fa", "رئیس‌جمهور", "رئیسجمهور"), ("fa", "آمریکا", "آمریکایی"), ("fa", "ایران", "ایرانی"),
    ("de", "Putin", "Putins"), ("de", "Russland", "Russlands"), ("de", "russisch", "russischen"),
    ("de", "russisch", "russische"), ("de", "Präsident", "Präsidenten"), ("de", "Sprecher", "Sprechers"),
    ("de", "Außenminister", "Außenministers"), ("de", "Biden", "Bidens"), ("de", "Haus", "Hauses"),
    ("de", "Kreml", "Kremls"),
    ("en", "Putin", "Putin's"), ("en", "Russia", "Russia's"), ("en", "Xi", "Xi's"), ("en", "Kremlin", "Kremlin’s"),
    ("fr", "ukrainien", "ukrainienne"), ("fr", "américain", "américaine"), ("fr", "français", "française"),
    ("fr", "russe", "russes"), ("fr", "Ukraine", "l'Ukraine"), ("fr", "Allemagne", "d’Allemagne"),
    ("fr", "envoyé", "envoyée"), ("fr", "président", "présidente"),
    ("tr", "Putin", "Putin'in"), ("tr", "Kremlin", "Kremlin'den"), ("tr", "Rusya", "Rusya'nın"),
    ("tr", "ABD", "ABD'nin"), ("tr", "AB", "AB'nin"), ("tr", "Ukrayna", "Ukrayna'nın"), ("tr", "Meloni", "Meloni'nin"),
    ("tr", "Erdoğan", "Erdoğan’a"), ("tr", "Bakanı", "Bakanının"), ("tr", "Bakanı", "Bakanıyla"),
    ("tr", "Sözcüsü", "Sözcüsünün"), ("tr", "Sekreteri", "Sekreterinin"),
    ("es", "ruso", "rusa"), ("es", "presidente", "presidenta"), ("es", "estadounidense", "estadounidenses"),
    ("it", "russo", "russa"), ("it", "Ucraina", "dell'Ucraina"), ("it", "presidente", "presidenti"),
    ("pl", "Putin", "Putina"), ("pl", "Zełenski", "Zełenskiego"), ("pl", "Rosja", "Rosji"),
    ("pl", "rosyjski", "rosyjskiej"), ("pl", "Kreml", "Kremla"), ("pl", "rzecznik", "rzecznikiem"),
])
def test_keys_unify_inflected_forms(lang, base, inflected):
    assert meet(lang, base, inflected), (entity_lexicon(lang).keys(base), entity_lexicon(lang).keys(inflected))


@pytest.mark.parametrize("lang,a,b", [
    ("fa", "رئیس", "رئیسی"),  # head / Raisi
    ("ar", "الرئيس", "رئيسي"),
    ("ar", "ولا", "لولا"),  # "and not" / Lula
    ("ar", "باريس", "كاريس"),  # Paris / Karis
    ("ar", "أنس", "فانس"),  # Anas / Vance
    ("ru", "Путин", "путь"),
    ("de", "russisch", "Russland"),
    ("tr", "Rus", "Rusya"),
])
def test_keys_keep_apart(lang, a, b):
    assert not meet(lang, a, b), (entity_lexicon(lang).keys(a), entity_lexicon(lang).keys(b))


@pytest.mark.parametrize("lang,text,office", [
    ("en", "Kremlin spokesman Dmitry Peskov said", "RU.presidential_spokesperson"),
    ("en", "Russia's foreign minister said", "RU.foreign_minister"),
    ("en", "the U.S. secretary of state arrived", "US.foreign_minister"),
    ("ru", "заявил пресс-секретарь президента РФ", "RU.presidential_spokesperson"),
    ("ru", "слова главы российского МИД", "RU.foreign_minister"),
    ("ru", "встреча с госсекретарём США", "US.foreign_minister"),
    ("uk", "речниця російського МЗС заявила", "RU.foreign_ministry_spokesperson"),
    ("uk", "зустріч з керівником Офісу президента", "UA.chief_of_staff"),
    ("ar", "وقال المتحدث باسم الكرملين", "RU.presidential_spokesperson"),
    ("ar", "والتقى بالرئيس الأمريكي", "US.head_of_state"),
    ("ar", "وقالت المتحدثة باسم وزارة الخارجية الروسية", "RU.foreign_ministry_spokesperson"),
    ("fa", "سخنگوی کرملین گفت", "RU.presidential_spokesperson"),
    ("fa", "رئیس جمهور روسیه گفت", "RU.head_of_state"),
    ("fa", "وزیر امور خارجه آمریکا", "US.foreign_minister"),
    ("de", "sagte der Kremlsprecher", "RU.presidential_spokesperson"),
    ("de", "die Reise des russischen Außenministers", "RU.foreign_minister"),
    ("de", "der US-Präsident sagte", "US.head_of_state"),
    ("fr", "a déclaré le porte-parole du Kremlin", "RU.presidential_spokesperson"),
    ("fr", "le chef de la diplomatie russe", "RU.foreign_minister"),
    ("fr", "le président de l'Ukraine", "UA.head_of_state"),
    ("tr", "Kremlin Sözcüsü Peskov", "RU.presidential_spokesperson"),
    ("tr", "Rusya Dışişleri Bakanının açıklaması", "RU.foreign_minister"),
    ("tr", "Rusya'nın BM Daimi Temsilcisi", "RU.un_ambassador"),
    ("es", "dijo el portavoz del Kremlin", "RU.presidential_spokesperson"),
    ("it", "ha detto il portavoce del Cremlino", "RU.presidential_spokesperson"),
    ("pl", "powiedział rzecznik Kremla", "RU.presidential_spokesperson"),
    ("pl", "szefa MSZ Rosji", "RU.foreign_minister"),
])
def test_role_phrases_find_their_office(lang, text, office, registry):
    found = role_matcher(registry, lang).find(word_tokens(text))
    assert [office] in [payloads for _, _, payloads in found], found


# countries whose forms are checked against every phrase (all of them would be slow)
SAMPLE_COUNTRIES = ("RU", "UA", "US", "GB", "DE", "FR", "CN", "IR", "TR", "IL", "KP", "VA")


@pytest.mark.parametrize("lang", ALL)
def test_every_phrase_names_one_office(lang, registry):
    """No phrase is read as two offices (a fixed phrase clashing with a wildcard one)."""
    lex = entity_lexicon(lang)
    matcher = role_matcher(registry, lang)
    forms = {code: list(lex.demonyms.get(code, ())) for code in SAMPLE_COUNTRIES}
    for code in SAMPLE_COUNTRIES:
        gpe = registry.holder_actor(code)
        if gpe is not None:
            forms[code] += gpe.names.get(lang, [])
    for rp in lex.roles:
        texts = ([rp.phrase] if "{country}" not in rp.phrase
                 else [rp.phrase.replace("{country}", f) for fs in forms.values() for f in fs])
        for text in texts:
            tokens = word_tokens(text)
            for i, j, offices in matcher.find(tokens):
                if i == 0 and j == len(tokens):
                    assert len(offices) == 1, f"{lang}: {text!r} -> {offices}"
