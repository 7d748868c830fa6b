"""A Chroma server's URL (``SHOP_RETRIEVAL__CHROMA_URL``), parsed without importing chromadb."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from catalog.errors import InvalidInputError

# A URL without a port: plain http means Chroma's own default port, https the usual 443.
DEFAULT_PORTS = {"http": 8000, "https": 443}


@dataclass(frozen=True)
class ChromaServer:
    """Where a Chroma server listens, as ``chromadb.HttpClient`` takes it."""

    url: str
    host: str
    port: int
    ssl: bool

    def start_hint(self) -> str:
        """Return the command that starts a local server at this address."""
        return f"chroma run --path <folder> --host {self.host} --port {self.port}"


def parse_chroma_url(url: str) -> ChromaServer:
    """Parse ``http(s)://host[:port]``; raise :class:`InvalidInputError` for anything else."""
    text = url.strip()
    expected = "expected http://host:port or https://host[:port], e.g. http://chroma:8000"
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError as exc:
        raise InvalidInputError(f"malformed Chroma URL {url!r}: {exc}; {expected}") from None
    host = parts.hostname or ""
    problem = None
    if parts.scheme not in DEFAULT_PORTS:
        problem = "the scheme must be http or https"
    elif not host:
        problem = "it names no host"
    elif port == 0:
        problem = "port 0 is not a port a server listens on"
    elif parts.username is not None or parts.password is not None:
        problem = "credentials do not belong in the URL"
    elif parts.path.strip("/") or parts.query or parts.fragment:
        problem = "a path, query or fragment is not supported"
    if problem is not None:
        raise InvalidInputError(f"malformed Chroma URL {url!r}: {problem}; {expected}")
    return ChromaServer(
        url=text.rstrip("/"),
        host=host,
        port=port if port is not None else DEFAULT_PORTS[parts.scheme],
        ssl=parts.scheme == "https",
    )
