"""End to end: the bundled sample corpus and the real seed articles."""

import json

import pytest

from dragoman import Store, ingest
from dragoman.export.records import full_export
from dragoman.export.validate import validation_errors
from dragoman.store import schema as s
from dragoman.text.normalize import fold_text

from .conftest import ROOT, SAMPLES

EXPECTED = json.loads((ROOT / "tests" / "data" / "sample_expectations.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def sample_export(tmp_path_factory):
    db = tmp_path_factory.mktemp("samples") / "samples.db"
    store = Store.open(f"sqlite:///{db}")
    report = ingest([str(SAMPLES)], store, progress=False)
    assert report.failed == []
    data = full_export(store, with_text=True)
    removed = {}
    for row in store.iter_rows(s.boilerplate):
        removed.setdefault(row["doc_id"], []).append(row["text"])
    store.close()
    return data, removed


def test_sample_corpus_size_and_languages():
    langs = {e["lang"] for e in EXPECTED.values()}
    assert len(EXPECTED) >= 15 and {"ar", "fa", "ru", "uk", "de", "en", "fr"} <= langs
    formats = {e["format"] for e in EXPECTED.values()}
    assert formats == {"txt", "html", "jsonl"}


def test_sample_export_valid(sample_export):
    data, _ = sample_export
    assert validation_errors(data) == []
    assert {d["id"] for d in data["documents"]} == set(EXPECTED)


@pytest.mark.parametrize("doc_id", sorted(EXPECTED))
def test_sample_document(sample_export, doc_id):
    data, removed = sample_export
    doc = next(d for d in data["documents"] if d["id"] == doc_id)
    want = EXPECTED[doc_id]
    assert doc["lang"] == want["lang"]
    if want["published"]:
        assert doc["published"][:10] == want["published"][:10]
        assert doc["date"]["basis"] == "metadata"
    if want["format"] != "txt" and want["title"]:
        assert doc["title"] == want["title"]
    text = fold_text(doc["text"])
    for line in want["boilerplate"]:
        assert fold_text(line) not in text, f"boilerplate kept: {line}"
    for sentence in want["must_keep"]:
        assert fold_text(sentence) in text, f"content lost: {sentence}"


def test_seeds_end_to_end(seeds, tmp_path):
    store = Store.open(f"sqlite:///{tmp_path / 'seeds.db'}")
    assert ingest([str(seeds)], store, progress=False).failed == []
    data = full_export(store, with_text=True)
    assert validation_errors(data) == []
    docs = {d["id"]: d for d in data["documents"]}
    assert {k: v["lang"] for k, v in docs.items()} == {
        "000_2edf4c7256988321": "ar", "001_5b40241432b833c2": "fa", "002_18daf78c714a7af7": "ar",
        "003_c96e93538e62335c": "de", "004_7edc6db95af8553e": "ru",
    }
    removed = {}
    for row in store.iter_rows(s.boilerplate):
        removed.setdefault(row["doc_id"], []).append((row["kind"], row["text"]))
    # the related-news teaser, the site rubric and 'don't miss' / related-materials tail,
    # the mirror-site notice and the comment widget
    assert [k for k, t in removed["000_2edf4c7256988321"] if t.startswith("أخبار ذات علاقة")] == ["teaser"]
    assert {t for _, t in removed["003_c96e93538e62335c"]} >= {"TATSÄCHLICH", "Verpassen Sie es nicht", "INTERESSANTE MATERIALIEN ZUM THEMA"}
    assert any(t.startswith("Роскомнадзор пытается") for _, t in removed["004_7edc6db95af8553e"])
    assert ("comments", "FACEBOOK КОММЕНТАРИИ:") in removed["004_7edc6db95af8553e"] or \
        any(t == "FACEBOOK КОММЕНТАРИИ:" for _, t in removed["004_7edc6db95af8553e"])
    for doc in docs.values():
        assert "أخبار ذات علاقة" not in doc["text"] and "FACEBOOK" not in doc["text"]
        assert "Verpassen Sie es nicht" not in doc["text"] and "зеркального сайта" not in doc["text"]
    # nothing else in the Persian and the second Arabic article is boilerplate
    assert "001_5b40241432b833c2" not in removed and "002_18daf78c714a7af7" not in removed
    # content stays: the first and last real paragraphs of the Russian article
    assert docs["004_7edc6db95af8553e"]["text"].startswith("Кремль отказался комментировать")
    assert docs["004_7edc6db95af8553e"]["text"].endswith("«чтобы остановить освобождение Украины».")
    store.close()
