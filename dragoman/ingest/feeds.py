"""RSS and Atom feeds (feedparser): one raw document per entry.

An entry whose embedded content is short (a teaser) is replaced by its linked
article when a fetcher is given; the entry's title, link and date are kept.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from urllib.parse import urlsplit

from ..errors import DragomanError, InputError
from ..model import RawDocument
from .http import Fetcher

FULL_TEXT_MIN_CHARS = 600  # shorter entry bodies are teasers: fetch the article
_FEED_MARKERS = (b"<rss", b"<feed", b"<rdf:rdf")


def looks_like_feed(data: bytes) -> bool:
    head = data[:2048].lower()
    return any(m in head for m in _FEED_MARKERS)


def _iso(parsed: time.struct_time | None) -> str | None:
    return time.strftime("%Y-%m-%d", parsed) if parsed else None


def parse_feed(
    data: bytes, *, source: str, fetcher: Fetcher | None = None
) -> Iterator[RawDocument | DragomanError]:
    """Entries of the feed in ``data``; an entry that fails yields its error."""
    import feedparser

    parsed = feedparser.parse(data)
    if not parsed.entries:
        reason = getattr(parsed, "bozo_exception", None)
        raise InputError(f"feed has no entries{f' ({reason})' if reason else ''}", source=source)
    for n, entry in enumerate(parsed.entries, 1):
        link = entry.get("link")
        name = f"{source}#entry{n}"
        body = ""
        if entry.get("content"):
            body = max((c.get("value", "") for c in entry["content"]), key=len)
        body = body or entry.get("summary", "")
        published = _iso(entry.get("published_parsed") or entry.get("updated_parsed"))
        group = urlsplit(link).hostname if link else source
        raw = RawDocument(
            source=link or name, content=body, content_type="html", title=entry.get("title"),
            url=link, published=published, group=group,
        )
        if fetcher is not None and link and len(_strip_tags(body)) < FULL_TEXT_MIN_CHARS:
            try:
                resp = fetcher.fetch(link)
                from .decode import decode_bytes

                raw.content = decode_bytes(resp.content, source=link)
            except DragomanError as exc:
                if not body.strip():
                    yield exc
                    continue
        if not raw.content.strip():
            yield InputError("feed entry has no text and no fetchable link", source=name)
            continue
        yield raw


def _strip_tags(html: str) -> str:
    import re

    return re.sub(r"<[^>]+>", " ", html).strip()
