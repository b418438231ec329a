import httpx
import pytest

from dragoman.errors import FetchError
from dragoman.ingest.http import Fetcher, is_public_address
from dragoman.ingest.sources import SourceOptions, iter_inputs
from dragoman.model import RawDocument

PUBLIC = "93.184.215.14"


def fake_resolver(table):
    def resolve(host):
        if host not in table:
            raise OSError("Name or service not known")
        return table[host]
    return resolve


def make_fetcher(handler, table=None, **kw):
    return Fetcher(transport=httpx.MockTransport(handler), resolver=fake_resolver(table or {"news.example.org": [PUBLIC]}), **kw)


@pytest.mark.parametrize(
    "address,public",
    [("127.0.0.1", False), ("10.1.2.3", False), ("172.16.0.1", False), ("192.168.1.1", False),
     ("169.254.169.254", False), ("::1", False), ("fe80::1", False), ("0.0.0.0", False), ("::ffff:127.0.0.1", False),
     ("100.64.0.1", False), (PUBLIC, True), ("2606:4700::1111", True)],
)
def test_address_classes(address, public):
    assert is_public_address(address) is public


@pytest.mark.parametrize("url", ["http://127.0.0.1/x", "http://[::1]/", "http://169.254.169.254/latest/meta-data", "http://10.0.0.5/"])
def test_private_literal_addresses_refused(url):
    f = make_fetcher(lambda r: httpx.Response(200, text="secret"))
    with pytest.raises(FetchError, match="refusing"):
        f.fetch(url)


def test_hostname_resolving_to_private_refused():
    f = make_fetcher(lambda r: httpx.Response(200, text="x"), {"intranet.example.org": ["192.168.0.10"]})
    with pytest.raises(FetchError, match="private"):
        f.fetch("https://intranet.example.org/")


def test_allow_private_permits():
    f = make_fetcher(lambda r: httpx.Response(200, text="ok", headers={"content-type": "text/plain"}), allow_private=True)
    assert f.fetch("http://127.0.0.1:8000/").content == b"ok"


def test_redirect_to_private_refused():
    def handler(request):
        if request.url.host == "news.example.org":
            return httpx.Response(302, headers={"location": "http://127.0.0.1/admin"})
        return httpx.Response(200, text="secret")
    with pytest.raises(FetchError, match="refusing"):
        make_fetcher(handler).fetch("https://news.example.org/a")


def test_size_cap_and_status_and_scheme():
    big = make_fetcher(lambda r: httpx.Response(200, content=b"x" * 5000), max_bytes=1000)
    with pytest.raises(FetchError, match="cap"):
        big.fetch("https://news.example.org/big")
    missing = make_fetcher(lambda r: httpx.Response(404))
    with pytest.raises(FetchError, match="HTTP 404"):
        missing.fetch("https://news.example.org/gone")
    with pytest.raises(FetchError, match="only http"):
        missing.fetch("file:///etc/passwd")


def test_unreachable_and_timeout():
    def refuse(request):
        raise httpx.ConnectError("connection refused")
    with pytest.raises(FetchError, match="unreachable"):
        make_fetcher(refuse).fetch("https://news.example.org/")
    def slow(request):
        raise httpx.ReadTimeout("timed out")
    with pytest.raises(FetchError, match="timed out"):
        make_fetcher(slow).fetch("https://news.example.org/")
    with pytest.raises(FetchError, match="cannot resolve"):
        make_fetcher(refuse).fetch("https://no-such-host.example.org/")


RSS = """<?xml version="1.0"?><rss version="2.0"><channel><title>News</title>
<item><title>Full entry</title><link>https://news.example.org/full</link><pubDate>Fri, 16 May 2025 10:00:00 GMT</pubDate>
<description>{long}</description></item>
<item><title>Teaser entry</title><link>https://news.example.org/teaser</link><pubDate>Mon, 02 Jun 2025 09:00:00 GMT</pubDate>
<description>Short teaser.</description></item>
</channel></rss>""".format(long="Delegations met in Istanbul on Friday. " * 30)

ARTICLE = "<html><body><article><p>" + "The second round of talks took place in Istanbul on Monday. " * 10 + "</p></article></body></html>"


def test_feed_url_entries_and_teaser_fetch():
    def handler(request):
        if request.url.path == "/feed":
            return httpx.Response(200, text=RSS, headers={"content-type": "application/rss+xml"})
        if request.url.path == "/teaser":
            return httpx.Response(200, text=ARTICLE, headers={"content-type": "text/html"})
        return httpx.Response(404)
    fetcher = make_fetcher(handler)
    out = list(iter_inputs(["https://news.example.org/feed"], SourceOptions(fetcher=fetcher)))
    assert all(isinstance(o, RawDocument) for o in out) and len(out) == 2
    full, teaser = out
    assert full.title == "Full entry" and full.published == "2025-05-16" and "Istanbul" in full.content
    assert teaser.published == "2025-06-02" and "second round" in teaser.content
    assert full.group == "news.example.org"


ATOM = """<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>T</title>
<entry><title>Atom entry</title><link href="https://news.example.org/atom1"/><updated>2025-05-19T18:00:00Z</updated>
<content type="html">&lt;p&gt;{body}&lt;/p&gt;</content></entry></feed>""".format(body="Putin and Trump spoke by phone for over two hours. " * 15)


def test_atom_feed_file(tmp_path):
    p = tmp_path / "news.atom"
    p.write_text(ATOM, encoding="utf-8")
    [entry] = list(iter_inputs([str(p)], SourceOptions()))
    assert entry.title == "Atom entry" and entry.published == "2025-05-19" and entry.content_type == "html"


def test_url_error_is_yielded_not_raised():
    def refuse(request):
        raise httpx.ConnectError("refused")
    out = list(iter_inputs(["https://news.example.org/x"], SourceOptions(fetcher=make_fetcher(refuse))))
    assert len(out) == 1 and isinstance(out[0], FetchError)
