"""Dependency parses, for the languages that have a parser on PyPI (spaCy pipelines).

Which pipeline parses a language is configuration (``resources/syntax.toml``); a
language with none gets ``None`` and the steps that use syntax fall back to what they do
without it. A spaCy pipeline is loaded once per process with the components a caller
needs (tok2vec, tagger, parser, ner: never the lemmatizer). The analysis of the last
few texts is kept, so the English NER step and the quotes step share one run over the
same text: :func:`spacy_doc` runs the parser too whenever the package is some
language's parser, so a later :func:`parse` of that text costs nothing.

A :class:`Parse` holds what the steps read, in plain lists: each token's character
span, lower-cased form, fine part-of-speech tag (Penn Treebank for English) and
dependency relation and head.
"""

from __future__ import annotations

import bisect
import logging
from collections import OrderedDict
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from ..resources import read_toml, resource_dir

log = logging.getLogger(__name__)

_CACHE_SIZE = 4  # texts whose analysis is kept (the NER and quotes steps of one document)


@dataclass(frozen=True)
class Parse:
    """One text's tokens with their tags and dependency tree (index-aligned lists)."""

    starts: list[int]  # character offsets
    ends: list[int]
    lower: list[str]
    tags: list[str]  # fine part-of-speech tag ("VBD", "NNP")
    deps: list[str]  # relation to the head ("nsubj", "ccomp"; "ROOT")
    heads: list[int]  # index of the head token (a root is its own head)

    def __len__(self) -> int:
        return len(self.starts)

    def at(self, char: int) -> int | None:
        """Index of the token that contains character offset ``char`` (None: between tokens)."""
        k = bisect.bisect_right(self.starts, char) - 1
        return k if k >= 0 and char < self.ends[k] else None


@lru_cache(maxsize=1)
def _config() -> dict[str, str]:
    path = resource_dir() / "syntax.toml"
    if not path.is_file():
        return {}
    conf = read_toml(path, "the parser choice").get("parser", {})
    return {str(k): str(v) for k, v in conf.items()}


def parser_package(lang: str | None) -> str | None:
    """The spaCy package that parses ``lang`` (``resources/syntax.toml``), or None."""
    return _config().get(lang or "")


@lru_cache(maxsize=None)
def _pipeline(package: str) -> Any:
    """``package`` loaded with NER, and with tagger and parser when it is some language's parser."""
    import spacy

    keep = {"tok2vec", "ner"} | ({"tagger", "parser"} if package in _config().values() else set())
    nlp = spacy.load(package)
    nlp.select_pipes(disable=[p for p in nlp.pipe_names if p not in keep])  # for good, not a context
    nlp.max_length = 2_000_000
    return nlp


_DOCS: OrderedDict[tuple[str, str], Any] = OrderedDict()


def spacy_doc(package: str, text: str) -> Any:
    """The spaCy ``Doc`` of ``text`` by ``package`` (NER always; tags and parse when the
    package is some language's parser), from the cache when it was just made.
    Raises ``ImportError`` / ``OSError`` when the package is not installed."""
    key = (package, text)
    doc = _DOCS.get(key)
    if doc is None:
        doc = _pipeline(package)(text)
        _DOCS[key] = doc
        while len(_DOCS) > _CACHE_SIZE:
            _DOCS.popitem(last=False)
    return doc


_FAILED: set[str] = set()


def parse(text: str, lang: str | None) -> Parse | None:
    """The dependency parse of ``text`` in ``lang``, or None (no parser for the language,
    or its package is missing: reported once; or the parser failed on this text: a
    warning)."""
    package = parser_package(lang)
    if package is None or package in _FAILED:
        return None
    try:
        doc = spacy_doc(package, text)
    except (ImportError, OSError) as e:
        _FAILED.add(package)
        log.warning("parser %s for %s is not available (%s): steps run without syntax", package, lang, e)
        return None
    except Exception as e:  # a third-party model failing on one text must not cost the batch
        log.warning("parser %s failed on a %s text (%s: %s): this text runs without syntax",
                    package, lang, type(e).__name__, e)
        return None
    return Parse([t.idx for t in doc], [t.idx + len(t.text) for t in doc], [t.lower_ for t in doc],
                 [t.tag_ for t in doc], [t.dep_ for t in doc], [t.head.i for t in doc])
