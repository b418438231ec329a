"""What recognition produces: a typed span of the text, before linking."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

EntityType = Literal["PERSON", "ORG", "GPE", "LOC", "EVENT", "OTHER"]


@dataclass(frozen=True, slots=True)
class Mention:
    start: int
    end: int
    text: str
    type: EntityType
    source: str  # which recogniser found it: "natasha", "crf", "spacy", "gazetteer", "role", ...
    actor: str | None = None  # registry key when the recogniser already knows the actor
    office: str | None = None  # "RU.presidential_spokesperson" for a role phrase
