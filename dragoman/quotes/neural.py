"""A recurrent attribution labeller that the CRF tagger (:mod:`.tagger`) averages with.

The CRF sees a word through features of a window of ±2 words and of the parse. Whether
a word is attributed content often depends on something further away: a cue three
clauses back, a quotation opened two sentences earlier. This model reads the same
per-token features (:func:`~.tagger.document_sequences`, so nothing new to compute or
keep in step) through a bidirectional LSTM over the whole paragraph:

* every feature string is hashed (CRC-32, stable across runs and machines) into one of
  ``2**bits`` rows of an embedding table; a token's vector is the sum of its features'
  rows (a bag of features, plus one bias row);
* a ReLU layer, then a bidirectional LSTM (thinc, numpy: no torch) over the paragraph;
* a softmax over the tagger's labels (:data:`~.tagger.LABELS`) from the ReLU and LSTM
  outputs side by side.

Alone it is weaker than the CRF (held-out PolNeAR train fold 1: content F1 .776 vs
.790); averaged with the CRF's marginals (``[tagger] neural_weight``: the network's
share) it adds about one point (.801), as two models that err differently do. Training
drops each feature of each token with probability ``feature_dropout`` (0.65): without it
the network learns the training text by heart (fold 1 F1 .756).

The file is a numpy ``.npz`` (no pickle): the embedding table in float16, the thinc
layers' bytes and the settings as JSON. Training (:func:`train`) is seeded and runs on
one core (about 40 s per pass over PolNeAR train; 8 passes).
"""

from __future__ import annotations

import json
import time
import zlib
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

FORMAT = "dragoman-attribution-bilstm/1"


def _layers(n_labels: int, width: int, hidden: int, n_in: int) -> tuple:
    from thinc.api import LSTM, Relu, Softmax, with_array, with_padded

    relu = with_array(Relu(nO=width, nI=n_in, dropout=0.1))
    lstm = with_padded(LSTM(nO=2 * hidden, nI=width, bi=True, depth=1, dropout=0.1))
    out = with_array(Softmax(nO=n_labels, nI=width + 2 * hidden))
    return relu, lstm, out


class SequenceModel:
    """Hashed feature bag → ReLU → BiLSTM → softmax over ``labels``, per paragraph."""

    def __init__(self, labels: Sequence[str], *, bits: int = 17, width: int = 32, hidden: int = 64,
                 seed: int = 0):
        if not 8 <= bits <= 24:
            raise ValueError(f"bits must be between 8 and 24, not {bits}")
        self.labels = tuple(labels)
        self.bits, self.width, self.hidden = bits, width, hidden
        rng = np.random.default_rng(seed)
        self.table = (rng.standard_normal((1 << bits, width)) * 0.05).astype(np.float32)
        self._layers = _layers(len(self.labels), width, hidden, width)
        self._ready = False

    # ---------------------------------------------------------------- inputs
    def encode(self, feats: Sequence[Sequence[str]]) -> tuple[np.ndarray, np.ndarray]:
        """Feature rows of one paragraph: (row ids of all its tokens' features, each
        token's feature count); row 0 is every token's bias."""
        mask = (1 << self.bits) - 1
        ids: list[int] = []
        counts = np.empty(len(feats), np.int32)
        for i, f in enumerate(feats):
            ids.append(0)
            ids += [(zlib.crc32(s.encode("utf-8")) & mask) or 1 for s in f]
            counts[i] = len(f) + 1
        return np.asarray(ids, np.int32), counts

    def _bag(self, paras: Sequence[tuple[np.ndarray, np.ndarray]], keep_p: float = 1.0,
             rng: np.random.Generator | None = None) -> tuple[list[np.ndarray], tuple]:
        ids = np.concatenate([p[0] for p in paras])
        counts = np.concatenate([p[1] for p in paras])
        rows = self.table[ids]
        keep = None
        if rng is not None and keep_p < 1.0:
            keep = ((rng.random(len(ids)) < keep_p) / keep_p).astype(np.float32)
            rows = rows * keep[:, None]
        starts = np.concatenate([[0], np.cumsum(counts)[:-1]])
        x = np.add.reduceat(rows, starts, axis=0)
        sizes = np.cumsum([len(p[1]) for p in paras])[:-1]
        return np.split(x, sizes), (ids, counts, keep)

    # ---------------------------------------------------------------- forward
    def _forward(self, xs: list[np.ndarray], train: bool) -> tuple[list[np.ndarray], Callable | None]:
        relu, lstm, out = self._layers
        if not train:
            r = relu.predict(xs)
            h = lstm.predict(r)
            return out.predict([np.hstack([a, b]) for a, b in zip(r, h)]), None
        r, back_relu = relu.begin_update(xs)
        h, back_lstm = lstm.begin_update(r)
        p, back_out = out.begin_update([np.hstack([a, b]) for a, b in zip(r, h)])
        w = self.width

        def backprop(dp: list[np.ndarray]) -> list[np.ndarray]:
            dc = back_out(dp)
            dr = back_lstm([d[:, w:] for d in dc])
            return back_relu([d[:, :w] + e for d, e in zip(dc, dr)])

        return p, backprop

    def _initialize(self, sample: list[tuple[np.ndarray, np.ndarray]]) -> None:
        relu, lstm, out = self._layers
        xs, _ = self._bag(sample)
        relu.initialize(X=xs)
        r = relu.predict(xs)
        lstm.initialize(X=r)
        out.initialize(X=[np.hstack([a, b]) for a, b in zip(r, lstm.predict(r))])
        self._ready = True

    def probabilities(self, feats: Sequence[Sequence[str]]) -> np.ndarray:
        """Per token of one paragraph, the probability of each label (rows sum to 1;
        columns in the order of ``labels``)."""
        if not feats:
            return np.zeros((0, len(self.labels)), np.float32)
        xs, _ = self._bag([self.encode(feats)])
        return self._forward(xs, train=False)[0][0]

    # ---------------------------------------------------------------- training
    def fit(self, data: Sequence[tuple[Sequence[Sequence[str]], Sequence[str]]], *, epochs: int = 8,
            batch: int = 16, learn_rate: float = 0.003, feature_dropout: float = 0.65, seed: int = 0,
            log: Callable[[str], None] | None = None) -> float:
        """Train on (features, labels) paragraphs; returns the seconds taken. Adam on the
        layers, and on the embedding rows a batch touches (lazy Adam: rows not in the
        batch keep their moments)."""
        from thinc.api import Adam, fix_random_seed

        t0 = time.perf_counter()
        fix_random_seed(seed)
        index = {lab: i for i, lab in enumerate(self.labels)}
        enc = [(self.encode(f), np.asarray([index[y] for y in ys], np.int64)) for f, ys in data if len(f)]
        if not enc:
            raise ValueError("no training paragraphs")
        self._initialize([p for p, _ in enc[:2]])
        opt = Adam(learn_rate)
        m = np.zeros_like(self.table)
        v = np.zeros_like(self.table)
        b1, b2, step = 0.9, 0.999, 0
        rng = np.random.default_rng(seed)
        keep_p = 1.0 - feature_dropout
        for epoch in range(epochs):
            order = rng.permutation(len(enc))
            loss = 0.0
            n = 0
            for b in range(0, len(order), batch):
                chunk = [enc[i] for i in order[b:b + batch]]
                xs, (ids, counts, keep) = self._bag([p for p, _ in chunk], keep_p, rng)
                probs, backprop = self._forward(xs, train=True)
                grads = []
                for p, y in zip(probs, (y for _, y in chunk)):
                    at = np.arange(len(y))
                    loss -= float(np.log(p[at, y] + 1e-9).sum())
                    n += len(y)
                    g = p.copy()
                    g[at, y] -= 1.0
                    grads.append(g / len(chunk))
                dx = np.concatenate(backprop(grads))  # type: ignore[misc]
                for layer in self._layers:
                    layer.finish_update(opt)
                # the embedding rows: sum each row's gradient over its occurrences
                rows = np.repeat(dx, counts, axis=0)
                if keep is not None:
                    rows *= keep[:, None]
                order_ids = np.argsort(ids, kind="stable")
                uniq, first = np.unique(ids[order_ids], return_index=True)
                g = np.add.reduceat(rows[order_ids], first, axis=0)
                step += 1
                m[uniq] = b1 * m[uniq] + (1 - b1) * g
                v[uniq] = b2 * v[uniq] + (1 - b2) * g * g
                self.table[uniq] -= learn_rate * (m[uniq] / (1 - b1 ** step)) / (
                    np.sqrt(v[uniq] / (1 - b2 ** step)) + 1e-8)
            if log:
                log(f"    pass {epoch + 1}/{epochs}: loss {loss / max(1, n):.4f} per token "
                    f"({time.perf_counter() - t0:.0f}s)")
        return time.perf_counter() - t0

    # ---------------------------------------------------------------- files
    def save(self, path: str | Path) -> None:
        if not self._ready:
            raise ValueError("an untrained model cannot be saved")
        settings = {"format": FORMAT, "labels": list(self.labels), "bits": self.bits, "width": self.width,
                    "hidden": self.hidden}
        layers = {f"layer{i}": np.frombuffer(layer.to_bytes(), np.uint8) for i, layer in enumerate(self._layers)}
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("wb") as fh:
            np.savez_compressed(fh, settings=np.frombuffer(json.dumps(settings).encode(), np.uint8),
                                table=self.table.astype(np.float16), **layers)

    @classmethod
    def load(cls, path: str | Path) -> SequenceModel:
        """Raises ``FileNotFoundError``, or ``ValueError`` for a file that is not one."""
        path = Path(path)
        if not path.is_file():
            raise FileNotFoundError(f"neural attribution model not found: {path}")
        try:
            with np.load(path, allow_pickle=False) as z:
                settings = json.loads(z["settings"].tobytes().decode())
                if settings.get("format") != FORMAT:
                    raise ValueError(f"{path}: not a {FORMAT} file")
                model = cls(settings["labels"], bits=settings["bits"], width=settings["width"],
                            hidden=settings["hidden"])
                table = z["table"].astype(np.float32)
                if table.shape != model.table.shape:
                    raise ValueError(f"{path}: embedding table of shape {table.shape}, expected {model.table.shape}")
                model.table = table
                for i, layer in enumerate(model._layers):
                    layer.from_bytes(z[f"layer{i}"].tobytes())
        except (KeyError, OSError, ValueError) as e:  # JSON and Unicode errors are ValueErrors
            if isinstance(e, ValueError) and str(e).startswith(str(path)):
                raise
            raise ValueError(f"{path}: not a readable {FORMAT} file ({e})") from e
        model._ready = True
        return model
