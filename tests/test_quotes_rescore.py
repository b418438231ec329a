"""The attribution rescorer: its features of an assembled attribution, training and
reading a model, cross-validated thresholds, the tagger keeping or dropping candidates
with it, and its settings in speech.toml."""

from __future__ import annotations

import pytest

from dragoman.entities.tokens import tokenize
from dragoman.errors import ResourceError
from dragoman.quotes import rescore, tagger, train_tagger
from dragoman.quotes.tagger import Attribution, Span, read_config
from dragoman.text.syntax import Parse

from .test_quotes_tagger import OWN_DOCS, _gold  # our own four sentences and their gold attributions

pytest.importorskip("pycrfsuite")

TEXT = "Ana Ruiz said that the road is closed ."


def _at(tokens, role: str, first: int, last: int) -> Span:
    return Span(role, tokens[first].start, tokens[last].end, first, last)


def _rows(labels: list[str], p: float = 0.75) -> list[dict[str, float]]:
    return [{lab: p, "O": 1 - p} if lab != "O" else {"O": 1.0} for lab in labels]


def _attribution():
    toks = tokenize(TEXT)  # Ana Ruiz said that the road is closed .
    source, cue, content = _at(toks, "S", 0, 1), _at(toks, "C", 2, 2), _at(toks, "Q", 3, 7)
    rows = _rows(["B-S", "I-S", "B-C", "B-Q", "I-Q", "I-Q", "I-Q", "I-Q", "O"])
    return toks, rows, Attribution(cue, [content], [source]), source


def test_features_describe_cue_content_source_and_place():
    toks, rows, a, source = _attribution()
    f = rescore.features(a, toks, rows, 0, source, [], 2)
    assert f["cue=said"] == f["cue_first=said"] == f["cue_last=said"] == 1 and "cue_len=0" in f
    assert f["p_cue"] == pytest.approx(0.75) and f["p_content_min"] == pytest.approx(0.75)
    assert "p_cue_band=3" in f and "p_content_band=3" in f  # 0.75 lies in (0.7, 0.8]
    assert "source=subject" in f and "source_side=L" in f and "source_last=ruiz" in f
    assert "side=R" in f and "gap=0" in f and "content_first=that" in f and "content_len=3" in f
    assert "quoted=0" in f and "paragraph=2" in f and "pieces=0" in f
    # the same source found by the tagger, not as the cue's subject; content in quotes
    quoted = [(TEXT.index("that"), len(TEXT))]
    f = rescore.features(a, toks, rows, 0, None, quoted, 0)
    assert "source=tagged" in f and "quoted=3" in f and "paragraph=0" in f
    f = rescore.features(Attribution(a.cue, a.contents, []), toks, rows, 0, None, [], 0)
    assert "source=none" in f and "p_source" not in f
    with pytest.raises(ValueError, match="cue"):
        rescore.features(Attribution(None, a.contents), toks, rows, 0, None, [], 0)


def test_features_read_how_the_content_hangs_from_the_cue():
    toks, rows, a, source = _attribution()
    words = [t.text for t in toks]
    # said <- ROOT; Ana Ruiz the subject; "closed" heads the complement clause
    heads = [1, 2, 2, 7, 5, 7, 7, 2, 2]
    deps = ["compound", "nsubj", "ROOT", "mark", "det", "nsubj", "aux", "ccomp", "punct"]
    tags = ["NNP", "NNP", "VBD", "IN", "DT", "NN", "VBZ", "VBN", "."]
    starts = [t.start for t in toks]
    parse = Parse(starts, [t.end for t in toks], [w.lower() for w in words], tags, deps, heads)
    f = rescore.features(a, toks, rows, 0, source, [], 0, parse)
    assert "cue_tag=VBD" in f and "cue_dep=ROOT" in f
    assert "content_rel=incue:ccomp" in f and "content_tag=VBN" in f


def _examples(n: int = 30) -> list[tuple[dict[str, float], bool]]:
    out = []
    for i in range(n):
        out.append(({"cue=said": 1, "p_cue": 0.9}, True))
        out.append(({"cue=offered": 1, "p_cue": 0.6}, i % 5 == 0))
    return out


def test_a_rescorer_learns_which_candidates_are_real(tmp_path):
    path = tmp_path / "r.crfsuite"
    assert rescore.train(_examples(100), path) == 200  # 100 real "said", 20 of 100 "offered"
    model = rescore.Rescorer(path)
    real, doubtful = model.probability({"cue=said": 1, "p_cue": 0.9}), model.probability({"cue=offered": 1,
                                                                                         "p_cue": 0.6})
    assert real > 0.8 and 0.1 < doubtful < 0.35
    again = tmp_path / "again.crfsuite"
    rescore.train(_examples(100), again)
    assert again.read_bytes() == path.read_bytes()  # deterministic
    with pytest.raises(ValueError, match="no candidates"):
        rescore.train([], tmp_path / "none.crfsuite")
    with pytest.raises(FileNotFoundError, match="rescorer"):
        rescore.Rescorer(tmp_path / "missing.crfsuite")


def test_a_tagging_model_is_not_a_rescorer(tmp_path):
    import pycrfsuite

    trainer = pycrfsuite.Trainer(verbose=False)
    trainer.append([["w=a"], ["w=b"]], ["B-Q", "O"])
    trainer.train(str(tmp_path / "tagger.crfsuite"))
    with pytest.raises(ValueError, match="not an attribution rescorer"):
        rescore.Rescorer(tmp_path / "tagger.crfsuite")


def _scored_doc() -> tuple[list, list]:
    """Six candidates of one document (own words each, the "said" ones with a source) and
    gold attributions for the real ones: 3 "said" and 1 "offered"."""
    from dragoman.evaluation.polnear import Attribution as Gold

    gold, cands = [], []
    for i, (f, real) in enumerate(_examples(3)):
        said = "cue=said" in f
        content = Span("Q", 10 * i, 10 * i + 5, 2 * i, 2 * i)
        source = [Span("S", 1000 + 10 * i, 1005 + 10 * i, 500 + i, 500 + i)] if said else []
        cands.append((Attribution(Span("C", 10 * i + 6, 10 * i + 9, 2 * i + 1, 2 * i + 1), [content], source), f,
                      real))
        if real:
            gold.append(Gold([(10 * i, 10 * i + 5)], [(1000 + 10 * i, 1005 + 10 * i)] if said else [(3000, 3005)]))
    return gold, cands


def test_cross_validation_scores_what_each_threshold_keeps():
    docs = [_scored_doc() for _ in range(5)]  # 6 candidates per document, 3 + 1 real
    rows = rescore.cross_validate(docs, [0.0, 0.5, 1.0], folds=5)
    assert rows[0] == (0.0, 20, 30, 15, 20)  # everything kept; the "offered" ones have no speaker
    assert rows[1] == (0.5, 15, 15, 15, 15)  # the "said" candidates, all real, speakers right
    assert rows[2] == (1.0, 0, 0, 0, 0)


def test_selection_keeps_the_likelier_of_two_readings():
    toks = tokenize(TEXT)  # Ana Ruiz said that the road is closed .
    whole = Attribution(_at(toks, "C", 2, 2), [_at(toks, "Q", 3, 7)])
    part = Attribution(_at(toks, "C", 2, 2), [_at(toks, "Q", 4, 7)])  # the same cue: a clash
    other = Attribution(_at(toks, "C", 0, 0), [_at(toks, "Q", 1, 1)])  # shares no word with them
    assert rescore.select([whole, part, other], [0.6, 0.9, 0.5], 0.5) == [1, 2]
    assert rescore.select([whole, part, other], [0.9, 0.6, 0.5], 0.5) == [0, 2]
    assert rescore.select([whole, part, other], [0.9, 0.6, 0.4], 0.5) == [0]
    assert rescore.select([], [], 0.5) == []


def test_candidates_of_several_views_are_counted_once():
    toks = tokenize(TEXT)  # Ana Ruiz said that the road is closed .
    sure = _rows(["B-S", "I-S", "B-C", "B-Q", "I-Q", "I-Q", "I-Q", "I-Q", "O"], 0.9)
    other = _rows(["O", "O", "B-C", "O", "B-Q", "I-Q", "I-Q", "I-Q", "O"], 0.9)
    rows = {"mixed": sure, "crf": sure, "neural": other}
    cands = tagger.paragraph_candidates(TEXT, toks, rows, ("mixed", "crf", "neural"), 0, 0.5, ("that",), None, {},
                                        quoted=[], paragraph=0, parts=("crf", "neural"))
    assert len(cands) == 2
    both, alone = sorted(cands, key=lambda c: -len(c.views))
    assert both.views == {"mixed", "crf"} and alone.views == {"neural"}
    assert "votes=2" in both.features and "from=crf" in both.features and "from=neural" not in both.features
    assert "votes=1" in alone.features and "from=neural" in alone.features
    # the models disagree on the content of the second reading: "that" is content for one only
    assert alone.features["p_content_crf"] > 0.8 and both.features["d_cue"] == pytest.approx(0.0)
    assert "cue_surer=both" in both.features
    one = tagger.paragraph_candidates(TEXT, toks, rows, ("mixed",), 0, 0.5, ("that",), None, {}, quoted=[],
                                      paragraph=0)
    assert len(one) == 1 and not any(k.startswith(("votes=", "from=", "p_cue_crf")) for k in one[0].features)
    # each view's candidates are matched with gold on their own
    from dragoman.evaluation.polnear import Attribution as Gold

    gold = [Gold([(toks[3].start, toks[7].end)])]
    assert train_tagger.label_candidates(cands, gold) == [True, True]
    assert train_tagger.label_candidates(cands, []) == [False, False]


def test_the_tagger_keeps_the_candidates_its_rescorer_believes(tmp_path):
    docs = [(f"doc{i}", text, _gold(text, triples)) for i, (text, triples) in enumerate(OWN_DOCS * 3)]
    model = tmp_path / "tiny.crfsuite"
    train_tagger.train(docs, model, "en", c1=0.0, c2=0.01, iterations=60, verbose=False)
    examples = train_tagger.rescore_candidates(model, docs, "en", 0.5)
    assert [len(g) for g, _ in examples] == [1] * 12 and all(ok for _, cands in examples for _, _, ok in cands)
    # a rescorer that has seen real candidates and made-up wrong ones
    wrong = [({"cue=offered": 1.0, "p_cue": 0.3}, False)] * 20
    rescorer = tmp_path / "rescore.crfsuite"
    rescore.train([(f, ok) for _, cands in examples for _, f, ok in cands] + wrong, rescorer)
    text = OWN_DOCS[1][0]
    kept = tagger.AttributionTagger(model, "en", rescorer=rescorer, rescore_keep=0.5).attributions(text)
    assert [text[slice(*a.content)] for a in kept] == ["the vote was fair"]
    assert tagger.AttributionTagger(model, "en", rescorer=rescorer, rescore_keep=1.0).attributions(text) == []
    plain = tagger.AttributionTagger(model, "en")
    assert all(c.features is None for c in plain.candidates(text))  # no rescorer: no features unless asked
    assert all(c.features and c.views == {"mixed"} for c in plain.candidates(text, features=True))
    with pytest.raises(ValueError, match="recurrent"):  # a CRF alone has one view
        tagger.AttributionTagger(model, "en", rescorer=rescorer, rescore_views=("mixed", "crf"))
    with pytest.raises(ValueError, match="rescore_views"):
        tagger.AttributionTagger(model, "en", rescorer=rescorer, rescore_views=("mixed", "mixed"))
    s = train_tagger.score(model, docs[:4], "en", rescorer=rescorer, rescore_keep=0.5)
    assert s["p"] == 1.0 and s["r"] == 1.0


def test_rescorer_settings_in_the_config(tmp_path, monkeypatch):
    path = tmp_path / "speech.toml"
    monkeypatch.setattr(tagger, "language_file", lambda lang, name: path)
    path.write_text('[tagger]\nmodel = "m.crfsuite"\no_weight = 0.5\nrescorer = "r.crfsuite"\n'
                    'rescore_o_weight = 0.3\nrescore_keep = 0.4\n', encoding="utf-8")
    cfg = read_config("xx")
    assert cfg.rescorer == tagger.MODELS_DIR / "r.crfsuite"
    assert (cfg.o_weight, cfg.rescore_o_weight, cfg.rescore_keep) == (0.5, 0.3, 0.4)
    path.write_text('[tagger]\nmodel = "m.crfsuite"\no_weight = 0.5\n', encoding="utf-8")
    cfg = read_config("xx")
    assert cfg.rescorer is None and cfg.rescore_o_weight == 0.5  # defaults to the plain o_weight
    assert cfg.rescore_views == ("mixed",)
    path.write_text('[tagger]\nmodel = "m.crfsuite"\nneural = "n.npz"\nrescore_views = ["mixed", "neural"]\n',
                    encoding="utf-8")
    assert read_config("xx").rescore_views == ("mixed", "neural")
    for bad, key in (('rescorer = 3', "rescorer"), ('rescore_keep = 1.5', "rescore_keep"),
                     ('rescore_o_weight = 0', "rescore_o_weight"), ('rescore_keep = true', "rescore_keep"),
                     ('rescore_views = ["mixed", "crf"]', "neural model"),
                     ('neural = "n.npz"\nrescore_views = ["mixed", "lstm"]', "rescore_views"),
                     ('neural = "n.npz"\nrescore_views = []', "rescore_views"),
                     ('neural = "n.npz"\nrescore_views = ["crf", "crf"]', "rescore_views")):
        path.write_text(f'[tagger]\nmodel = "m.crfsuite"\n{bad}\n', encoding="utf-8")
        with pytest.raises(ResourceError, match=key):
            read_config("xx")


def test_english_decodes_candidates_generously_when_it_rescores():
    cfg = read_config("en")
    if cfg.rescorer is not None:
        assert cfg.rescorer.is_file() and cfg.rescore_o_weight <= cfg.o_weight and 0 < cfg.rescore_keep < 1
