"""Bytes to text: UTF-8 first, then detected encodings; binary and empty input refused."""

from __future__ import annotations

from ..errors import InputError

_BINARY_SIGNATURES = (b"%PDF", b"PK\x03\x04", b"\x89PNG", b"GIF8", b"\xff\xd8\xff", b"\x1f\x8b", b"\x7fELF")


def decode_bytes(data: bytes, *, source: str) -> str:
    """Decode ``data`` to text or raise :class:`InputError` naming ``source``.

    UTF-8 (with or without BOM) is tried first; otherwise the encoding is detected with
    charset-normalizer. Empty, binary (NUL bytes, known binary signatures) and
    undecodable inputs are refused with a one-line reason.
    """
    if not data.strip():
        raise InputError("empty input", source=source)
    if data.startswith(_BINARY_SIGNATURES) or b"\x00" in data[:8192]:
        if not data.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16 BOMs contain NULs
            raise InputError("binary content, not text (expected .txt, .html, .json, .jsonl or a feed)", source=source)
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        utf8_error = exc
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise InputError(
            f"not valid UTF-8 ({utf8_error.reason} at byte {utf8_error.start}) and no other text encoding fits",
            source=source,
        )
    text = str(best)
    if text.count("\ufffd") > max(10, len(text) // 100):
        raise InputError(f"undecodable text (best guess {best.encoding} gives replacement characters)", source=source)
    return text
