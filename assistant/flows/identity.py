"""Sign-in in the conversation: identifiers the shopper typed, verified by the order tools.

An email, or a name and a zip ("Maria Lopez here, zip 02139"), or, in verified mode, one
order's number, email and zip typed over several messages; the flows never guess one.
"""

from __future__ import annotations

import re

from assistant.flows import understand as u
from assistant.flows.command import Command
from assistant.flows.kit import TurnKit
from assistant.flows.replies import say
from assistant.flows.state import FlowState
from assistant.nlu.message import Reading
from catalog.errors import ShopError

_NAME = re.compile(
    r"\b(?i:i'?m|i am|my name is|this is|name:|ich bin|je suis|me llamo|soy|sono|mi chiamo)"
    r"\s+([A-Z][a-zA-Z'-]+)\s+([A-Z][a-zA-Z'-]+)"
)


def auth_needed_key(kit: TurnKit) -> str:
    """Return the reply key that asks for the identity this shop's mode accepts."""
    return "auth_needed_verified" if kit.ctx.deps.orders.identity == "verified" else "auth_needed"


async def actor_of(kit: TurnKit) -> str | None:
    """Return the customer this conversation is signed in as (None: not signed in)."""
    try:
        return kit.ctx.deps.orders.actor(kit.ctx.conversation_id)
    except ShopError:
        return None


async def authenticate(kit: TurnKit, cmd: Command, text: str, lang: str) -> tuple[bool, str]:
    """Verify the shopper from identifiers they typed; (verified?, what to say)."""
    email = u.email_in(text) or (u.email_in(cmd.email) if cmd.email else None)
    name = _NAME.search(text)
    first, last = (name.group(1), name.group(2)) if name else (None, None)
    if first is None and cmd.name and len(cmd.name.split()) >= 2:
        first, last = cmd.name.split()[0], cmd.name.split()[-1]
    zip_code = u.zip_in(text)
    current = await actor_of(kit)
    if current is not None:
        if email or (first and zip_code):
            return True, say("auth_other", lang)
        return True, ""
    typed = kit.state.typed_identity if kit.state is not None else {}
    if first is None and zip_code and typed.get("name"):
        # "Lena Muller", then "PLZ 78184"
        first, last = typed["name"].split()[0], typed["name"].split()[-1]
    elif first is not None and zip_code is None:
        zip_code = typed.get("zip")  # the zip first, the name after
    if kit.ctx.deps.orders.identity == "verified":
        return await _verify_guest(kit, text, email, zip_code, lang)
    try:
        if email:
            await kit.call("find_user_id_by_email", email=email)
        elif first and last and zip_code:
            await kit.call(
                "find_user_id_by_name_zip", first_name=first, last_name=last, zip=zip_code
            )
        elif first and last:
            return False, say("auth_need_zip", lang, name=first)
        elif zip_code and not typed.get("email"):
            return False, say("auth_need_name", lang)
        else:
            return False, say(auth_needed_key(kit), lang)
    except ShopError as exc:
        return False, say("auth_locked" if exc.code == "too_many_attempts" else "auth_failed", lang)
    typed.pop("name", None)  # signed in: a zip typed later (an address's) completes nothing
    return True, say("auth_ok", lang)


def remember_identity(state: FlowState, text: str, reading: Reading | None = None) -> None:
    """Keep the identifiers the shopper typed: they may come apart, over several messages.

    An email, a zip, an order number (a guest's), and a first and last name ("Aarav Khan",
    then "oh and zip's 92926"); a name is the reader's name slot or "my name is …".
    """
    found = {"email": u.email_in(text), "zip": u.zip_in(text)}
    orders = u.order_ids_in(text)
    found["order"] = orders[0] if orders else None
    said = _NAME.search(text)
    name = f"{said.group(1)} {said.group(2)}" if said else reading.name if reading else None
    found["name"] = name if name and len(name.split()) >= 2 else None
    state.typed_identity.update({k: v for k, v in found.items() if v})


async def _verify_guest(
    kit: TurnKit, text: str, email: str | None, zip_code: str | None, lang: str
) -> tuple[bool, str]:
    """Verify a guest (verified mode) by one order's number, email and zip, as they typed them."""
    typed = kit.state.typed_identity if kit.state is not None else {}
    orders = u.order_ids_in(text) or ([typed["order"]] if "order" in typed else [])
    email = email or typed.get("email")
    zip_code = zip_code or typed.get("zip")
    if not (orders and email and zip_code):
        return False, say("auth_needed_verified", lang)
    try:
        await kit.call("verify_guest_order", order_id=orders[0], email=email, zip=zip_code)
    except ShopError as exc:
        key = "auth_locked" if exc.code == "too_many_attempts" else "auth_failed_verified"
        return False, say(key, lang)
    return True, say("auth_ok", lang)


def has_identity(text: str, cmd: Command, state: FlowState | None = None) -> bool:
    """Return True when the message gives an identity to verify.

    An email, or a name and a zip code; or a zip / order number that completes a guest's
    order number + email + zip typed over several messages.
    """
    if u.email_in(text) or (u.zip_in(text) and (_NAME.search(text) or cmd.name)):
        return True
    typed = state.typed_identity if state is not None else {}
    if (u.zip_in(text) and typed.get("name")) or (cmd.name and typed.get("zip")):
        return True  # the other half of a name and zip typed apart
    new = u.zip_in(text) or u.order_ids_in(text)
    return bool(new and {"order", "email", "zip"} <= set(typed))
