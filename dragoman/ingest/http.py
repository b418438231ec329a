"""Fetching URLs safely: http(s) only, bounded in size and time, and never to private,
loopback, link-local or otherwise reserved addresses unless explicitly allowed.

Every redirect hop is checked again. The transport and the resolver are injectable,
so tests never touch the network.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import httpx

from ..errors import FetchError

Resolver = Callable[[str], list[str]]
USER_AGENT = "dragoman/0.1 (+news research; offline-first)"


def system_resolver(host: str) -> list[str]:
    """All addresses ``host`` resolves to (IPv4 and IPv6)."""
    infos = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
    return sorted({info[4][0] for info in infos})


def is_public_address(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%")[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return not (
        ip.is_private or ip.is_loopback or ip.is_link_local or ip.is_multicast
        or ip.is_reserved or ip.is_unspecified or not ip.is_global
    )


@dataclass(slots=True)
class Response:
    url: str
    content: bytes
    content_type: str


@dataclass(kw_only=True)
class Fetcher:
    """Fetch http(s) URLs with caps. ``allow_private`` lifts the address guard."""

    allow_private: bool = False
    timeout: float = 20.0
    max_bytes: int = 20 * 1024 * 1024
    max_redirects: int = 5
    transport: httpx.BaseTransport | None = None
    resolver: Resolver = system_resolver

    def check_url(self, url: str) -> None:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https"):
            raise FetchError(f"only http and https URLs are fetched, not {parts.scheme or 'no scheme'}", source=url)
        host = parts.hostname
        if not host:
            raise FetchError("URL has no host", source=url)
        if self.allow_private:
            return
        try:
            addresses = [str(ipaddress.ip_address(host))]
        except ValueError:
            try:
                addresses = self.resolver(host)
            except (OSError, UnicodeError) as exc:
                raise FetchError(f"cannot resolve host {host!r}: {exc}", source=url) from exc
        if not addresses:
            raise FetchError(f"host {host!r} resolves to no address", source=url)
        for address in addresses:
            if not is_public_address(address):
                raise FetchError(
                    f"refusing to fetch {host} ({address}): private, loopback or link-local address "
                    "(use --allow-private to permit)",
                    source=url,
                )

    def fetch(self, url: str) -> Response:
        headers = {"User-Agent": USER_AGENT, "Accept": "text/html,application/xhtml+xml,application/rss+xml,application/atom+xml,application/xml;q=0.9,*/*;q=0.5"}
        timeout = httpx.Timeout(self.timeout)
        with httpx.Client(transport=self.transport, timeout=timeout, follow_redirects=False, headers=headers) as client:
            current = url
            for _ in range(self.max_redirects + 1):
                self.check_url(current)
                try:
                    with client.stream("GET", current) as resp:
                        if resp.is_redirect:
                            location = resp.headers.get("location")
                            if not location:
                                raise FetchError(f"redirect {resp.status_code} without a Location", source=current)
                            current = urljoin(current, location)
                            continue
                        if resp.status_code >= 400:
                            raise FetchError(f"HTTP {resp.status_code} {resp.reason_phrase}", source=current)
                        declared = resp.headers.get("content-length")
                        if declared and declared.isdigit() and int(declared) > self.max_bytes:
                            raise FetchError(f"response of {int(declared):,} bytes exceeds the {self.max_bytes:,}-byte cap", source=current)
                        chunks: list[bytes] = []
                        size = 0
                        for chunk in resp.iter_bytes():
                            size += len(chunk)
                            if size > self.max_bytes:
                                raise FetchError(f"response exceeds the {self.max_bytes:,}-byte cap", source=current)
                            chunks.append(chunk)
                        return Response(str(resp.url), b"".join(chunks), resp.headers.get("content-type", ""))
                except httpx.TimeoutException as exc:
                    raise FetchError(f"timed out after {self.timeout:g} s", source=current) from exc
                except httpx.HTTPError as exc:
                    raise FetchError(f"unreachable: {type(exc).__name__}: {exc}", source=current) from exc
            raise FetchError(f"more than {self.max_redirects} redirects", source=url)
