"""HTML pages to article text and metadata (trafilatura for text, htmldate for dates)."""

from __future__ import annotations

import re

from ..errors import InputError
from ..model import RawDocument

_LANG_ATTR = re.compile(r"<html[^>]*\blang\s*=\s*[\"']?([A-Za-z]{2,3})(?:[-_][A-Za-z0-9]+)?", re.IGNORECASE)
_HAS_BODY = re.compile(r"<(body|p|article|div|main)\b", re.IGNORECASE)
# trafilatura drops non-printable characters, and with them the zero-width (non-)joiners
# that Persian spelling needs; they travel through it as rare printable stand-ins.
_JOINERS = {"\u200c": "\u16ed", "\u200d": "\u16eb"}
_JOINER_ENTITIES = re.compile(r"&(?:zwnj|#8204|#x200c);|&(?:zwj|#8205|#x200d);", re.IGNORECASE)


def _protect_joiners(html: str) -> str:
    html = _JOINER_ENTITIES.sub(lambda m: "\u200d" if m.group(0).lower() in ("&zwj;", "&#8205;", "&#x200d;") else "\u200c", html)
    for joiner, stand_in in _JOINERS.items():
        html = html.replace(joiner, stand_in)
    return html


def _restore_joiners(text: str | None) -> str | None:
    if text is None:
        return None
    for joiner, stand_in in _JOINERS.items():
        text = text.replace(stand_in, joiner)
    return text


def extract_html(raw: RawDocument) -> RawDocument:
    """Return a text :class:`RawDocument` made from an HTML one.

    Title, URL and publication date come from the page metadata unless the raw
    document already has them; ``<html lang>`` is kept as ``lang_hint`` in ``lang``
    only when the caller gave no language (language identification still checks it).
    """
    import trafilatura
    from htmldate import find_date

    html = _protect_joiners(raw.content)
    if not _HAS_BODY.search(html):
        raise InputError("HTML without a body: no article text to extract", source=raw.source)
    try:
        doc = trafilatura.bare_extraction(
            html,
            url=raw.url,
            with_metadata=True,
            include_comments=False,
            include_tables=False,
            include_images=False,
            include_links=False,
            date_extraction_params={"extensive_search": False, "original_date": True},
        )
    except Exception as exc:  # trafilatura raises assorted lxml/parser errors on broken markup
        raise InputError(f"HTML could not be parsed: {type(exc).__name__}: {exc}", source=raw.source) from exc
    text = _restore_joiners(getattr(doc, "text", None)) if doc is not None else None
    if not text or not text.strip():
        raise InputError("no article text found in the HTML page", source=raw.source)
    published = raw.published
    if not published:
        try:
            published = find_date(html, original_date=True, extensive_search=False, outputformat="%Y-%m-%d")
        except Exception:  # htmldate is best-effort; a page without a findable date has none
            published = None
        published = published or getattr(doc, "date", None)
    return RawDocument(
        source=raw.source,
        content=text,
        content_type="text",
        id=raw.id,
        title=raw.title or _restore_joiners(getattr(doc, "title", None)),
        url=raw.url or getattr(doc, "url", None),
        published=published,
        lang=raw.lang,
        group=raw.group,
        lang_hint=raw.lang_hint or html_lang(html),
        raw_hash=raw.raw_hash,
    )


def html_lang(html: str) -> str | None:
    """The ``<html lang>`` attribute's primary subtag, if any."""
    m = _LANG_ATTR.search(html[:4096])
    return m.group(1).lower() if m else None
