"""Fetching a user's image, video or audio URL without reaching private or internal machines (SSRF).

Only http(s) to public addresses: every address the name resolves to is checked, the connection goes
to the checked address itself (so a second DNS answer cannot swap it), and each redirect is checked
again. ENGINE_ALLOW_LOOPBACK_FETCH=1 also allows 127.0.0.1 and ::1, for tests and local use only.
"""

from __future__ import annotations

import http.client
import ipaddress
import os
import socket
import ssl
from urllib.parse import urljoin, urlsplit

from .errors import invalid

MAX_BYTES = 50 * 1024 * 1024
MAX_REDIRECTS = 5
TIMEOUT = 15
BLOCKED_NETWORKS = [
    ipaddress.ip_network(n) for n in ("100.64.0.0/10", "192.0.0.0/24", "198.18.0.0/15", "fd00:ec2::/32")
]


def loopback_allowed() -> bool:
    return os.environ.get("ENGINE_ALLOW_LOOPBACK_FETCH", "") in ("1", "true", "yes")


def address_allowed(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%")[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    if ip.is_loopback:
        return loopback_allowed()
    if any(ip in network for network in BLOCKED_NETWORKS):
        return False
    return ip.is_global and not (ip.is_multicast or ip.is_reserved or ip.is_link_local or ip.is_private)


def _vetted_address(field: str, host: str, port: int) -> str:
    try:
        answers = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as error:
        raise invalid(field, f"the host {host!r} cannot be resolved ({error.strerror})") from error
    addresses = [a[4][0] for a in answers]
    blocked = [a for a in addresses if not address_allowed(a)]
    if blocked or not addresses:
        raise invalid(
            field,
            "must point to a public internet address "
            "(private, loopback, link-local and metadata addresses are refused)",
        )
    return addresses[0]


class _PinnedHTTPS(http.client.HTTPSConnection):
    """HTTPS to a vetted address, with the certificate still checked against the host name."""

    def __init__(self, host: str, address: str, port: int) -> None:
        super().__init__(host, port, timeout=TIMEOUT, context=ssl.create_default_context())
        self._address = address

    def connect(self) -> None:
        raw = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(raw, server_hostname=self.host)


class _PinnedHTTP(http.client.HTTPConnection):
    def __init__(self, host: str, address: str, port: int) -> None:
        super().__init__(host, port, timeout=TIMEOUT)
        self._address = address

    def connect(self) -> None:
        self.sock = socket.create_connection((self._address, self.port), self.timeout)


def fetch(url: str, field: str) -> tuple[bytes, str]:
    """The body and content type at a public http(s) URL; a 422 naming the field otherwise."""
    for _ in range(MAX_REDIRECTS + 1):
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise invalid(field, "must be an http(s) URL")
        port = parts.port or (443 if parts.scheme == "https" else 80)
        address = _vetted_address(field, parts.hostname, port)
        connection = (_PinnedHTTPS if parts.scheme == "https" else _PinnedHTTP)(parts.hostname, address, port)
        try:
            connection.request(
                "GET",
                (parts.path or "/") + (f"?{parts.query}" if parts.query else ""),
                headers={"User-Agent": "local-avatar-engine"},
            )
            response = connection.getresponse()
            peer = connection.sock.getpeername()[0] if connection.sock else address
            if not address_allowed(peer):
                raise invalid(field, "must point to a public internet address")
            if response.status in (301, 302, 303, 307, 308) and response.getheader("Location"):
                url = urljoin(url, response.getheader("Location"))
                continue
            if response.status != 200:
                raise invalid(field, f"could not be fetched: the server answered HTTP {response.status}")
            body = response.read(MAX_BYTES + 1)
            if len(body) > MAX_BYTES:
                raise invalid(field, f"is larger than {MAX_BYTES // (1024 * 1024)} MB")
            return body, response.getheader("Content-Type", "")
        except (OSError, http.client.HTTPException) as error:
            raise invalid(field, f"could not be fetched ({type(error).__name__})") from error
        finally:
            connection.close()
    raise invalid(field, f"redirects more than {MAX_REDIRECTS} times")
