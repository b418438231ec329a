"""A second look at each assembled attribution: keep it or drop it.

The tagger (:mod:`.tagger`) decides token by token; :func:`~.tagger.group` then builds
attributions from the spans. Whether the whole is right depends on things no single
token sees: how sure the tagger was of the cue *and* of the content, how long the
content is and where it stands, whether a source was found and how, what the cue word
is and how the content hangs from it in the parse. A logistic regression (a crfsuite
model over one-item sequences, labels ``1`` keep and ``0`` drop) reads those features
of each candidate and gives the probability that it is a real attribution.

With a rescorer the tagger decodes more generously (``[tagger] rescore_o_weight``,
below the plain ``o_weight``: more candidates, more recall), from each of
``rescore_views``: the averaged label probabilities, the CRF's alone and the recurrent
model's alone (English decodes all three; each misses statements the others find, and
together they hold about 8 points more of the gold attributions). The same statement
often comes out of two views grouped two ways; :func:`select` keeps, from the most
probable down, each candidate whose probability reaches ``rescore_keep`` and that
shares no cue or content word with one kept before. It is trained
(:func:`train`, run by ``train_tagger --rescore``) on candidates that models trained
*without* their documents produced (the held-out parts of a k-fold split of the
training text), each labelled by whether it pairs with a gold attribution under the
benchmark's one-to-one content matching (:func:`dragoman.evaluation.polnear.match`),
so it learns the tagger's errors on text it did not see, as at run time (with several
views, each view's candidates are matched on their own: a candidate is real when it
pairs in one of the views that decoded it).

Features of a candidate (:func:`features`):

* the cue's words (lower-cased), its first and last word, its length;
* the mean and lowest role probability over the cue's tokens (P(C)) and over its
  content's (P(Q)), as numbers and in bands;
* how many content pieces, how many tokens, which side of the cue, how far from it,
  the content's first word, its share inside quotation marks;
* the source: none, the tagger's span or the cue's grammatical subject
  (:func:`~.tagger.cue_subjects`), its side, its last word and its P(S);
* the paragraph's place in the text;
* with a parse: the cue head's tag and relation, the content head's tag and its
  relation to the cue (``incue:ccomp``: a complement clause of the cue itself);
* with a recurrent model: each model's own P(cue) and P(content) and how far apart
  they are (:func:`_parts`); with several views, how many of them decoded the
  candidate and which (added by :func:`~.tagger.paragraph_candidates`).
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from .tagger import _gap

if TYPE_CHECKING:  # pragma: no cover
    from ..evaluation.polnear import Attribution as GoldAttribution
    from ..entities.tokens import Token
    from ..text.syntax import Parse
    from .tagger import Attribution, Span

KEEP, DROP = "1", "0"
#: crfsuite settings of the regression: strong L2 (the candidates of 840 texts are few
#: for the number of cue words; c2 = 5 was best of 0.1 / 1 / 5 / 20 on train fold 1)
C2 = 5.0
ITERATIONS = 200


def _band(x: float, edges: Sequence[float]) -> str:
    """Index of the first edge ``x`` does not exceed (len(edges) above them all)."""
    for i, e in enumerate(edges):
        if x <= e:
            return str(i)
    return str(len(edges))


_CONF = (0.5, 0.6, 0.7, 0.8, 0.9)


def _role(row: Mapping[str, float], role: str) -> float:
    return row.get("B-" + role, 0.0) + row.get("I-" + role, 0.0)


def features(a: Attribution, tokens: Sequence[Token], rows: Sequence[Mapping[str, float]], offset: int,
             subject: Span | None, quoted: Sequence[tuple[int, int]], paragraph: int,
             parse: Parse | None = None, parts: Mapping[str, Sequence[Mapping[str, float]]] | None = None,
             ) -> dict[str, float]:
    """The rescorer's features of attribution ``a`` (with a cue) of one paragraph:
    ``tokens`` and ``rows`` (the label probabilities the tagger decoded) are the
    paragraph's, whose first token has document index ``offset``; ``subject``: the
    cue's grammatical subject span, if any; ``quoted``: the text's quoted spans;
    ``paragraph``: the paragraph's index in the text; ``parse``: the text's parse;
    ``parts``: the label probabilities of the models averaged into ``rows``, by name
    (:func:`_parts`)."""
    if a.cue is None:
        raise ValueError("the rescorer reads attributions with a cue")
    f: dict[str, float] = {}
    cue = a.cue
    cue_idx = range(cue.first - offset, cue.last + 1 - offset)
    words = [tokens[i].text.lower() for i in cue_idx]
    f["cue=" + " ".join(words)] = 1
    f["cue_first=" + words[0]] = 1
    f["cue_last=" + words[-1]] = 1
    f["cue_len=" + _band(len(words), (1, 2, 3))] = 1
    cue_p = [_role(rows[i], "C") for i in cue_idx]
    content_idx = [i - offset for q in a.contents for i in range(q.first, q.last + 1)]
    content_p = [_role(rows[i], "Q") for i in content_idx]
    cue_mean, content_mean = sum(cue_p) / len(cue_p), sum(content_p) / len(content_p)
    f["p_cue"], f["p_cue_min"] = cue_mean, min(cue_p)
    f["p_content"], f["p_content_min"] = content_mean, min(content_p)
    f["p_cue_band=" + _band(cue_mean, _CONF)] = 1
    f["p_content_band=" + _band(content_mean, _CONF)] = 1
    f["pieces=" + _band(len(a.contents), (1, 2))] = 1
    f["content_len=" + _band(len(content_idx), (1, 2, 4, 8, 15, 30))] = 1
    if a.sources:
        s = a.sources[0]
        f["source=" + ("subject" if s is subject else "tagged")] = 1
        f["p_source"] = sum(_role(rows[i - offset], "S") for i in range(s.first, s.last + 1)) / (s.last - s.first + 1)
        f["source_side=" + ("L" if s.first < cue.first else "R")] = 1
        f["source_last=" + tokens[s.last - offset].text.lower()] = 1
    else:
        f["source=none"] = 1
    start, end = a.content
    inside = sum(max(0, min(end, e + 1) - max(start, s - 1)) for s, e in quoted)
    f["quoted=" + _band(inside / max(1, end - start), (0, 0.5, 0.99))] = 1
    f["content_first=" + tokens[a.contents[0].first - offset].text.lower()] = 1
    side = ("L" if all(q.last < cue.first for q in a.contents) else
            "R" if all(q.first > cue.last for q in a.contents) else "B")
    f["side=" + side] = 1
    f["cue_last|side=" + words[-1] + "|" + side] = 1
    f["gap=" + _band(min(_gap(q, cue) for q in a.contents), (0, 1, 2, 4, 8))] = 1
    f["paragraph=" + _band(paragraph, (0, 1, 3))] = 1
    if parse is not None:
        f.update(_syntax(a, parse))
    if parts:
        f.update(_parts(cue_idx, content_idx, parts))
    return f


def _parts(cue: Sequence[int], content: Sequence[int],
           parts: Mapping[str, Sequence[Mapping[str, float]]]) -> dict[str, float]:
    """Each model's own mean and lowest P(cue) and P(content) over the candidate's
    tokens (paragraph indices), and where there are two, how far apart they are: where
    the CRF and the recurrent model disagree, the averaged probability hides it."""
    f: dict[str, float] = {}
    means = []
    for name, rows in parts.items():
        pc = [_role(rows[i], "C") for i in cue]
        pq = [_role(rows[i], "Q") for i in content]
        f[f"p_cue_{name}"], f[f"p_cue_min_{name}"] = sum(pc) / len(pc), min(pc)
        f[f"p_content_{name}"], f[f"p_content_min_{name}"] = sum(pq) / len(pq), min(pq)
        means.append((f[f"p_cue_{name}"], f[f"p_content_{name}"]))
    if len(means) == 2:
        (c1, q1), (c2, q2) = means
        f["d_cue"], f["d_content"] = abs(c1 - c2), abs(q1 - q2)
        f["d_cue_band=" + _band(abs(c1 - c2), (0.1, 0.2, 0.4))] = 1
        f["d_content_band=" + _band(abs(q1 - q2), (0.1, 0.2, 0.4))] = 1
        first, second = parts
        f["cue_surer=" + (first if c1 > c2 + 0.1 else second if c2 > c1 + 0.1 else "both")] = 1
    return f


def _words(a: Attribution) -> set[int]:
    """The token indices of an attribution's cue and content."""
    out = set(range(a.cue.first, a.cue.last + 1)) if a.cue is not None else set()
    for q in a.contents:
        out.update(range(q.first, q.last + 1))
    return out


def select(candidates: Sequence[Attribution], probabilities: Sequence[float], keep: float) -> list[int]:
    """Indices (in text order) of the candidates kept: from the most probable down, each
    whose probability reaches ``keep`` and whose cue and content share no word with those
    of one kept before. Candidates decoded from one view never share words; from
    several (the same statement grouped two ways), only the likelier stays."""
    used: set[int] = set()
    kept = []
    for i in sorted(range(len(candidates)), key=lambda i: -probabilities[i]):
        if probabilities[i] < keep:
            break
        words = _words(candidates[i])
        if words & used:
            continue
        used |= words
        kept.append(i)
    return sorted(kept)


def _syntax(a: Attribution, parse: Parse) -> dict[str, float]:
    """The cue head's tag and relation; each content piece's head tag and its relation,
    marked ``incue:`` where its head is a cue word."""
    assert a.cue is not None
    f: dict[str, float] = {}
    lo, hi = parse.at(a.cue.start), parse.at(a.cue.end - 1)
    if lo is None or hi is None:
        return f
    cue = set(range(lo, hi + 1))
    head = next((j for j in range(lo, hi + 1) if parse.heads[j] not in cue or parse.heads[j] == j), lo)
    f["cue_tag=" + parse.tags[head]] = 1
    f["cue_dep=" + parse.deps[head]] = 1
    relations = 0
    for q in a.contents:
        qlo, qhi = parse.at(q.start), parse.at(q.end - 1)
        if qlo is None or qhi is None:
            continue
        piece = range(qlo, qhi + 1)
        top = next((j for j in piece if parse.heads[j] not in piece or parse.heads[j] == j), None)
        if top is None:
            continue
        f["content_tag=" + parse.tags[top]] = 1
        f["content_rel=" + ("incue:" if parse.heads[top] in cue else "out:") + parse.deps[top]] = 1
        relations += 1
    if not relations:
        f["content_rel=none"] = 1
    return f


class Rescorer:
    """A trained rescorer (crfsuite file): the probability that a candidate is real."""

    def __init__(self, path: str | Path):
        import pycrfsuite

        self.path = Path(path)
        if not self.path.is_file():
            raise FileNotFoundError(f"attribution rescorer not found: {self.path}")
        self._tagger = pycrfsuite.Tagger()
        self._tagger.open(str(self.path))
        if set(self._tagger.labels()) != {KEEP, DROP}:
            raise ValueError(f"{self.path} is not an attribution rescorer (labels {self._tagger.labels()})")

    def probability(self, feats: Mapping[str, float]) -> float:
        """P(keep) of one candidate's :func:`features`."""
        self._tagger.set([dict(feats)])
        return self._tagger.marginal(KEEP, 0)


def train(examples: Iterable[tuple[Mapping[str, float], bool]], out: str | Path, *, c2: float = C2,
          iterations: int = ITERATIONS) -> int:
    """Train a rescorer on (features, is real) pairs and write it to ``out``; returns
    how many examples it saw. Deterministic: the same examples give the same file."""
    import pycrfsuite

    trainer = pycrfsuite.Trainer(verbose=False)
    n = 0
    for feats, real in examples:
        trainer.append([dict(feats)], [KEEP if real else DROP])
        n += 1
    if not n:
        raise ValueError("no candidates to train the rescorer on")
    trainer.set_params({"c1": 0.0, "c2": c2, "max_iterations": iterations})
    Path(out).parent.mkdir(parents=True, exist_ok=True)
    trainer.train(str(out))
    return n


def cross_validate(docs: Sequence[tuple[Sequence[GoldAttribution],
                                         Sequence[tuple[Attribution, Mapping[str, float], bool]]]],
                   thresholds: Sequence[float], folds: int = 5,
                   c2: float = C2) -> list[tuple[float, int, int, int, int]]:
    """For each threshold, (threshold, predictions paired with gold, predictions,
    pairs whose speaker is right, pairs whose gold has a source) over ``docs`` — each (its gold attributions,
    [(candidate, features, is real)]) — with every document's candidates scored by a
    rescorer trained on the other ``folds`` - 1 parts (documents i % folds) and chosen
    among by :func:`select`: the held-out figures from which content P/R/F1 and source
    accuracy follow (:func:`dragoman.evaluation.polnear.match`)."""
    from ..evaluation import polnear

    probs: list[list[float]] = [[] for _ in docs]
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "rescore.crfsuite"
        for k in range(folds):
            train(((f, ok) for i, (_, cands) in enumerate(docs) if i % folds != k for _, f, ok in cands), path,
                  c2=c2)
            model = Rescorer(path)
            for i, (_, cands) in enumerate(docs):
                if i % folds == k:
                    probs[i] = [model.probability(f) for _, f, _ in cands]
    out = []
    for t in thresholds:
        tp = kept = source = sourced = 0
        for (gold, cands), ps in zip(docs, probs):
            chosen = [cands[i][0] for i in select([a for a, _, _ in cands], ps, t)]
            m = polnear.match([a.prediction for a in chosen], list(gold))
            tp += m.tp
            kept += len(chosen)
            source += m.source_ok
            sourced += m.source_pairs
        out.append((t, tp, kept, source, sourced))
    return out
