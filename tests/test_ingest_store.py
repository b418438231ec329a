import json

import pytest
from sqlalchemy import func, select

from dragoman import Pipeline, RawDocument, Store, ingest
from dragoman.errors import StoreError
from dragoman.store import schema as s

from .texts import SENTENCES


def write_corpus(folder, n=4):
    folder.mkdir(parents=True, exist_ok=True)
    for i, (lang, text) in enumerate(sorted(SENTENCES.items())[:n]):
        (folder / f"{lang}-{i}.txt").write_text(f"{text}\n\n{text} {i}\n", encoding="utf-8")
    return folder


def count(store, table):
    with store.engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(table)).scalar_one()


def test_ingest_and_reingest_is_noop(tmp_path, store):
    corpus = write_corpus(tmp_path / "c")
    first = ingest([str(corpus)], store, progress=False)
    assert (first.added, first.unchanged, first.failed) == (4, 0, [])
    again = ingest([str(corpus)], store, progress=False)
    assert (again.added, again.updated, again.unchanged) == (0, 0, 4)
    assert count(store, s.documents) == 4
    [(doc_id, lang)] = [(r["id"], r["lang"]) for r in store.iter_rows(s.documents) if r["id"] == "ar-0"]
    assert lang == "ar"


def test_changed_file_is_updated(tmp_path, store):
    corpus = write_corpus(tmp_path / "c", 2)
    ingest([str(corpus)], store, progress=False)
    target = sorted(corpus.iterdir())[0]
    target.write_text(SENTENCES["en"], encoding="utf-8")
    report = ingest([str(corpus)], store, progress=False)
    assert (report.updated, report.unchanged) == (1, 1)
    assert count(store, s.documents) == 2
    assert len(store.search("Kremlin spokesman")) == 1


def test_same_file_name_in_two_folders_gets_two_ids(tmp_path, store):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    (tmp_path / "a" / "same.txt").write_text(SENTENCES["de"], encoding="utf-8")
    (tmp_path / "b" / "same.txt").write_text(SENTENCES["fr"], encoding="utf-8")
    ingest([str(tmp_path)], store, progress=False)
    ids = sorted(r["id"] for r in store.iter_rows(s.documents))
    assert len(ids) == 2 and ids[0] == "same" and ids[1].startswith("same-")
    assert ingest([str(tmp_path)], store, progress=False).unchanged == 2


def test_duplicate_content_without_name_is_stored_once(tmp_path, store):
    p = tmp_path / "dup.jsonl"
    p.write_text("\n".join(json.dumps({"text": SENTENCES["ru"]}) for _ in range(3)), encoding="utf-8")
    report = ingest([str(p)], store, progress=False)
    assert report.added == 1 and count(store, s.documents) == 1


def test_bad_inputs_are_reported_and_rest_stored(tmp_path, store):
    corpus = write_corpus(tmp_path / "c", 3)
    (corpus / "empty.txt").write_bytes(b"")
    (corpus / "binary.txt").write_bytes(b"\x00\xff\x00\xfe")
    (corpus / "nobody.html").write_text("<html><head><title>x</title></head></html>", encoding="utf-8")
    (corpus / "lines.jsonl").write_text('{"text": "ok line"}\n{broken\n', encoding="utf-8")
    errors = []
    report = ingest([str(corpus), str(tmp_path / "missing")], store, progress=False, on_error=lambda a, b: errors.append(a))
    assert report.added == 4
    failed = {src.rsplit("/", 1)[-1] for src, _ in report.failed}
    assert failed == {"empty.txt", "binary.txt", "nobody.html", "lines.jsonl:2", "missing"}
    assert len(errors) == 5


def test_crash_mid_batch_leaves_database_consistent(tmp_path, store, monkeypatch):
    corpus = write_corpus(tmp_path / "c", 6)
    real_save = store.save
    calls = {"n": 0}

    def flaky_save(analyses, hashes):
        calls["n"] += 1
        if calls["n"] == 2:
            raise StoreError("disk full")
        return real_save(analyses, hashes)

    monkeypatch.setattr(store, "save", flaky_save)
    with pytest.raises(StoreError):
        ingest([str(corpus)], store, progress=False, chunk_size=2)
    monkeypatch.undo()
    assert count(store, s.documents) == 2  # the first chunk, whole
    with store.engine.connect() as conn:
        orphans = conn.execute(
            select(func.count()).select_from(s.boilerplate).where(s.boilerplate.c.doc_id.not_in(select(s.documents.c.id)))
        ).scalar_one()
    assert orphans == 0
    report = ingest([str(corpus)], store, progress=False, chunk_size=2)
    assert report.added + report.unchanged == 6 and count(store, s.documents) == 6


def test_save_is_atomic(store):
    a = Pipeline().analyze(RawDocument(source="x", content=SENTENCES["en"], id="one"))
    b = Pipeline().analyze(RawDocument(source="y", content=SENTENCES["fr"], id="two"))
    b.id = None  # NOT NULL primary key violation: the whole save must roll back
    with pytest.raises(StoreError):
        store.save([a, b], {})
    assert count(store, s.documents) == 0


def test_repeated_lines_across_a_source_are_boilerplate(tmp_path, store):
    folder = tmp_path / "site"
    folder.mkdir()
    footer = "Наш сайт в социальных сетях: ВКонтакте, Одноклассники"
    for i, lang in enumerate(["ru", "uk", "en", "de"]):
        (folder / f"a{i}.txt").write_text(f"{SENTENCES[lang]}\n\n{footer}\n", encoding="utf-8")
    ingest([str(folder)], store, progress=False)
    texts = [r["text"] for r in store.iter_rows(s.documents)]
    assert all(footer not in t for t in texts)
    kinds = [r["kind"] for r in store.iter_rows(s.boilerplate)]
    assert kinds.count("repeated") == 4
    # a later document from the same source is cleaned with the stored counts
    (folder / "later.txt").write_text(f"{SENTENCES['fr']}\n{footer}", encoding="utf-8")
    ingest([str(folder / "later.txt")], store, progress=False)
    [later] = [r["text"] for r in store.iter_rows(s.documents) if r["id"] == "later"]
    assert footer not in later


def test_fulltext_search(tmp_path, store):
    ingest([str(write_corpus(tmp_path / "c", 11))], store, progress=False)
    hits = store.search("Kremlin")
    assert {h["id"] for h in hits} >= {"en-2"}
    assert store.search('"Kremlin spokesman" OR Kremlsprecher')
    assert store.search("unbalanced \"quote") == []  # bad FTS syntax falls back to quoted words


def test_bad_database_url():
    with pytest.raises(StoreError):
        Store.open("nosuchdb://x")
    with pytest.raises(StoreError):
        Store.open("sqlite:////nonexistent-dir/sub/x.db")


@pytest.mark.postgres
def test_postgres_roundtrip(tmp_path, pg_url):
    from sqlalchemy import text

    st = Store.open(pg_url)
    with st.engine.begin() as conn:
        conn.execute(text("TRUNCATE documents, boilerplate, line_occurrences, date_mentions CASCADE"))
    corpus = write_corpus(tmp_path / "c", 5)
    assert ingest([str(corpus)], st, progress=False).added == 5
    assert ingest([str(corpus)], st, progress=False).unchanged == 5
    assert st.stats()["documents"] == 5
    assert [h["id"] for h in st.search("Kremlin spokesman")] == ["en-2"]
    from dragoman.export.records import full_export
    from dragoman.export.validate import validation_errors

    assert validation_errors(full_export(st, with_text=True)) == []
    st.close()
