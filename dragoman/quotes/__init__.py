"""Statements: who said what, to whom, when (:func:`extract_quotes`; vocabulary in
``resources/<lang>/speech.toml``, see :mod:`.lexicon`; for English also a learned
attribution tagger, :mod:`.tagger`, trained by :mod:`.train_tagger`)."""

from .extract import extract_quotes

__all__ = ["extract_quotes"]
