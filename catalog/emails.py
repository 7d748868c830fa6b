"""Email addresses in a shopper's words: typed, or spelled out ("ann dot lee at x dot com").

Shared by the reader (which email a message gives) and the order service's check that an
identifier was typed by the shopper, so a spelled-out address counts as typed in both.
"""

from __future__ import annotations

import re

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")  # an address typed as it is
# an email spelled out the way people type it to dodge harvesters: "sofia dot novak8591 at
# example dot com", "ann punto lee arroba mail punto es", "chloe (at) example (punkt) com"
# (the words for "at" and "dot" in the five languages, with or without brackets), or typed
# with spaces around its signs ("AVA.LEE5302 @ example . com")
_AT_WORDS = r"(?:at|ät|arroba|arobase|chiocciola)"
_DOT_WORDS = r"(?:dot|punkt|point|punto)"
_AT = rf"(?:\s*[\[(]\s*(?:{_AT_WORDS}|@)\s*[\])]\s*|\s+{_AT_WORDS}\s+|\s*@\s*)"
_DOT = rf"(?:\s*[\[(]\s*(?:{_DOT_WORDS}|\.)\s*[\])]\s*|\s+{_DOT_WORDS}\s+|\s+\.\s+|\.)"
_SPELLED = re.compile(
    rf"(?<![\w.@])([a-z0-9_+-]+(?:{_DOT}[a-z0-9_+-]+)*){_AT}([a-z0-9-]*[a-z][a-z0-9-]*(?:{_DOT}[a-z0-9-]+)*"
    rf"{_DOT}[a-z]{{2,6}})(?![\w@])",
    re.IGNORECASE,
)
_DOT_WORD = re.compile(_DOT, re.IGNORECASE)


def email_of(text: str) -> str | None:
    """Return the email address a message gives, typed or spelled out ("x dot y at z dot com").

    A typed address wins over a spelled-out one.
    """
    found = emails_in(text)
    return found[0] if found else None


def emails_in(text: str) -> list[str]:
    """Return every email address a message gives, lower-cased (typed ones first)."""
    typed = [m.group(0).rstrip(".").lower() for m in EMAIL.finditer(text)]
    spelled = [
        f"{_DOT_WORD.sub('.', m.group(1))}@{_DOT_WORD.sub('.', m.group(2))}".lower()
        for m in _SPELLED.finditer(text)
    ]
    return list(dict.fromkeys(typed + spelled))
