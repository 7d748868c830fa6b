"""Identifiers read by their format wherever they stand: email, order ids, zip, currency.

A zip counts only beside a name, in a sign-in, status or order-change request, or as the
first number of the message (kept there only if a name stands before it); a name only signs
in beside a zip or an email; neither counts inside a typed postal address.
"""

from __future__ import annotations

import re

from assistant.nlu.address import ADDRESS
from assistant.nlu.message import Reading
from assistant.nlu.numbers import currency_in
from catalog.emails import EMAIL, email_of

_ORDER = re.compile(r"(?<![\w])#?\s?[Ww][\s-]?(\d{7})(?!\d)")
# a zip that ends the message's first clause ("lena jensen, 78721. wheres my …")
_FIRST_CLAUSE = re.compile(r"^[^.!?;:\d]{0,40}?(\d{5})\b")
_ZIP = re.compile(r"(?<![\w#.,$€£])(\d{5})(?!\d|[.,]\d|\s?(?:€|\$|eur|euro|dollar|bucks))", re.I)


def read_identifiers(r: Reading) -> None:
    """Read identifiers with a fixed format by their format, wherever they stand."""
    r.email = email_of(r.text) or r.email
    for digits in _ORDER.findall(r.text):
        if f"#W{digits}" not in r.order_ids:
            r.order_ids.append(f"#W{digits}")
    cleaned = _ORDER.sub(" ", EMAIL.sub(" ", r.text))
    postal = ADDRESS.search(r.text)
    if postal:
        # a zip or capitalised words inside a postal address are not a sign-in
        cleaned = (
            cleaned[: postal.start()]
            + " " * (postal.end() - postal.start())
            + cleaned[postal.end() :]
        )
        r.spans = [
            s
            for s in r.spans
            if not (s.slot == "name" and postal.start() <= s.start < postal.end())
        ]
        if r.name and r.name.lower() in r.text[postal.start() : postal.end()].lower():
            r.name = None
    zips = _ZIP.findall(cleaned)
    if zips and (r.name or r.intent in ("authenticate", "order_status", "start_write")):
        r.zip = zips[0]
    elif zips and _starts_with(r.text, zips[0]):
        r.zip = zips[0]  # "lena jensen, 78721. wheres my dog leash??": kept if a name is before it
    if r.name and not (r.zip or r.email or r.intent == "authenticate"):
        # a name only signs in, with a zip (or beside an email): elsewhere two
        # capitalised words are not a name ("Love Song", "Quelque Chose")
        r.name = None
        r.spans = [s for s in r.spans if s.slot != "name"]
    if r.currency is None and (r.budget_max or r.budget_min or r.budget_about):
        r.currency = currency_in(r.text)
    if r.currency == "USD":
        r.currency = None


def _starts_with(text: str, zip_code: str) -> bool:
    """Whether ``zip_code`` is the first number, within the first words of ``text``."""
    m = _FIRST_CLAUSE.match(text)
    return m is not None and m.group(1) == zip_code
