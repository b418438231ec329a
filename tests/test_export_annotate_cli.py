import csv
import json
import subprocess
import sys

import pytest

from dragoman.cli import build_parser, main
from dragoman.export.validate import schema, validation_errors

from .conftest import ROOT, SHARED
from .texts import SENTENCES


@pytest.fixture
def corpus(tmp_path):
    folder = tmp_path / "corpus"
    folder.mkdir()
    for lang in ("ar", "fa", "ru", "de", "en"):
        (folder / f"{lang}.txt").write_text(SENTENCES[lang] + "\n", encoding="utf-8")
    (folder / "page.html").write_text(
        "<html lang='fr'><head><title>Titre</title><meta property='article:published_time' content='2025-06-02T10:00:00Z'>"
        f"</head><body><article><h1>Titre</h1><p>{SENTENCES['fr']}</p><p>{SENTENCES['fr']}</p></article></body></html>",
        encoding="utf-8",
    )
    return folder


def run_cli(*args):
    return main([str(a) for a in args])


def test_ingest_export_json_valid(corpus, tmp_path, db_url, capsys):
    assert run_cli("ingest", corpus, "--db", db_url, "-q") == 0
    out = tmp_path / "export.json"
    assert run_cli("export", "--db", db_url, "--format", "json", "-o", out, "--with-text") == 0
    data = json.loads(out.read_text(encoding="utf-8"))
    assert validation_errors(data) == []
    docs = {d["id"]: d for d in data["documents"]}
    assert set(docs) == {"ar", "fa", "ru", "de", "en", "page"}
    assert docs["page"]["title"] == "Titre" and docs["page"]["published"] == "2025-06-02"
    assert docs["page"]["date"] == {"value": "2025-06-02", "basis": "metadata", "text": "2025-06-02"}
    assert docs["page"]["lang"] == "fr" and docs["fa"]["lang"] == "fa"
    assert all(d["chars"] == len(d["text"]) for d in docs.values())


def test_export_formats(corpus, tmp_path, db_url, capsys):
    run_cli("ingest", corpus, "--db", db_url, "-q")
    capsys.readouterr()
    assert run_cli("export", "--db", db_url, "--format", "jsonl") == 0
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines() if line.strip()]
    kinds = [line["record"] for line in lines]
    assert {"document", "entity"} <= set(kinds) <= {"document", "entity", "quote"} and kinds.count("document") == 6
    assert {line["type"] for line in lines if line["record"] == "entity"} <= {"PERSON", "ORG", "GPE", "LOC", "OTHER"}
    assert run_cli("export", "--db", db_url, "--format", "csv", "-o", tmp_path / "csv") == 0
    with (tmp_path / "csv" / "documents.csv").open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == 6 and json.loads(rows[0]["date"])["basis"] in ("metadata", "unknown", "inferred")
    assert (tmp_path / "csv" / "quotes.csv").is_file()
    assert run_cli("export", "--db", db_url, "--format", "parquet", "-o", tmp_path / "pq") == 0
    import pyarrow.parquet as pq

    assert pq.read_table(tmp_path / "pq" / "documents.parquet").num_rows == 6


def test_exit_codes(corpus, tmp_path, db_url, capsys):
    (corpus / "empty.txt").write_bytes(b"")
    assert run_cli("ingest", corpus, "--db", db_url, "-q") == 1
    err = capsys.readouterr().err
    assert "empty.txt: empty input" in err and "1 failed" in err
    with pytest.raises(SystemExit) as exc:
        run_cli("export", "--db", db_url, "--format", "xml")
    assert exc.value.code == 2
    with pytest.raises(SystemExit) as exc:
        run_cli("export", "--db", db_url, "--format", "csv")  # csv needs -o
    assert exc.value.code == 2


def test_annotate_file_follows_contract(tmp_path, capsys):
    p = tmp_path / "x.txt"
    p.write_text(SENTENCES["ru"] + "\n\nЧитайте также: Песков рассказал о переговорах\n", encoding="utf-8")
    assert run_cli("annotate", p, "--date", "2025-05-16") == 0
    result = json.loads(capsys.readouterr().out)
    assert validation_errors(result, "annotate") == []
    assert result["lang"] == "ru" and result["date"]["value"] == "2025-05-16" and result["id"] == "x"
    assert result["text"].startswith(SENTENCES["ru"][:20])


def test_annotate_bad_date_is_usage_error(tmp_path):
    p = tmp_path / "x.txt"
    p.write_text(SENTENCES["en"], encoding="utf-8")
    with pytest.raises(SystemExit) as exc:
        run_cli("annotate", p, "--date", "16 May")
    assert exc.value.code == 2


def test_annotate_jsonl_one_line_per_input(tmp_path):
    lines = [
        json.dumps({"id": "a", "text": SENTENCES["fa"], "date": "2025-05-16"}),
        "{not json",
        json.dumps({"id": "c", "text": SENTENCES["de"], "lang": "de"}),
    ]
    proc = subprocess.run(
        [sys.executable, "-m", "dragoman.cli", "annotate", "--jsonl", "-"], input="\n".join(lines),
        capture_output=True, text=True, cwd=ROOT, timeout=120,
    )
    assert proc.returncode == 1
    out = [json.loads(line) for line in proc.stdout.splitlines()]
    assert [o.get("id") for o in out] == ["a", None, "c"]
    assert out[0]["lang"] == "fa" and "error" in out[1] and out[2]["lang"] == "de"
    assert validation_errors(out[0], "annotate") == [] and validation_errors(out[2], "annotate") == []
    assert "line 2" in proc.stderr


def test_python_api_annotate():
    import dragoman

    result = dragoman.Pipeline().annotate(SENTENCES["uk"], date="2025-06-02")
    assert result["lang"] == "uk" and result["version"] == 1
    assert result["sentences"] and validation_errors(result, "annotate") == []


def test_public_api_is_what_we_mean():
    import dragoman

    assert set(dragoman.__all__) == {
        "Analysis", "DateMention", "DateValue", "DragomanError", "FetchError", "IngestReport", "InputError",
        "MissingExtraError", "Options", "Pipeline", "RawDocument", "RemovedLine", "ResourceError", "Segment",
        "Span", "Store", "StoreError", "UsageError", "__version__", "export", "ingest",
    }
    assert all(hasattr(dragoman, name) for name in dragoman.__all__)


def test_every_command_has_help_and_docs():
    parser = build_parser()
    sub = next(a for a in parser._actions if a.__class__.__name__ == "_SubParsersAction")
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name, sp in sub.choices.items():
        assert sp.format_help().strip()
        assert f"dragoman {name}" in readme, f"README does not document `dragoman {name}`"
        for action in sp._actions:
            if action.option_strings and action.dest != "help":
                assert action.help, f"{name} {action.option_strings} has no help"


def test_bundled_contract_matches_shared():
    for name in ("export", "annotate"):
        shared = SHARED / "contract" / f"{name}.schema.json"
        if not shared.is_file():
            pytest.skip("../shared/contract not found")
        assert json.loads(shared.read_text(encoding="utf-8")) == schema(name)


def test_readme_quick_start_and_ci_agree():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "make demo" in readme and "make test" in readme
    assert [l for l in ci.splitlines() if l and not l.startswith(("#", "set ", "cd "))] == ["make test"]


def test_ingest_from_stdin_is_idempotent(db_url):
    cmd = [sys.executable, "-m", "dragoman.cli", "ingest", "-", "--db", db_url, "-q"]
    first = subprocess.run(cmd, input=SENTENCES["tr"], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert first.returncode == 0 and "1 added" in first.stderr
    again = subprocess.run(cmd, input=SENTENCES["tr"], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert again.returncode == 0 and "1 unchanged" in again.stderr


def test_html_analysis_keeps_metadata():
    from dragoman import Pipeline, RawDocument

    html = (
        "<html lang='de'><head><title>Gespräche | Zeitung</title>"
        "<meta property='article:published_time' content='2025-05-16T14:20:00+03:00'></head><body>"
        "<nav>Startseite | Politik</nav><article><h1>Gespräche in Istanbul</h1>"
        f"<p>{SENTENCES['de']}</p><p>{SENTENCES['de']}</p></article><footer>Impressum</footer></body></html>"
    )
    a = Pipeline().analyze(RawDocument(source="p.html", content=html, content_type="html", id="p"))
    assert a.lang == "de" and a.published == "2025-05-16" and a.date.basis == "metadata"
    assert "Startseite" not in a.text and SENTENCES["de"] in a.text
    for start, end in a.sentences:
        assert a.text[start:end].strip() == a.text[start:end]
