"""Keep untrusted text (shopper messages, tool data such as product descriptions) in its place.

Tool results reach the model inside ``<tool_result>`` blocks marked as data. Text that
imitates those markers — a shopper typing ``TOOL RESULT …`` or a product description that
closes the block — is neutralized first, so it can never open or close a block itself.
"""

from __future__ import annotations

import re

_MARKERS = re.compile(r"<\s*(/?)\s*(tool_(?:result|error))\b|\b(TOOL)[ _-]?(RESULT|ERROR)\b", re.I)


def _defang(match: re.Match[str]) -> str:
    if match.group(2):
        return f"‹{match.group(1)}{match.group(2).lower().replace('_', '-')}"
    return f"{match.group(3).lower()}-{match.group(4).lower()}"


def neutralize(text: str) -> str:
    """Return ``text`` with tool-block markers defanged (``<tool_result`` → ``‹tool-result``)."""
    return _MARKERS.sub(_defang, text)
