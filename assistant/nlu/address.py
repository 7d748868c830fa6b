"""Postal addresses typed in a message ("742 Evergreen Terrace, Springfield, IL 62704, USA")."""

from __future__ import annotations

import re
from dataclasses import dataclass

ADDRESS = re.compile(
    # the street line runs from a house number to the first comma, within one sentence
    # ("CAP 60862. Mi sono trasferito: … 88 Elm Street, Chicago": the street is 88 Elm St)
    r"(?P<address1>\d+(?:(?![.?!:;](?:\s|$))[^,\n])*?)\s*,\s*"
    r"(?:(?P<address2>(?:apt|suite|unit)[^,\n]*?)\s*,\s*)?"
    r"(?P<city>[A-Za-z .'-]+?)\s*,\s*(?P<state>[A-Z]{2})\s+(?P<zip>\d{5})"
    r"(?:\s*,\s*(?P<country>[A-Za-z .]+?))?\s*(?:[.!?]|instead|$)",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Address:
    """A postal address read from the message."""

    address1: str
    address2: str
    city: str
    state: str
    zip: str
    country: str


def address_in(text: str) -> Address | None:
    """Return a US-style address: "742 Evergreen Terrace, Springfield, IL 62704, USA"."""
    m = ADDRESS.search(text)
    if not m:
        return None
    country = (m.group("country") or "USA").strip()
    if country.lower() in ("us", "usa", "united states", "united states of america"):
        country = "USA"
    return Address(
        address1=m.group("address1").strip().split(" to ")[-1].strip(),
        address2=(m.group("address2") or "").strip(),
        city=m.group("city").strip(),
        state=m.group("state").upper(),
        zip=m.group("zip"),
        country=country,
    )
