"""Links in untrusted text: model replies, reviews, catalog text and AI copy.

A shopper may only be shown a URL a client could make clickable when its host is one the
shop allows (``SHOP_WIDGET__LINK_HOSTS``, the product pages' host, the shop's origins; a
host also allows its subdomains). Every other ``http(s):`` URL or ``www.`` host is
removed: a bare one becomes :data:`REMOVED`, a Markdown link keeps its label as plain
text. A host counts only when the URL's authority is a plain ``host[:port]`` — user
info (``https://shop.example@evil.example``), backslashes or odd characters that a browser
reads differently from this code make the URL someone else's.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable

from catalog.emails import EMAIL

REMOVED = "(link removed)"
# Every http(s) URL (also "https:/x" and "https:\\x", which browsers repair) or www. host,
# up to whitespace or the next URL, its last character never closing punctuation. Each
# URL is judged on its own: one the shop allows cannot carry another inside it.
_START = r"(?:https?:[/\\]+|(?<![\w.:/\\-])www\.)"
_URL = rf"{_START}(?:(?!{_START})\S)*(?<![.,;:!?)\]}}'\"])"
_LINK = re.compile(rf"(?P<md>\]\()?(?P<url>{_URL})(?(md)\))", re.IGNORECASE)
_AUTHORITY = re.compile(r"https?://([a-z0-9.-]+)(?::\d{1,5})?(?=[/?#]|$)", re.IGNORECASE)


def host_of(url: str) -> str | None:
    """Return the lower-case host of ``url``, or None when its authority is not plain."""
    if url[:4].lower() == "www.":
        url = "https://" + url
    match = _AUTHORITY.match(url)
    return match.group(1).lower().rstrip(".") if match else None


def normalize_hosts(hosts: Iterable[str]) -> frozenset[str]:
    """Return ``hosts`` lower-cased, without ports, schemes, paths or a leading ``*.``."""
    out: set[str] = set()
    for raw in hosts:
        value = raw.strip().lower()
        if "://" in value:
            value = host_of(value) or ""
        value = value.removeprefix("*.").split("/", 1)[0].split(":", 1)[0].strip(".")
        if value:
            out.add(value)
    return frozenset(out)


def host_allowed(host: str | None, hosts: Collection[str]) -> bool:
    """Return True when ``host`` is one of ``hosts`` or a subdomain of one."""
    return bool(host) and any(host == h or str(host).endswith("." + h) for h in hosts)


def links_in(text: str) -> list[str]:
    """Return the URLs and ``www.`` hosts in ``text``, in order."""
    return [m.group("url") for m in _LINK.finditer(text)]


def emails_in(text: str) -> list[str]:
    """Return the e-mail addresses in ``text``, in order."""
    return EMAIL.findall(text)


def strip_links(text: str, hosts: Collection[str] = ()) -> str:
    """Remove every URL of ``text`` whose host is not in ``hosts`` (see the module doc).

    A match never spans whitespace, so cleaning a text piece by piece, cut after
    whitespace, gives the same result as cleaning it whole.
    """

    def clean(match: re.Match[str]) -> str:
        if host_allowed(host_of(match.group("url")), hosts):
            return match.group(0)
        return "]" if match.group("md") else REMOVED

    return _LINK.sub(clean, text)
