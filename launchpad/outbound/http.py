"""Outbound HTTP for webhooks and pulled sources: vetted addresses, two timeouts, a cap.

Built on http.client so the connection goes to the address the SSRF guard approved (with
the real host name for TLS and the Host header), redirects are never followed, connecting
and reading have separate timeouts and a response body is never read past the cap.
"""

from __future__ import annotations

import http.client
import socket
import ssl
from collections.abc import Mapping
from dataclasses import dataclass

from launchpad.outbound.addresses import AddressRefused, Target, check_url, resolve

USER_AGENT = "Launchpad (+https://github.com/launchpad)"


class OutboundError(RuntimeError):
    """No HTTP answer: refused address, DNS, connect or read timeout, reset, TLS.

    `refused` means the SSRF guard said no: trying again cannot help.
    """

    def __init__(self, message: str, *, refused: bool = False) -> None:
        super().__init__(message)
        self.refused = refused


@dataclass(frozen=True, slots=True)
class Limits:
    connect_timeout: float = 3.0
    read_timeout: float = 10.0
    max_body_bytes: int = 64 * 1024
    allow_private: bool = False


@dataclass(frozen=True, slots=True)
class Answer:
    status: int
    headers: dict[str, str]  # lower-case names
    body: bytes
    truncated: bool


def request(
    method: str,
    url: str,
    limits: Limits,
    body: bytes | None = None,
    headers: Mapping[str, str] | None = None,
) -> Answer:
    """One request; raises OutboundError when no HTTP status came back."""
    try:
        target = check_url(url, allow_private=limits.allow_private)
        connection = _connect(target, limits)
    except AddressRefused as error:
        raise OutboundError(f"refused {url}: {error}", refused=True) from error
    except OSError as error:
        raise OutboundError(f"cannot connect to {url}: {error}") from error
    try:
        sent = {"User-Agent": USER_AGENT, "Host": _host_header(target), **(headers or {})}
        connection.request(method, target.path, body=body, headers=sent)
        response = connection.getresponse()
        data = response.read(limits.max_body_bytes + 1)
        answer_headers = {name.lower(): value for name, value in response.getheaders()}
        truncated = len(data) > limits.max_body_bytes
        return Answer(response.status, answer_headers, data[: limits.max_body_bytes], truncated)
    except (OSError, http.client.HTTPException) as error:
        kind = "timed out" if isinstance(error, TimeoutError | socket.timeout) else "failed"
        raise OutboundError(f"{method} {url} {kind}: {error or type(error).__name__}") from error
    finally:
        connection.close()


def _connect(target: Target, limits: Limits) -> http.client.HTTPConnection:
    """Connect to the first vetted address that answers within the connect timeout."""
    last_error: OSError | None = None
    for _family, address in resolve(target, allow_private=limits.allow_private):
        try:
            sock = socket.create_connection((address, target.port), limits.connect_timeout)
        except OSError as error:
            last_error = error
            continue
        sock.settimeout(limits.read_timeout)
        return _wrap(target, sock)
    raise last_error or OSError(f"no address of {target.host} accepted a connection")


def _wrap(target: Target, sock: socket.socket) -> http.client.HTTPConnection:
    if target.scheme == "https":
        context = ssl.create_default_context()
        sock = context.wrap_socket(sock, server_hostname=target.host)
    connection = http.client.HTTPConnection(target.host, target.port)
    connection.sock = sock  # already connected (and wrapped) to the vetted address
    return connection


def _host_header(target: Target) -> str:
    default = 443 if target.scheme == "https" else 80
    host = f"[{target.host}]" if ":" in target.host else target.host
    return host if target.port == default else f"{host}:{target.port}"
