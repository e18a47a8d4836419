"""Where attachments may be fetched from: the allowed-hosts policy and a network backend that connects only
to addresses it has checked (no DNS-rebinding window).

Rules (``UPPSIKT_MEDIA_ALLOWED_HOSTS``):

- a name (``media.licdn.com``) or a subdomain pattern (``*.fbcdn.net``: subdomains at any depth, not the
  name itself) allows that host on ports 80 and 443 (``name:port`` for another port);
- an address or network (``127.0.0.1``, ``10.20.0.0/16``, ``::1``) allows hosts given as such an address,
  on any port, and lets a name resolve into it;
- a name is resolved and EVERY address it resolves to must be public (not private, loopback, link-local,
  multicast, reserved or otherwise special, IPv4 inside IPv6 included) or inside a listed network: one bad
  address refuses the host;
- the connection is made to the addresses just checked, in the same call (``GuardedBackend.connect_tcp``),
  so a second DNS answer cannot point it elsewhere; TLS still verifies the certificate against the name.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import httpcore

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network
NAME_PORTS = frozenset({80, 443})


class Refused(Exception):  # deliberately not an OSError: httpcore must not treat it as a network error
    """The address may not be fetched (host not allowed, a refused address, a bad URL). Never retried."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def _resolve(host: str, port: int) -> list[str]:
    """All addresses ``host`` resolves to (tests replace this to simulate DNS answers)."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    seen: list[str] = []
    for info in infos:
        address = str(info[4][0]).split("%", 1)[0]
        if address not in seen:
            seen.append(address)
    return seen


def _embedded_v4(ip: IPAddress) -> list[ipaddress.IPv4Address]:
    if isinstance(ip, ipaddress.IPv6Address):
        found = [ip.ipv4_mapped, ip.sixtofour, ip.teredo[1] if ip.teredo else None]
        return [a for a in found if a is not None]
    return []


def is_public(ip: IPAddress) -> bool:
    """True for an address on the public internet (and, for IPv6, not wrapping a non-public IPv4 one)."""
    if not ip.is_global or ip.is_multicast or ip.is_reserved or ip.is_unspecified or ip.is_loopback:
        return False
    return all(is_public(inner) for inner in _embedded_v4(ip))


@dataclass(frozen=True)
class HostPolicy:
    names: frozenset[tuple[str, int | None]] = frozenset()
    suffixes: tuple[tuple[str, int | None], ...] = ()
    networks: tuple[IPNetwork, ...] = ()
    resolver: Callable[[str, int], list[str]] = field(default=_resolve, compare=False)

    @classmethod
    def from_entries(cls, entries: Iterable[str], resolver: Callable[[str, int], list[str]] | None = None
                     ) -> HostPolicy:
        names: set[tuple[str, int | None]] = set()
        suffixes: list[tuple[str, int | None]] = []
        networks: list[IPNetwork] = []
        for raw in entries:
            entry = raw.strip().lower()
            if not entry:
                continue
            try:
                networks.append(ipaddress.ip_network(entry.strip("[]"), strict=False))
                continue
            except ValueError:
                pass
            host, _, port_text = entry.partition(":")
            port = int(port_text) if port_text.isdecimal() else None
            if host.startswith("*."):
                suffixes.append((host[1:], port))
            else:
                names.add((host, port))
        return cls(frozenset(names), tuple(suffixes), tuple(networks), resolver or _resolve)

    # -- names ---------------------------------------------------------------------------------------------

    def _name_allowed(self, host: str, port: int) -> bool:
        def port_ok(wanted: int | None) -> bool:
            return port == wanted if wanted is not None else port in NAME_PORTS

        if any(name == host and port_ok(p) for name, p in self.names):
            return True
        return any(host.endswith(suffix) and len(host) > len(suffix) and port_ok(p) for suffix, p in self.suffixes)

    def _listed(self, ip: IPAddress) -> bool:
        return any(ip.version == net.version and ip in net for net in self.networks)

    def check_url(self, url: str) -> tuple[str, str, int]:
        """(scheme, host, port) of an http(s) URL whose host the policy allows; Refused otherwise."""
        try:
            parts = urlsplit(url)
            port = parts.port
        except ValueError as exc:
            raise Refused(f"Ogiltig adress ({exc}).") from None
        if parts.scheme not in ("http", "https"):
            raise Refused("Bara http- och https-adresser hämtas.")
        if parts.username or parts.password:
            raise Refused("Adresser med inloggningsuppgifter hämtas inte.")
        host = (parts.hostname or "").rstrip(".")
        if not host:
            raise Refused("Adressen saknar värdnamn.")
        try:
            host = host.encode("idna").decode("ascii").lower()
        except UnicodeError:
            raise Refused("Ogiltigt värdnamn.") from None
        port = port or (443 if parts.scheme == "https" else 80)
        try:
            literal = ipaddress.ip_address(host)
        except ValueError:
            literal = None
        if literal is not None:
            if not self._listed(literal):
                raise Refused(f"Adressen {host} finns inte bland de tillåtna (UPPSIKT_MEDIA_ALLOWED_HOSTS).")
        elif not self._name_allowed(host, port):
            raise Refused(f"Värden {host} finns inte bland de tillåtna (UPPSIKT_MEDIA_ALLOWED_HOSTS).")
        return parts.scheme, host, port

    # -- addresses -----------------------------------------------------------------------------------------

    def addresses(self, host: str, port: int) -> list[str]:
        """The addresses to connect to for ``host``: every one checked; Refused when any is not allowed."""
        try:
            literal = ipaddress.ip_address(host)
        except ValueError:
            literal = None
        if literal is not None:
            if not (self._listed(literal)):
                raise Refused(f"Adressen {host} finns inte bland de tillåtna.")
            return [str(literal)]
        if not self._name_allowed(host, port):
            raise Refused(f"Värden {host} finns inte bland de tillåtna.")
        try:
            resolved = self.resolver(host, port)
        except OSError as exc:
            raise ConnectionError(f"Värden {host} kunde inte slås upp ({exc}).") from None
        if not resolved:
            raise ConnectionError(f"Värden {host} gav inga adresser.")
        for text in resolved:
            ip = ipaddress.ip_address(text)
            if not (self._listed(ip) or is_public(ip)):
                raise Refused(f"Värden {host} pekar på en icke-publik adress ({ip}); den hämtas inte.")
        return resolved


def policy_from_settings() -> HostPolicy:
    from django.conf import settings

    return HostPolicy.from_entries(settings.UPPSIKT_MEDIA_ALLOWED_HOSTS)


class GuardedBackend(httpcore.SyncBackend):
    """httpcore's network backend, but every TCP connection goes to an address the policy checked in this
    same call. ``connected`` records (host, address, port) of each connection made."""

    def __init__(self, policy: HostPolicy) -> None:
        self.policy = policy
        self.connected: list[tuple[str, str, int]] = []

    def connect_tcp(self, host, port, timeout=None, local_address=None, socket_options=None):
        name = host.decode("ascii") if isinstance(host, bytes) else str(host)
        try:
            addresses = self.policy.addresses(name, int(port))
        except ConnectionError as exc:
            raise httpcore.ConnectError(str(exc)) from None
        last: Exception | None = None
        for address in addresses:
            try:
                stream = super().connect_tcp(address, port, timeout=timeout, local_address=local_address,
                                             socket_options=socket_options)
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                last = exc
                continue
            self.connected.append((name, address, int(port)))
            return stream
        raise last or httpcore.ConnectError(f"no address for {name}")
