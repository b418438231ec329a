"""The five seeds (../shared/corpus/seeds): one entity per actor across languages and
scripts, roles resolved by date, and the statements of issue #5 with their speakers."""

from __future__ import annotations

from collections import defaultdict

import pytest

from dragoman.pipeline import Pipeline

pytestmark = pytest.mark.shared


_CACHE: dict = {}


@pytest.fixture
def annotated(seeds):
    if not _CACHE:
        p = Pipeline()
        _CACHE.update({f.name[:3]: p.annotate(f.read_text(encoding="utf-8")) for f in sorted(seeds.glob("*.txt"))})
    return _CACHE


def test_one_entity_per_actor_across_seeds(annotated):
    docs = defaultdict(set)
    names = {}
    for key, a in annotated.items():
        for e in a["entities"]:
            if e["entity"]:
                docs[e["entity"]["id"]].add(key)
                names[e["entity"]["id"]] = e["entity"]["name"]
    assert docs["dmitry-peskov"] == {"000", "001", "003", "004"} and names["dmitry-peskov"] == "Dmitry Peskov"
    assert docs["vladimir-putin"] == {"000", "001", "002", "003", "004"} and names["vladimir-putin"] == "Vladimir Putin"
    assert docs["donald-trump"] >= {"000", "001"} and names["donald-trump"] == "Donald Trump"
    assert docs["volodymyr-zelensky"] >= {"000", "001", "002", "004"}
    assert names["volodymyr-zelensky"] == "Volodymyr Zelensky"
    # no second entity for the same people under other ids
    for eid, n in names.items():
        if eid not in ("dmitry-peskov", "vladimir-putin", "donald-trump", "volodymyr-zelensky"):
            assert n not in ("Peskov", "Putin", "Trump", "Zelensky"), eid


def test_roles_resolve_by_date(annotated):
    fa = annotated["001"]
    assert fa["date"]["value"] == "2025-05-19"
    roles = [e for e in fa["entities"] if e["source"] == "role" and e["text"].replace("\u200c", "").startswith("رئیس")]
    assert roles and all(e["entity"]["id"] == "vladimir-putin" for e in roles)
    # "спикер Кремля Дмитрий Песков": the role beside the name, even without a date
    ru = annotated["004"]
    spokes = [e for e in ru["entities"] if e["source"] == "role" and e["text"] == "спикер Кремля"]
    assert spokes and spokes[0]["entity"]["id"] == "dmitry-peskov"


def _speakers(a):
    return {q["text"][:25]: ((q["speaker"] or {}).get("entity") or {}).get("id") for q in a["quotes"]}


def test_persian_statements_by_role_and_pronoun(annotated):
    fa = annotated["001"]
    by_cue = defaultdict(list)
    for q in fa["quotes"]:
        by_cue[(q["speaker"] or {}).get("text", "").replace("\u200c", "")].append(q)
    assert all(q["speaker"]["entity"]["id"] == "vladimir-putin" for q in by_cue["رئیسجمهوری روسیه"])
    pronoun = [q for q in fa["quotes"] if q["cue"] and q["cue"]["text"] == "خاطرنشان کرد"]
    assert pronoun and pronoun[0]["speaker"]["text"] == "وی" and pronoun[0]["speaker"]["entity"]["id"] == "vladimir-putin"
    trump = [q for q in fa["quotes"] if q["text"].startswith("روسیه طرفدار")]
    assert trump and trump[0]["speaker"]["entity"]["id"] == "donald-trump"
    assert all(q["date"]["value"] == "2025-05-19" for q in fa["quotes"] if q["date"]["basis"] == "document")


def test_german_statements_by_role_and_pronoun(annotated):
    de = annotated["003"]
    added = [q for q in de["quotes"] if q["cue"] and q["cue"]["text"] == "fügte"]
    assert len(added) == 2 and all(q["speaker"]["entity"]["id"] == "dmitry-peskov" for q in added)
    assert any(q["speaker"]["text"] == "er" for q in added)


def test_no_quotes_from_boilerplate(annotated):
    for a in annotated.values():
        for q in a["quotes"]:
            assert a["text"][q["start"]:q["end"]] == q["text"]
            assert "تعليق" not in q["text"][:20] and "Комментар" not in q["text"][:20]
