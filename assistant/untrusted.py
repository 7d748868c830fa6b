"""Keep untrusted text (shopper messages, tool data such as product descriptions) in its place.

Tool results reach the model inside ``<tool_result>`` blocks marked as data. Text that
imitates those markers — a shopper typing ``TOOL RESULT …`` or a product description that
closes the block — is neutralized first, so it can never open or close a block itself.
Links in what a shopper is shown are kept to the hosts the shop allows (:class:`LinkGuard`).
"""

from __future__ import annotations

import re
from collections.abc import Collection

from assistant.events import AgentEvent, Emit, TokenEvent
from tools.writing.links import strip_links

_MARKERS = re.compile(r"<\s*(/?)\s*(tool_(?:result|error))\b|\b(TOOL)[ _-]?(RESULT|ERROR)\b", re.I)


def _defang(match: re.Match[str]) -> str:
    if match.group(2):
        return f"‹{match.group(1)}{match.group(2).lower().replace('_', '-')}"
    return f"{match.group(3).lower()}-{match.group(4).lower()}"


def neutralize(text: str) -> str:
    """Return ``text`` with tool-block markers defanged (``<tool_result`` → ``‹tool-result``)."""
    return _MARKERS.sub(_defang, text)


class LinkGuard:
    """Wrap a turn's ``emit`` so token text reaches the shopper only with allowed links.

    Token text is held back up to its last whitespace (a URL split over two tokens is
    judged whole) and cleaned by :func:`strip_links`; other events first release what is
    held, so frames keep their order. Call :meth:`flush` when the turn's text is complete.
    """

    def __init__(self, emit: Emit, hosts: Collection[str]) -> None:
        """Forward to ``emit``; ``hosts`` are the link hosts the shop allows."""
        self.emit = emit
        self.hosts = hosts
        self.held = ""

    async def __call__(self, event: AgentEvent) -> None:
        """Clean and forward ``event`` (token text up to its last whitespace)."""
        if not isinstance(event, TokenEvent):
            await self.flush()
            await self.emit(event)
            return
        text = self.held + event.text
        cut = max(text.rfind(c) for c in " \n\t\r") + 1
        self.held = text[cut:]
        if cut:
            await self.emit(TokenEvent(strip_links(text[:cut], self.hosts)))

    async def flush(self) -> None:
        """Release the held text, cleaned."""
        if self.held:
            text, self.held = self.held, ""
            await self.emit(TokenEvent(strip_links(text, self.hosts)))
