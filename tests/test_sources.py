import json

import pytest

from dragoman.errors import DragomanError, InputError
from dragoman.ingest.decode import decode_bytes
from dragoman.ingest.sources import SourceOptions, iter_inputs
from dragoman.model import RawDocument

HTML = """<!doctype html><html lang="fr"><head><title>Titre | Site</title>
<meta property="og:title" content="Les pourparlers d'Istanbul">
<meta property="article:published_time" content="2025-05-16T14:20:00+03:00"></head>
<body><nav><a href="/">Accueil</a> | <a href="/monde">Monde</a></nav>
<article><h1>Les pourparlers d'Istanbul</h1>
<p>Les délégations russe et ukrainienne se sont rencontrées vendredi à Istanbul pour la première fois depuis 2022, a annoncé le ministère turc des Affaires étrangères.</p>
<p>Selon le chef de la délégation russe, les deux parties sont convenues d'un échange de prisonniers de grande ampleur dans les prochains jours.</p>
</article><footer>© 2025 Le Journal. Tous droits réservés.</footer></body></html>"""


def items(*inputs, **kw):
    return list(iter_inputs([str(i) for i in inputs], SourceOptions(**kw)))


def test_txt_file_id_is_file_name(tmp_path):
    p = tmp_path / "ru-01-talks.txt"
    p.write_text("Песков заявил журналистам, что Россия открыта для переговоров.", encoding="utf-8")
    [doc] = items(p)
    assert isinstance(doc, RawDocument) and doc.id == "ru-01-talks" and doc.content_type == "text"
    assert doc.group == str(tmp_path)


def test_html_file(tmp_path):
    p = tmp_path / "fr-page.html"
    p.write_text(HTML, encoding="utf-8")
    [doc] = items(p)
    assert doc.content_type == "html" and doc.id == "fr-page"


def test_directory_recursive_and_sorted(tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "two.txt").write_text("deux", encoding="utf-8")
    (tmp_path / "one.txt").write_text("un", encoding="utf-8")
    (tmp_path / "image.png").write_bytes(b"\x89PNG....")
    docs = items(tmp_path)
    assert [d.id for d in docs] == ["two", "one"] or [d.id for d in docs] == ["one", "two"]
    assert len(docs) == 2  # unknown suffixes are not inputs


def test_jsonl_with_a_malformed_line_goes_on(tmp_path):
    p = tmp_path / "feed.jsonl"
    lines = [
        json.dumps({"id": "a1", "text": "Erster Text", "lang": "de", "published": "2025-05-16", "url": "https://example.org/a"}),
        '{"id": "broken", "text": ',
        json.dumps({"text": "Second text without id", "title": "T"}),
        json.dumps({"id": "x", "body": "no text field"}),
    ]
    p.write_text("\n".join(lines), encoding="utf-8")
    out = items(p)
    assert [type(o).__name__ for o in out] == ["RawDocument", "InputError", "RawDocument", "InputError"]
    assert out[0].id == "a1" and out[0].lang == "de" and out[0].published == "2025-05-16" and out[0].group == "example.org"
    assert out[2].id is None and out[2].title == "T"
    assert f"{p}:2" in str(out[1]) and "malformed JSON" in str(out[1])


def test_json_list_and_object(tmp_path):
    (tmp_path / "list.json").write_text(json.dumps([{"text": "one"}, {"text": "two"}]), encoding="utf-8")
    (tmp_path / "obj.json").write_text(json.dumps({"text": "solo", "title": "t"}), encoding="utf-8")
    assert len(items(tmp_path / "list.json")) == 2
    [solo] = items(tmp_path / "obj.json")
    assert solo.id == "obj" and solo.content == "solo"


@pytest.mark.parametrize(
    "name,data,message",
    [
        ("empty.txt", b"", "empty"),
        ("blank.txt", b"  \n\n ", "empty"),
        ("binary.txt", b"\x00\x01\x02\x03garbage\x00", "binary"),
        ("pdf.txt", b"%PDF-1.7 ...", "binary"),
        ("bad.json", b'{"text": "unterminated', "malformed JSON"),
        ("list.json", b"[1]", "expected a JSON object"),
    ],
)
def test_bad_files_are_named_errors(tmp_path, name, data, message):
    p = tmp_path / name
    p.write_bytes(data)
    [err] = items(p)
    assert isinstance(err, InputError)
    assert message in str(err) and name in str(err)


def test_missing_path_is_an_error_and_batch_goes_on(tmp_path):
    good = tmp_path / "good.txt"
    good.write_text("Texte valable.", encoding="utf-8")
    out = items(tmp_path / "missing.txt", good)
    assert isinstance(out[0], InputError) and "no such file" in str(out[0])
    assert isinstance(out[1], RawDocument)


def test_too_large_file(tmp_path):
    big = tmp_path / "big.txt"
    with big.open("wb") as f:
        f.truncate(50 * 1024 * 1024)  # 50 MB
    [err] = items(big)
    assert isinstance(err, InputError) and "exceeds" in str(err)


def test_legacy_encodings_are_detected():
    text = "Пресс-секретарь президента России Дмитрий Песков заявил журналистам, что переговоры продолжатся."
    assert decode_bytes(text.encode("cp1251"), source="x") == text
    assert decode_bytes(("\ufeff" + text).encode("utf-8"), source="x") == text


def test_invalid_utf8_truncated(tmp_path):
    data = "Переговоры в Стамбуле".encode("utf-8")[:-1]  # cut inside a character
    p = tmp_path / "cut.txt"
    p.write_bytes(data)
    [doc] = items(p)  # decodable by detection; no crash either way
    assert isinstance(doc, (RawDocument, DragomanError))


@pytest.mark.parametrize("zwnj", ["\u200c", "&zwnj;", "&#8204;", "&#x200C;"])
def test_html_extraction_keeps_persian_zwnj(zwnj):
    from dragoman.ingest.html import extract_html

    sentence = f"رئیس{zwnj}جمهوری روسیه گفت که گفت{zwnj}وگوها ادامه می{zwnj}یابد و هیئت{zwnj}ها دوباره دیدار می{zwnj}کنند."
    html = f"<html><head><title>کی{zwnj}یف</title></head><body><article><p>{sentence}</p><p>{sentence}</p></article></body></html>"
    doc = extract_html(RawDocument(source="fa.html", content=html, content_type="html"))
    assert "رئیس\u200cجمهوری" in doc.content and "می\u200cیابد" in doc.content
    assert doc.title == "کی\u200cیف"
