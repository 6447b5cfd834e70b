"""The SSRF guard: outbound requests reach public addresses only, unless an admin allowed
private, loopback or link-local ones for that destination (a receiver on the same host).

Names are resolved once and the connection goes to the vetted address, so a DNS answer
that changes between the check and the connect (rebinding) cannot slip through.
"""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

LOCAL_NAMES = frozenset({"localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback"})


class AddressRefused(ValueError):
    """The URL is malformed or points at an address outbound requests may not reach."""


@dataclass(frozen=True, slots=True)
class Target:
    scheme: str
    host: str
    port: int
    path: str  # path and query, as sent in the request line


def parse_target(url: str) -> Target:
    """Split an http(s) URL; refuse other schemes and credentials in the URL."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise AddressRefused(f"'{url}' is not an http:// or https:// URL")
    if parts.username or parts.password:
        raise AddressRefused("put credentials in a header, not in the URL")
    port = parts.port or (443 if parts.scheme == "https" else 80)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return Target(parts.scheme, parts.hostname, port, path)


def is_public(address: str) -> bool:
    """Globally routable unicast (IPv4-mapped IPv6 judged by its IPv4 address)."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


def check_url(url: str, *, allow_private: bool) -> Target:
    """What can be checked without DNS: the form, local names and literal addresses."""
    target = parse_target(url)
    if allow_private:
        return target
    if target.host.lower().rstrip(".") in LOCAL_NAMES:
        raise AddressRefused(
            f"{target.host} is this machine; an admin must allow private addresses"
        )
    try:
        literal = is_public(target.host)
    except ValueError:
        return target  # a name: resolved and checked when connecting
    if not literal:
        raise AddressRefused(f"{target.host} is a private, loopback or link-local address")
    return target


def resolve(target: Target, *, allow_private: bool) -> list[tuple[int, str]]:
    """(family, address) pairs to connect to, every one of them allowed."""
    try:
        infos = socket.getaddrinfo(target.host, target.port, type=socket.SOCK_STREAM)
    except socket.gaierror as error:
        raise AddressRefused(f"cannot resolve {target.host}: {error.strerror}") from None
    addresses: list[tuple[int, str]] = [(int(fam), str(info[0])) for fam, _, _, _, info in infos]
    if not allow_private:
        refused = [address for _, address in addresses if not is_public(address)]
        if refused:
            raise AddressRefused(f"{target.host} resolves to non-public {refused[0]}")
    return addresses
