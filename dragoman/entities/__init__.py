"""Entities: who a text names, one actor across scripts and languages.

:func:`analyze_entities` is the pipeline step: the language's statistical recogniser
(:mod:`.backends`, chosen in ``resources/ner.toml``), registry names and role phrases
(:mod:`.gazetteer`, vocabulary in ``resources/<lang>/entities.toml``), then linking,
clustering and pronoun references (:mod:`.link`). The actor registry is
:mod:`.registry`.
"""

from __future__ import annotations

import logging

from ..model import DateValue, DocEntity, EntityMention, Reference
from .backends import recognizer
from .gazetteer import find_names, find_roles, word_tokens
from .lexicon import entity_lexicon
from .link import absorb_places, date_span, link, merge
from .registry import Registry, load_registry

__all__ = ["analyze_entities", "load_registry", "Registry"]

log = logging.getLogger(__name__)


def analyze_entities(
    text: str, lang: str | None, date: DateValue | None, registry: Registry, *, backend: str | None = None,
) -> tuple[list[EntityMention], list[DocEntity], list[Reference]]:
    """Mentions (names and role phrases), the document's entities, and pronoun references.

    ``date`` is the document date: role phrases ("the US president") resolve to the
    holder on that date, and to nobody when it is unknown. ``backend`` overrides the
    configured recogniser ("none" for registry names and roles only).
    """
    lex = entity_lexicon(lang)
    tokens = word_tokens(text)
    keys = [lex.text_keys(t.text) for t in tokens]
    rec = recognizer(lang, backend)
    try:
        model = rec.find(text) if rec is not None else []
    except Exception as exc:  # a third-party model failing on one text must not cost the batch
        log.warning("NER backend %s failed on a %s text (%s: %s): registry names and roles only",
                    rec.name if rec else None, lang, type(exc).__name__, exc)
        model = []
    names = find_names(text, tokens, keys, registry, lang)
    roles = find_roles(text, tokens, keys, registry, lang, date_span(date))
    mentions = merge(model, names)
    if lex.org_takes_place_after:
        mentions = absorb_places(text, mentions)
    return link(text, lang, tokens, keys, mentions, roles, registry, lex)
