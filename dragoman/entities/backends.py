"""Statistical name recognisers behind one interface: ``find(text) -> list[Mention]``.

Which backend a language uses is configuration (``resources/ner.toml``, or the
``DRAGOMAN_NER`` environment variable, e.g. ``ru=crf,uk=none``), so a measured better
model replaces another without code changes. Backends load lazily, once per process;
a backend whose package or model is missing is reported once and the language falls
back to registry names and role phrases.
"""

from __future__ import annotations

import logging
import os
from functools import lru_cache
from typing import Protocol

from ..errors import ResourceError
from ..resources import read_toml, resource_dir
from ..text.syntax import spacy_doc
from .mentions import Mention

log = logging.getLogger(__name__)

_TYPES = {"PER": "PERSON", "PERSON": "PERSON", "ORG": "ORG", "LOC": "LOC", "GPE": "GPE", "FAC": "LOC",
          "NORP": None, "EVENT": "EVENT", "MISC": None}


class Recognizer(Protocol):
    name: str

    def find(self, text: str) -> list[Mention]: ...


class NatashaRecognizer:
    """natasha's news NER (Russian): PER, LOC, ORG."""

    name = "natasha"

    def __init__(self) -> None:
        from natasha import Doc, NewsEmbedding, NewsNERTagger, Segmenter

        self._doc, self._seg, self._tagger = Doc, Segmenter(), NewsNERTagger(NewsEmbedding())

    def find(self, text: str) -> list[Mention]:
        doc = self._doc(text)
        doc.segment(self._seg)
        doc.tag_ner(self._tagger)
        return [Mention(s.start, s.stop, text[s.start:s.stop], _TYPES[s.type], self.name)  # type: ignore[arg-type]
                for s in doc.spans if _TYPES.get(s.type)]


class SpacyRecognizer:
    """A spaCy pipeline's NER. The run is shared with the parser when the package is
    also a language's parser (:func:`dragoman.text.syntax.spacy_doc`)."""

    def __init__(self, package: str) -> None:
        self.name = f"spacy:{package}"
        self._package = package
        spacy_doc(package, "")  # load now: a missing package fails here, not per text

    def find(self, text: str) -> list[Mention]:
        return [Mention(e.start_char, e.end_char, e.text, _TYPES[e.label_], self.name)  # type: ignore[arg-type]
                for e in spacy_doc(self._package, text).ents if _TYPES.get(e.label_)]


def _config() -> dict[str, str]:
    path = resource_dir() / "ner.toml"
    conf = dict(read_toml(path, "the NER backend choice").get("backend", {}))
    for item in filter(None, os.environ.get("DRAGOMAN_NER", "").split(",")):
        lang, _, name = item.partition("=")
        conf[lang.strip()] = name.strip()
    return conf


def backend_name(lang: str | None) -> str:
    conf = _config()
    return conf.get(lang or "", conf.get("default", "none"))


@lru_cache(maxsize=None)
def _load(name: str, lang: str | None) -> Recognizer | None:
    try:
        if name == "none":
            return None
        if name == "natasha":
            return NatashaRecognizer()
        if name.startswith("spacy:"):
            return SpacyRecognizer(name.split(":", 1)[1])
        if name == "crf":
            from .crf import CrfTagger, model_path

            path = model_path(lang) if lang else None
            if path is None:
                log.warning("no CRF model for %s: names come from the registry only", lang)
                return None
            return CrfTagger(path)
    except (ImportError, OSError) as e:
        log.warning("NER backend %s for %s is not available (%s): names come from the registry only", name, lang, e)
        return None
    raise ResourceError(f"ner.toml: unknown backend {name!r} for {lang}")


def recognizer(lang: str | None, name: str | None = None) -> Recognizer | None:
    """The recogniser configured for ``lang`` (or the named one), ``None`` for none."""
    return _load(name or backend_name(lang), lang)
