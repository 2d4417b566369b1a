"""Which hosts brief may connect to, and connecting to exactly the address that was checked.

A host is checked by resolving its name and refusing any answer that is not on the public
internet. The connection must then go to an address from that same answer, not to whatever a
second resolution returns: a hostile name server can answer a public address for the check and
127.0.0.1 a moment later for the connection ("DNS rebinding"). So the client pins the checked
addresses to the host name, and `PinnedTransport` dials only pinned addresses and never resolves
a name itself. The URL is left as it is, so the Host header, the TLS server name (SNI) and the
certificate's hostname check are all those of the host that was asked for.
"""

from __future__ import annotations

import ipaddress
import socket
import ssl
from collections.abc import Callable, Iterable, Sequence
from urllib.parse import urlsplit

import httpcore2
import httpx2

from briefing.errors import FetchError

Resolver = Callable[[str], list[str]]  # a host name to the addresses it resolves to
ALLOW_PRIVATE = "set fetch_private_hosts = true in config.toml to allow it"


def resolve_host(host: str) -> list[str]:
    """The addresses the system resolver gives for `host` (what a connection would use)."""
    infos = socket.getaddrinfo(host, None, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


_NON_PUBLIC = (  # the most telling name first: 127.0.0.1 is private too, but loopback says more
    ("is_loopback", "a loopback address"),
    ("is_link_local", "a link-local address"),
    ("is_multicast", "a multicast address"),
    ("is_unspecified", "an unspecified address"),
    ("is_reserved", "a reserved address"),
    ("is_private", "a private address"),
)


def non_public(address: str) -> str | None:
    """What kind of non-public address `address` is ("a private address"), None when it is
    globally routable. An IPv4-mapped IPv6 address (::ffff:127.0.0.1) is judged as the IPv4
    address it carries, since that is where a dual-stack socket connects."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])  # drop an IPv6 zone ("fe80::1%eth0")
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    for flag, kind in _NON_PUBLIC:
        if getattr(ip, flag):
            return kind
    if not ip.is_global:  # e.g. 100.64.0.0/10, shared by carriers' NAT
        return "an address that is not globally routable"
    return None


def check_host(url: str, resolve: Resolver = resolve_host) -> list[str]:
    """The addresses of `url`'s host, all public; a FetchError when any one is not (a name
    answering one public and one private address could be sent to either)."""
    host = (urlsplit(url).hostname or "").lower()
    try:
        literal = ipaddress.ip_address(host)
    except ValueError:  # a name, not an address literal
        literal = None
    try:
        addresses = [str(literal)] if literal is not None else resolve(host)
    except OSError as exc:
        raise FetchError(url, f"cannot connect ({host} does not resolve: {exc})") from None
    for address in addresses:
        kind = non_public(address)
        if kind is not None:
            said = f"{host} is" if literal is not None else f"{host} resolves to {address},"
            raise FetchError(url, f"refused: {said} {kind}; {ALLOW_PRIVATE}", permanent=True)
    return addresses


def connection_host(url: str) -> str:
    """The host name as the connection sees it (lower case, IDNA-encoded, IPv6 unbracketed):
    what `PinnedTransport.pin` is keyed by."""
    return httpx2.URL(url).raw_host.decode("ascii")


class _PinnedBackend(httpcore2.SyncBackend):
    """httpcore2's socket backend, told which addresses each host name may be reached at."""

    def __init__(self) -> None:
        self.pins: dict[str, tuple[str, ...]] = {}

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[httpcore2.SOCKET_OPTION] | None = None,
    ) -> httpcore2.NetworkStream:
        addresses = self.pins.get(host)
        if not addresses:  # a connection the client did not check: never resolved here
            raise httpcore2.ConnectError(f"{host} was not checked before connecting")
        failure: Exception | None = None
        for address in addresses:  # in the resolver's order, as a resolving connect tries them
            try:
                return super().connect_tcp(address, port, timeout, local_address, socket_options)
            except (httpcore2.ConnectError, httpcore2.ConnectTimeout) as exc:
                failure = exc
        assert failure is not None
        raise failure


class PinnedTransport(httpx2.HTTPTransport):
    """httpx2's HTTP transport whose connections go only to the addresses `pin` gave for their
    host. A keep-alive connection is reused as usual: it was made to a pinned address."""

    def __init__(
        self, limits: httpx2.Limits | None = None, verify: ssl.SSLContext | None = None
    ) -> None:
        limits = limits or httpx2.Limits()
        context = httpx2.create_ssl_context(verify=verify or True, trust_env=False)
        super().__init__(verify=context, limits=limits, trust_env=False)
        self._backend = _PinnedBackend()
        # httpx2 does not take a network backend, httpcore2's pool does: the same pool as
        # super() built, with the backend that dials pinned addresses.
        self._pool = httpcore2.ConnectionPool(
            ssl_context=context,
            max_connections=limits.max_connections,
            max_keepalive_connections=limits.max_keepalive_connections,
            keepalive_expiry=limits.keepalive_expiry,
            network_backend=self._backend,
        )

    def pin(self, host: str, addresses: Sequence[str]) -> None:
        """Connections to `host` (as `connection_host` gives it) go to `addresses` from now."""
        self._backend.pins[host] = tuple(addresses)
