"""Fetching a URL someone else named, without becoming a way into private networks.

On the platform the plugin runs inside Autohive's network, so a URL from a workflow (or from an answer)
could point at the cloud metadata service, a database port or an internal admin page. Every download
goes through `fetch_public`, which:

- takes only http(s) URLs without a user name or password, and refuses metadata host names outright;
- checks every address a host name resolves to, on the connection itself (the connector connects to the
  very addresses it checked, so DNS cannot answer differently between the check and the connect);
- follows at most 3 redirects by hand, checking each new URL the same way;
- sends no HeyGen credential (its session carries only the User-Agent), and caps size and time.

`HEYGEN_ALLOW_LOOPBACK_URLS=1` allows loopback addresses (127.0.0.0/8, ::1, localhost) for local
development and tests against the simulator; it is off by default and allows nothing else.
"""

import asyncio
import ipaddress
import os
import re
import socket
from typing import Awaitable, Callable

import aiohttp
import yarl

ALLOW_LOOPBACK_VARIABLE = "HEYGEN_ALLOW_LOOPBACK_URLS"
MAX_REDIRECTS = 3
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
METADATA_HOSTS = frozenset(
    {
        "metadata",
        "metadata.google.internal",
        "metadata.goog",
        "metadata.azure.com",
        "instance-data",
        "instance-data.ec2.internal",
        "kubernetes.default",
        "kubernetes.default.svc",
    }
)
LOOPBACK_NAMES = frozenset({"localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback"})
# IPv6 ranges that carry an IPv4 address inside (a way to reach a private IPv4 host through IPv6).
EMBEDDING_V4 = (
    (ipaddress.ip_network("64:ff9b::/96"), "a NAT64 address"),
    (ipaddress.ip_network("64:ff9b:1::/48"), "a NAT64 address"),
    (ipaddress.ip_network("2002::/16"), "a 6to4 address"),
    (ipaddress.ip_network("2001::/32"), "a Teredo address"),
    (ipaddress.ip_network("::/96"), "an IPv4-compatible address"),
)
CGNAT = ipaddress.ip_network("100.64.0.0/10")
_INET_ATON_FORM = re.compile(r"^[0-9a-fA-FxX.]+$")

Lookup = Callable[[str, int], Awaitable[list[tuple]]]


class UnsafeURL(Exception):
    """A URL the plugin will not fetch; `reason` says why in words a workflow builder reads."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


class BlockedAddress(OSError):
    """Raised inside the connector (an OSError, so aiohttp carries it out as the connection's cause)."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def loopback_allowed() -> bool:
    return os.environ.get(ALLOW_LOOPBACK_VARIABLE, "").strip().lower() in ("1", "true", "yes", "on")


def address_problem(address: ipaddress.IPv4Address | ipaddress.IPv6Address, allow_loopback: bool) -> str | None:
    """Why this address may not be fetched, or None for a public unicast address."""
    if address.version == 6:
        if address.ipv4_mapped is not None:
            return "an IPv4-mapped IPv6 address"
        for network, words in EMBEDDING_V4:
            if address in network and not address.is_unspecified and not address.is_loopback:
                return words
    if address.is_loopback:
        return None if allow_loopback else "a loopback address"
    if address.is_unspecified:
        return "an unspecified address"
    if address.is_link_local:
        return "a link-local address (where cloud metadata services answer)"
    if address.version == 4 and address in CGNAT:
        return "a carrier-grade NAT address"
    if address.is_multicast:
        return "a multicast address"
    if address.is_reserved:
        return "a reserved address"
    if address.is_private:
        return "a private address"
    if not address.is_global:
        return "a reserved address"
    return None


def literal_address(host: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    """The address a host written as a number stands for, in every form the C resolver reads.

    `127.1`, `2130706433`, `0x7f000001` and `0177.0.0.1` all mean 127.0.0.1 to inet_aton, which is what the
    connection would use.
    """
    bare = host.strip("[]").split("%", 1)[0]
    try:
        return ipaddress.ip_address(bare)
    except ValueError:
        pass
    if _INET_ATON_FORM.match(bare) and any(c.isdigit() for c in bare):
        try:
            return ipaddress.IPv4Address(socket.inet_aton(bare))
        except OSError:
            return None
    return None


def checked_url(url: str, allow_loopback: bool | None = None) -> yarl.URL:
    """The URL parsed, or UnsafeURL: http(s) only, no user info, no metadata name, no non-public literal."""
    allow = loopback_allowed() if allow_loopback is None else allow_loopback
    if not isinstance(url, str) or not url.strip():
        raise UnsafeURL("must be an http or https URL")
    try:
        parsed = yarl.URL(url.strip())
    except (ValueError, TypeError):
        raise UnsafeURL("is not a valid URL") from None
    if parsed.scheme not in ("http", "https"):
        raise UnsafeURL("must be an http or https URL")
    if parsed.user is not None or parsed.password is not None:
        raise UnsafeURL("must not carry a user name or password")
    host = (parsed.raw_host or "").rstrip(".").lower()
    if not host:
        raise UnsafeURL("has no host")
    if host in METADATA_HOSTS or host.endswith(".internal"):
        raise UnsafeURL("names a cloud metadata or internal host")
    if host in LOOPBACK_NAMES or host.endswith(".localhost"):
        if not allow:
            raise UnsafeURL("names this machine (localhost)")
    address = literal_address(host)
    if address is not None:
        problem = address_problem(address, allow)
        if problem:
            raise UnsafeURL(f"points at {problem}, not a public internet address")
    return parsed


async def system_lookup(host: str, port: int) -> list[tuple]:
    loop = asyncio.get_running_loop()
    return await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM, family=socket.AF_UNSPEC)


class PublicOnlyConnector(aiohttp.TCPConnector):
    """A connector that resolves every host itself and connects only to the public addresses it checked.

    Host names that look numeric (which aiohttp would hand to the OS unresolved) are resolved here too.
    """

    def __init__(self, *, allow_loopback: bool, lookup: Lookup = system_lookup, **options):
        super().__init__(use_dns_cache=False, **options)
        self._allow_loopback = allow_loopback
        self._lookup = lookup

    async def _resolve_host(self, host: str, port: int, traces=None) -> list[dict]:
        try:
            infos = await self._lookup(host, port)
        except socket.gaierror as error:
            raise OSError(f"could not resolve {host}: {error.strerror or error}") from None
        results = []
        for family, _type, proto, _name, sockaddr in infos:
            address = ipaddress.ip_address(str(sockaddr[0]).split("%", 1)[0])
            problem = address_problem(address, self._allow_loopback)
            if problem:
                raise BlockedAddress(f"{host} resolves to {problem}, not a public internet address")
            results.append(
                {
                    "hostname": host,
                    "host": str(sockaddr[0]),
                    "port": port,
                    "family": family,
                    "proto": proto,
                    "flags": socket.AI_NUMERICHOST | socket.AI_NUMERICSERV,
                }
            )
        if not results:
            raise OSError(f"{host} has no address")
        return results


class DownloadError(Exception):
    """A download that failed for a reason other than the URL's address: status, size, time, connection."""

    def __init__(
        self,
        message: str,
        *,
        status: int | None = None,
        headers=None,
        too_large: bool = False,
        retryable: bool = False,
    ):
        super().__init__(message)
        self.message = message
        self.status = status
        self.headers = headers
        self.too_large = too_large
        self.retryable = retryable


async def fetch_public(
    url: str,
    *,
    max_bytes: int,
    timeout: float,
    user_agent: str,
    allow_loopback: bool | None = None,
    lookup: Lookup = system_lookup,
) -> tuple[bytes, str | None]:
    """The body and Content-Type of `url`, fetched by the rules above; UnsafeURL or DownloadError otherwise."""
    allow = loopback_allowed() if allow_loopback is None else allow_loopback
    target = checked_url(url, allow)
    connector = PublicOnlyConnector(allow_loopback=allow, lookup=lookup)
    headers = {"User-Agent": user_agent}  # and nothing else: no HeyGen credential goes to a user-given host
    async with aiohttp.ClientSession(connector=connector, headers=headers) as session:
        try:
            async with asyncio.timeout(timeout):
                return await _follow(session, target, max_bytes, allow)
        except (UnsafeURL, DownloadError):
            raise
        except aiohttp.ClientConnectorError as error:
            cause = getattr(error, "os_error", None) or error.__cause__
            if isinstance(cause, BlockedAddress):
                raise UnsafeURL(cause.reason) from None
            raise DownloadError(f"could not connect ({type(error).__name__})", retryable=True) from None
        except (asyncio.TimeoutError, TimeoutError):
            raise DownloadError(f"the download did not finish within {timeout:g} s", retryable=True) from None
        except (aiohttp.ClientError, ConnectionError, OSError) as error:
            raise DownloadError(f"the download broke off ({type(error).__name__})", retryable=True) from None


async def _follow(session, target: yarl.URL, max_bytes: int, allow: bool) -> tuple[bytes, str | None]:
    for _ in range(MAX_REDIRECTS + 1):
        async with session.get(target, allow_redirects=False) as response:
            if response.status in REDIRECT_STATUSES:
                location = response.headers.get("Location")
                if not location:
                    raise DownloadError(f"HTTP {response.status} without a Location", status=response.status)
                target = checked_url(str(target.join(yarl.URL(location))), allow)
                continue
            if response.status >= 400:
                raise DownloadError(f"HTTP {response.status}", status=response.status, headers=response.headers)
            return await _read_capped(response, max_bytes), response.headers.get("Content-Type")
    raise DownloadError(f"more than {MAX_REDIRECTS} redirects")


async def _read_capped(response, max_bytes: int) -> bytes:
    declared = response.content_length
    if declared is not None and declared > max_bytes:
        raise DownloadError(_too_large_words(declared, max_bytes), too_large=True)
    chunks = bytearray()
    async for chunk in response.content.iter_chunked(1 << 16):
        chunks.extend(chunk)
        if len(chunks) > max_bytes:
            raise DownloadError(_too_large_words(None, max_bytes), too_large=True)
    return bytes(chunks)


def _too_large_words(size: int | None, max_bytes: int) -> str:
    """`size` is the declared length; None when the stream was cut off at the cap (its full size is unknown)."""
    how_big = "is larger than" if size is None else f"is {size / 1e6:.1f} MB, over"
    return f"the file {how_big} the {max_bytes / 1e6:g} MB this action returns"
