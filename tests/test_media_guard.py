"""The SSRF guard and the downloader, over real HTTP to the fake CDN on 127.0.0.1: only allowed hosts,
every resolved address checked, no second DNS answer, redirects checked hop by hop, size limit streamed,
timeouts; content type sniffed from the bytes."""

from __future__ import annotations

import io

import pytest

from moderation.media.fetch import Gone, TooLarge, Transient, download
from moderation.media.guard import HostPolicy, Refused, is_public
from moderation.media.sniff import sniff
from tests.fakeplatform import FakePlatform
from tests.media_fixtures import gif_bytes, jpeg_bytes, mp4_bytes, png_bytes

DEFAULTS = ["*.fbcdn.net", "*.cdninstagram.com", "*.ytimg.com", "media.licdn.com", "*.licdn.com"]


@pytest.fixture
def fake():
    with FakePlatform() as platform:
        yield platform


def _get(url, policy, *, max_bytes=1_000_000, timeout=1.0, total=5.0, redirects=5):
    sink = io.BytesIO()
    result = download(url, sink=sink, policy=policy, max_bytes=max_bytes, timeout=timeout, total_seconds=total,
                      max_redirects=redirects)
    return result, sink.getvalue()


def _resolver(answers: dict[str, list[str]], calls: list | None = None):
    def resolve(host, port):
        if calls is not None:
            calls.append(host)
        return list(answers[host])

    return resolve


# --- the policy ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("url", [
    "https://scontent-arn2-1.xx.fbcdn.net/v/t39.30808-6/123_n.jpg?oh=1&oe=2",
    "https://scontent.cdninstagram.com/v/t51.2885-15/abc.jpg",
    "https://i.ytimg.com/vi/abc/hqdefault.jpg",
    "https://media.licdn.com/dms/image/C4E/feedshare.jpg",
])
def test_check_url_default_cdn_hosts_allowed(url):
    assert HostPolicy.from_entries(DEFAULTS).check_url(url)[0] == "https"


@pytest.mark.parametrize("url, why", [
    ("https://fbcdn.net/x.jpg", "finns inte bland de tillåtna"),  # the pattern covers subdomains only
    ("https://evil-fbcdn.net/x.jpg", "finns inte bland de tillåtna"),
    ("https://scontent.xx.fbcdn.net.evil.example/x.jpg", "finns inte bland de tillåtna"),
    ("https://scontent.xx.fbcdn.net:8443/x.jpg", "finns inte bland de tillåtna"),  # names: ports 80/443 only
    ("http://127.0.0.1:8000/admin/", "finns inte bland de tillåtna"),
    ("http://[::1]/x", "finns inte bland de tillåtna"),
    ("http://169.254.169.254/latest/meta-data/", "finns inte bland de tillåtna"),
    ("file:///etc/passwd", "Bara http- och https-adresser"),
    ("gopher://scontent.xx.fbcdn.net/x", "Bara http- och https-adresser"),
    ("https://user:pw@scontent.xx.fbcdn.net/x.jpg", "inloggningsuppgifter"),
])
def test_check_url_not_allowed_refused(url, why):
    with pytest.raises(Refused, match=why):
        HostPolicy.from_entries(DEFAULTS).check_url(url)


@pytest.mark.parametrize("address, public", [
    ("93.184.216.34", True), ("2606:2800:220:1:248:1893:25c8:1946", True),
    ("127.0.0.1", False), ("10.1.2.3", False), ("172.16.0.1", False), ("192.168.1.1", False),
    ("169.254.169.254", False), ("100.64.0.1", False), ("0.0.0.0", False), ("224.0.0.1", False),
    ("240.0.0.1", False), ("::1", False), ("fe80::1", False), ("fc00::1", False),
    ("::ffff:127.0.0.1", False), ("2002:7f00:1::1", False),  # IPv4 loopback inside IPv6 (mapped, 6to4)
])
def test_is_public_special_addresses_refused(address, public):
    import ipaddress

    assert is_public(ipaddress.ip_address(address)) is public


def test_addresses_one_private_answer_refuses_host():
    policy = HostPolicy.from_entries(DEFAULTS, resolver=_resolver(
        {"scontent.xx.fbcdn.net": ["157.240.1.1", "10.0.0.7"]}))
    with pytest.raises(Refused, match=r"icke-publik adress \(10\.0\.0\.7\)"):
        policy.addresses("scontent.xx.fbcdn.net", 443)


def test_addresses_all_public_answers_returned():
    policy = HostPolicy.from_entries(DEFAULTS, resolver=_resolver(
        {"scontent.xx.fbcdn.net": ["157.240.1.1", "2a03:2880:f00c::1"]}))
    assert policy.addresses("scontent.xx.fbcdn.net", 443) == ["157.240.1.1", "2a03:2880:f00c::1"]


def test_addresses_listed_network_lets_name_resolve_into_it():
    policy = HostPolicy.from_entries(["cdn.intern.example", "10.20.0.0/16"], resolver=_resolver(
        {"cdn.intern.example": ["10.20.3.4"]}))
    assert policy.addresses("cdn.intern.example", 443) == ["10.20.3.4"]
    other = HostPolicy.from_entries(["cdn.intern.example"], resolver=_resolver({"cdn.intern.example": ["10.20.3.4"]}))
    with pytest.raises(Refused):
        other.addresses("cdn.intern.example", 443)


# --- downloads over HTTP --------------------------------------------------------------------------------------


def test_download_loopback_not_listed_refused_without_connecting(fake):
    url = fake.add_media("a.jpg", jpeg_bytes())
    with pytest.raises(Refused):
        _get(url, HostPolicy.from_entries(DEFAULTS))
    assert fake.calls == []


def test_download_loopback_listed_stored_with_sha_and_sniffed_type(fake):
    import hashlib

    data = jpeg_bytes()
    url = fake.add_media("a.jpg", data, content_type="image/png")  # the server's header is wrong on purpose
    result, body = _get(url, HostPolicy.from_entries(["127.0.0.1"]))
    assert body == data and result.size == len(data)
    assert result.sha256 == hashlib.sha256(data).hexdigest()
    assert result.content_type == "image/jpeg" and result.declared_content_type == "image/png"
    assert result.connected == (("127.0.0.1", "127.0.0.1", int(url.split(":")[2].split("/")[0])),)


def test_download_name_connects_to_the_checked_address_only(fake):
    """A resolver that would answer differently the second time is asked once per connection, and the
    connection goes to the address it gave (no DNS-rebinding window)."""
    port = int(fake.url.rsplit(":", 1)[1])
    calls: list[str] = []
    answers = iter([["127.0.0.1"], ["10.9.9.9"]])

    def rebinding(host, _port):
        calls.append(host)
        return next(answers)

    policy = HostPolicy.from_entries([f"cdn.test:{port}", "127.0.0.1"], resolver=rebinding)
    fake.add_media("b.png", png_bytes(), content_type="image/png")
    result, _body = _get(f"http://cdn.test:{port}/cdn/v/t39.30808-6/b.png", policy)
    assert calls == ["cdn.test"]
    assert result.connected == (("cdn.test", "127.0.0.1", port),)
    assert fake.calls[-1].headers.get("Host") == f"cdn.test:{port}"


def test_download_redirect_to_allowed_followed(fake):
    data = gif_bytes()
    target = fake.add_media("c.gif", data, content_type="image/gif")
    result, body = _get(fake.redirect_url(target, status=301), HostPolicy.from_entries(["127.0.0.1"]))
    assert body == data and result.hops == 1 and result.content_type == "image/gif"


@pytest.mark.parametrize("target", [
    "http://169.254.169.254/latest/meta-data/iam/",
    "http://localhost:{port}/cdn/v/t39.30808-6/x.jpg",  # a name not in the list, even if it resolves to a listed IP
    "file:///etc/passwd",
])
def test_download_redirect_to_not_allowed_refused_before_connecting(fake, target):
    port = fake.url.rsplit(":", 1)[1]
    fake.add_media("x.jpg", jpeg_bytes())
    with pytest.raises(Refused):
        _get(fake.redirect_url(target.format(port=port)), HostPolicy.from_entries(["127.0.0.1"]))
    assert [c.path for c in fake.calls] == ["/cdn/redirect"]


def test_download_too_many_redirects_gone(fake):
    url = fake.add_media("loop.jpg", jpeg_bytes())
    for _ in range(3):
        url = fake.redirect_url(url)
    with pytest.raises(Gone, match="För många omdirigeringar"):
        _get(url, HostPolicy.from_entries(["127.0.0.1"]), redirects=2)


def test_download_over_limit_with_length_refused_before_reading(fake):
    url = fake.add_media("big.mp4", mp4_bytes(200_000), content_type="video/mp4")
    with pytest.raises(TooLarge) as info:
        _get(url, HostPolicy.from_entries(["127.0.0.1"]), max_bytes=50_000)
    assert info.value.seen > 50_000


def test_download_over_limit_chunked_aborted_while_streaming(fake):
    url = fake.add_media("big-chunked.mp4", mp4_bytes(400_000), content_type="video/mp4", chunked=True)
    sink = io.BytesIO()
    with pytest.raises(TooLarge):
        download(url, sink=sink, policy=HostPolicy.from_entries(["127.0.0.1"]), max_bytes=50_000, timeout=1.0,
                 total_seconds=5.0)
    assert len(sink.getvalue()) <= 50_000


def test_download_chunked_within_limit_stored(fake):
    data = mp4_bytes(40_000)
    url = fake.add_media("ok-chunked.mp4", data, content_type="video/mp4", chunked=True)
    result, body = _get(url, HostPolicy.from_entries(["127.0.0.1"]))
    assert body == data and result.content_type == "video/mp4"


def test_download_expired_address_gone(fake):
    with pytest.raises(Gone, match="HTTP 404"):
        _get(f"{fake.url}/cdn/v/t39.30808-6/expired.jpg?oe=0", HostPolicy.from_entries(["127.0.0.1"]))


def test_download_server_error_transient(fake):
    url = fake.add_media("d.jpg", jpeg_bytes())
    fake.fail_next("/cdn/", kind="http", http_status=503)
    with pytest.raises(Transient, match="HTTP 503"):
        _get(url, HostPolicy.from_entries(["127.0.0.1"]))


def test_download_no_answer_times_out_transient(fake):
    url = fake.add_media("slow.jpg", jpeg_bytes())
    fake.fail_next("/cdn/", kind="timeout", delay=3.0)
    with pytest.raises(Transient):
        _get(url, HostPolicy.from_entries(["127.0.0.1"]), timeout=0.3)


def test_download_closed_port_transient():
    with pytest.raises(Transient):
        _get("http://127.0.0.1:9/x.jpg", HostPolicy.from_entries(["127.0.0.1"]), timeout=0.5)


@pytest.mark.parametrize("data, expected", [
    (jpeg_bytes(), "image/jpeg"), (png_bytes(), "image/png"), (gif_bytes(), "image/gif"),
    (mp4_bytes(), "video/mp4"), (b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>",
                                 "application/octet-stream"),
    (b"<html><body>not a picture</body></html>", "application/octet-stream"),
])
def test_sniff_real_bytes_types(data, expected):
    assert sniff(data[:64]) == expected
