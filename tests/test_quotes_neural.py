"""The recurrent attribution model (dragoman.quotes.neural): learning, its file, and
averaging with the CRF tagger. Our own sentences only; the PolNeAR figures come from
``dragoman bench --task quotes``."""

from __future__ import annotations

import numpy as np
import pytest

from dragoman.errors import ResourceError
from dragoman.quotes import tagger, train_tagger
from dragoman.quotes.neural import SequenceModel
from dragoman.quotes.tagger import LABELS, document_sequences, read_config
from tests.test_quotes_tagger import OWN_DOCS, _gold


def _docs():
    return [(f"doc{i}", text, _gold(text, triples)) for i, (text, triples) in enumerate(OWN_DOCS * 3)]


def _data():
    return [x for _, text, gold in _docs() for x in train_tagger.labelled(text, gold, "en")]


def test_features_hash_to_stable_rows_with_a_bias_row():
    m = SequenceModel(LABELS, bits=10)
    ids, counts = m.encode([["w=said", "sh=x"], []])
    assert counts.tolist() == [3, 1] and ids[0] == 0 and ids[3] == 0  # each token starts with the bias row
    assert all(0 < i < 1024 for i in ids[1:3])
    assert m.encode([["w=said"]])[0].tolist() == SequenceModel(LABELS, bits=10, seed=5).encode([["w=said"]])[0].tolist()
    with pytest.raises(ValueError, match="bits"):
        SequenceModel(LABELS, bits=30)


def test_a_tiny_network_learns_our_sentences_and_survives_its_file(tmp_path):
    data = _data()
    m = SequenceModel(LABELS, bits=12, width=16, hidden=16)
    m.fit(data, epochs=30, feature_dropout=0.0, learn_rate=0.01)
    feats, labels = data[0]
    p = m.probabilities(feats)
    assert p.shape == (len(feats), len(LABELS)) and np.allclose(p.sum(axis=1), 1.0, atol=1e-4)
    assert [LABELS[i] for i in p.argmax(axis=1)] == labels
    path = tmp_path / "tiny.npz"
    m.save(path)
    again = SequenceModel.load(path)
    assert again.labels == LABELS
    assert np.allclose(again.probabilities(feats), p, atol=1e-3)  # the table is kept in float16
    assert m.probabilities([]).shape == (0, len(LABELS))


def test_training_is_deterministic():
    data = _data()[:4]
    a, b = SequenceModel(LABELS, bits=10, width=8, hidden=8), SequenceModel(LABELS, bits=10, width=8, hidden=8)
    a.fit(data, epochs=2)
    b.fit(data, epochs=2)
    assert np.array_equal(a.probabilities(data[0][0]), b.probabilities(data[0][0]))


def test_bad_files_are_named(tmp_path):
    with pytest.raises(FileNotFoundError, match="neural"):
        SequenceModel.load(tmp_path / "missing.npz")
    junk = tmp_path / "junk.npz"
    junk.write_bytes(b"not a model")
    with pytest.raises(ValueError, match="junk.npz"):
        SequenceModel.load(junk)
    np.savez(tmp_path / "other.npz", settings=np.frombuffer(b'{"format": "x"}', np.uint8))
    with pytest.raises(ValueError, match="not a"):
        SequenceModel.load(tmp_path / "other.npz")
    with pytest.raises(ValueError, match="untrained"):
        SequenceModel(LABELS, bits=10).save(tmp_path / "x.npz")


def test_the_tagger_averages_crf_and_network(tmp_path):
    docs = _docs()
    crf, net = tmp_path / "tiny.crfsuite", tmp_path / "tiny.npz"
    train_tagger.train(docs, crf, "en", c1=0.0, c2=0.01, iterations=60, verbose=False)
    m = SequenceModel(LABELS, bits=12, width=16, hidden=16)
    m.fit(_data(), epochs=30, feature_dropout=0.0, learn_rate=0.01)
    m.save(net)
    s = train_tagger.score(crf, docs[:4], "en", neural=net, neural_weight=0.5)
    assert s["p"] == 1.0 and s["r"] == 1.0 and s["source"] == 1.0
    text = OWN_DOCS[2][0]
    feats = document_sequences(text, "en")[0].features
    both = tagger.AttributionTagger(crf, "en", neural=net, neural_weight=0.5)
    assert both.labels(feats) == tagger.AttributionTagger(crf, "en").labels(feats)
    # its share decides: all of it is the network's labels
    alone = tagger.AttributionTagger(crf, "en", neural=net, neural_weight=1.0)
    assert alone.labels(feats) == tagger.decode_marginals(
        [dict(zip(LABELS, row)) for row in m.probabilities(feats).tolist()])
    with pytest.raises(FileNotFoundError, match="neural"):
        tagger.AttributionTagger(crf, "en", neural=tmp_path / "missing.npz")


def test_train_neural_writes_a_model(tmp_path):
    out = tmp_path / "n.npz"
    train_tagger.train_neural(_docs()[:4], out, "en", epochs=1, verbose=False, context_depth=0)
    assert SequenceModel.load(out).probabilities([["w=said"]]).shape == (1, len(LABELS))


def test_a_network_with_contextual_vectors(tmp_path):
    docs = _docs()[:len(OWN_DOCS)]
    out = tmp_path / "ctx.npz"
    train_tagger.train_neural(docs, out, "en", epochs=2, verbose=False, context_depth=2, width=8, hidden=8)
    m = SequenceModel.load(out)
    assert m.context == {"variant": "enpt", "depth": 2, "dim": 384, "tuned": 0} and m.context_dim == 384
    assert m.context_scale.shape == (384,) and (m.context_scale > 0).all()  # from the training vectors
    seqs = document_sequences(docs[0][1], "en")
    vecs = m.context_vectors([s.tokens for s in seqs])
    assert [v.shape for v in vecs] == [(len(s.tokens), 384) for s in seqs]
    p = m.probabilities(seqs[0].features, vecs[0])
    assert p.shape == (len(seqs[0].tokens), len(LABELS)) and np.allclose(p.sum(axis=1), 1.0, atol=1e-4)
    with pytest.raises(ValueError, match="contextual"):
        m.probabilities(seqs[0].features)  # the vectors are not optional
    with pytest.raises(ValueError, match="contextual"):
        m.fit([(seqs[0].features, ["O"] * len(seqs[0].tokens))])
    # the tagger computes them per document; given the tokens, per paragraph
    crf = tmp_path / "tiny.crfsuite"
    train_tagger.train(docs, crf, "en", c1=0.0, c2=0.01, iterations=30, verbose=False)
    both = tagger.AttributionTagger(crf, "en", neural=out, neural_weight=0.5)
    assert both.attributions(docs[0][1])
    alone = m.context_vectors([seqs[0].tokens])[0]
    assert both.labels(seqs[0].features, seqs[0].tokens) == both.labels(seqs[0].features, None, None, alone)
    with pytest.raises(ValueError, match="tokens"):
        both.labels(seqs[0].features)
    with pytest.raises(ValueError, match="unknown context"):
        SequenceModel(LABELS, context={"layers": 3})


def test_a_network_that_tunes_the_encoder_keeps_its_layers_in_its_file(tmp_path):
    docs = _docs()[:len(OWN_DOCS)]
    out = tmp_path / "tuned.npz"
    train_tagger.train_neural(docs, out, "en", epochs=2, verbose=False, context_depth=2, width=8, hidden=8,
                              tune_layers=1, tune_epochs=1)
    m = SequenceModel.load(out)
    assert m.context["tuned"] == 1
    seqs = document_sequences(docs[0][1], "en")
    vecs = m.context_vectors([s.tokens for s in seqs])
    plain = SequenceModel(LABELS, width=8, hidden=8, context={"depth": 2}).context_vectors([s.tokens for s in seqs])
    assert vecs[0].shape == plain[0].shape and not np.allclose(vecs[0], plain[0])  # layer 2 is its own
    assert np.allclose(m.probabilities(seqs[0].features, vecs[0]),
                       SequenceModel.load(out).probabilities(seqs[0].features, vecs[0]))
    with np.load(out) as z:  # a file that lost its tuned layers is refused
        kept = {k: z[k] for k in z.files if not k.startswith("tuned.")}
    broken = tmp_path / "broken.npz"
    np.savez(broken, **kept)
    with pytest.raises(ValueError, match="tuned"):
        SequenceModel.load(broken)
    with pytest.raises(ValueError, match="tuned"):
        SequenceModel(LABELS, context={"depth": 2, "tuned": 3})


def test_neural_model_in_the_config(tmp_path, monkeypatch):
    path = tmp_path / "speech.toml"
    monkeypatch.setattr(tagger, "language_file", lambda lang, name: path)
    path.write_text('[tagger]\nmodel = "m.crfsuite"\nneural = "m.npz"\nneural_weight = 0.3\n', encoding="utf-8")
    cfg = read_config("xx")
    assert cfg.neural == tagger.MODELS_DIR / "m.npz" and cfg.neural_weight == 0.3
    path.write_text('[tagger]\nneural = "m.npz"\n', encoding="utf-8")
    assert read_config("xx").neural is None  # a network without a CRF is none
    for bad in ("neural_weight = 1.5", "neural_weight = true", "neural = 3"):
        path.write_text(f'[tagger]\nmodel = "m.crfsuite"\n{bad}\n', encoding="utf-8")
        with pytest.raises(ResourceError, match="neural"):
            read_config("xx")


def test_tuned_training_is_seeded(tmp_path):
    docs = _docs()[:2]
    outs = [tmp_path / "a.npz", tmp_path / "b.npz"]
    for out in outs:
        train_tagger.train_neural(docs, out, "en", epochs=2, verbose=False, context_depth=1, width=8, hidden=8,
                                  tune_layers=1, tune_epochs=1)
    with np.load(outs[0]) as a, np.load(outs[1]) as b:
        assert a.files == b.files and all(np.array_equal(a[k], b[k]) for k in a.files)
    with pytest.raises(ValueError, match="no training"):
        SequenceModel(LABELS, width=8, hidden=8, context={"depth": 1, "tuned": 1}).fit_documents([([], [])])
