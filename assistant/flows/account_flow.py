"""Account requests: sign-in, order status and order changes, in the order they were asked.

A sign-in message may carry its request ("emma lopez here, zip 02233. where's my rc car?"):
the shopper is verified, then the rest is answered. An order status message may also ask
for products ("is my order out yet? and do you have headlamps under 30?"): both are answered.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from assistant.flows import identity, order_flows, recommend_flow, routing, search_flow
from assistant.flows.command import Command, from_reading
from assistant.flows.kit import TurnKit
from assistant.flows.replies import say
from assistant.flows.state import FlowState
from assistant.nlu.message import Reading
from assistant.nlu.reader import Reader
from tools.deps import Deps

# runs another action of the turn: (kit, state, command, text, language, action) → reply
Act = Callable[[TurnKit, FlowState, Command, str, str, str], Awaitable[str]]


async def account(
    kit: TurnKit,
    state: FlowState,
    cmd: Command,
    text: str,
    lang: str,
    action: str,
    *,
    act: Act,
    reader: Callable[[Deps], Reader | None],
) -> str:
    """Verify the shopper if the message identifies them, then answer its order request."""
    parts: list[str] = []
    if kit.reading is not None and kit.reading.products:
        state.order_types = list(kit.reading.products)  # "… the robot vacuum is broken"
    if identity.has_identity(text, cmd, kit.state) or action == "authenticate":
        ok, said = await identity.authenticate(kit, cmd, text, lang)
        if said:
            parts.append(said)
        if not ok or said == say("auth_other", lang):
            return " ".join(parts)
        if action == "authenticate":
            intent = state.intent
            state.intent = None
            if intent and intent.get("action") in ("order_status", "start_write"):
                # the request asked before the sign-in, with what this message adds ("…,
                # PLZ 85517. eine eventuelle Differenz bitte auf meine Visa"), read again
                added = _besides_identity(kit.reading)
                action = str(intent["action"])
                text = f"{intent.get('text', '')} {added}".strip() or text
                known = reader(kit.ctx.deps)
                if known is not None:
                    kit.reading = known.read(text, lang)
                    cmd = from_reading(kit.reading)
                    if kit.reading.products:  # "the hoodie from my last delivery"
                        state.order_types = list(kit.reading.products)
                if intent.get("write"):  # the change it asked for, as read then
                    cmd = cmd.model_copy(update={"write": intent["write"]})
            elif (
                intent
                and intent.get("action") == "recommend"
                and (intent.get("turn") == state.turn - 1)
            ):
                # "recommend me something" → "please sign in" → email: the list follows
                asked = str(intent.get("text", text))
                parts.append(await recommend_flow.recommend(kit, state, cmd, asked, lang))
                state.intent = None
                return " ".join(p for p in parts if p)
            else:
                after = _request_after_identity(kit, reader(kit.ctx.deps), lang)
                if after is None:
                    parts.append(say("auth_ok_next", lang))
                    return " ".join(parts)
                # "emma lopez here, zip 02233. where's my rc car??": verified, then asked
                kit.reading, text = after, after.text
                cmd = from_reading(after)
                vocab = kit.ctx.deps.searcher.vocabulary
                action = routing.route(cmd, state, text, vocab, after)
                if action not in ("order_status", "start_write"):
                    parts.append(await act(kit, state, cmd, text, lang, action))
                    return " ".join(p for p in parts if p)
                if after.products:
                    state.order_types = list(after.products)
    if action == "order_status":
        parts.append(await order_flows.order_status(kit, state, cmd, text, lang))
        reading = kit.reading
        if cmd.write == "cancel" and state.last_order:
            # "where is it? if it hasn't shipped, cancel it": proposed (waits for a yes)
            parts.append(await order_flows.start_write(kit, state, cmd, text, lang))
        elif (
            reading
            and reading.products
            and not cmd.write
            and _asked_after(reading)
            and routing.order_by_product(reading, text) is None
        ):
            # "is my order out yet? and do you have headlamps under 30?": both ("has
            # the kettle i ordered shipped?", "did my order with the hose ship?" ask about
            # the order holding one)
            parts.append(await search_flow.search(kit, state, cmd, text, lang))
    elif action == "start_write":
        parts.append(await order_flows.start_write(kit, state, cmd, text, lang))
    return " ".join(p for p in parts if p)


def _request_after_identity(kit: TurnKit, reader: Reader | None, lang: str) -> Reading | None:
    """Return the reading of what a sign-in message asks besides the identity, if anything.

    The sign-in is read as such; the words around the name, zip or email are read on their
    own, and kept when they are a request of their own: "…, zip 02233. where's my rc car??"
    and "ho ordinato uno spazzolino nero ma lo vorrei rosa. la mia mail è …" alike (the
    few words that only lead up to the identity, "my email is", are left out).
    """
    if kit.reading is None or reader is None:
        return None
    rest = _besides_identity(kit.reading)
    if len(rest.split()) < 2:
        return None
    after = reader.read(rest, lang)
    return None if after.intent in _NO_REQUEST else after


def _besides_identity(reading: Reading | None) -> str:
    """Return a sign-in message's words around the identity ("" when none)."""
    if reading is None:
        return ""
    spans = [(sp.start, sp.end) for sp in reading.spans if sp.slot in ("email", "name", "zip")]
    for typed in (reading.email, reading.zip):  # read from the words, not always a span
        at = reading.text.lower().find(typed.lower()) if typed else -1
        if at >= 0:
            spans.append((at, at + len(str(typed))))
    if not spans:
        return ""
    text = reading.text
    before = text[: min(a for a, _ in spans)]
    ends = list(routing.SENTENCE_END.finditer(before))
    if ends and len(before[ends[-1].end() :].split()) <= _LEAD_IN:
        before = before[: ends[-1].end()]  # "… partito. la mia mail è" → "… partito."
    elif not ends:
        before = ""  # "hi, Maria Lopez here" or "my email is": only leads up to it
    return f"{before} {text[max(b for _, b in spans) :]}".strip(" \t.,;:!-")


# words that may lead up to an identity at a message's end ("la mia mail è", "my zip is")
_LEAD_IN = 6


# what words after a sign-in may be without being a request of their own
_NO_REQUEST = ("authenticate", "smalltalk", "confirm", "deny", "out_of_scope")


def _asked_after(reading: Reading) -> bool:
    """Return True when the products are named after the message's first sentence."""
    first = routing.SENTENCE_END.search(reading.text)
    spans = [sp for sp in reading.spans if sp.slot == "product"]
    return bool(first and spans and all(sp.start >= first.end() for sp in spans))
