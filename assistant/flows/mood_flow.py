"""A frustrated shopper (``RunContext.frustrated``): sorry, what they asked, and a person.

The chat service reads every message's mood (``assistant.mood``) before the turn. When a
message reads as frustrated, the flow still does what was asked (an order's status, a
return, a search that asks for something) and the reply says sorry first and offers a
person after; a plain yes on the next turn hands the chat over. A complaint that asks for
nothing ("second time the sole came off, really annoyed") gets no product search: product
cards are not an answer to it.
"""

from __future__ import annotations

import re

from assistant.flows import understand as u
from assistant.flows.kit import TurnKit
from assistant.flows.replies import say
from assistant.flows.state import FlowState

# Answers to the assistant's own question (a proposal's yes or no).
_ANSWERS = ("confirm", "deny")
# Actions that answer a complaint with products or chat unless the shopper asks for them.
_NEEDS_A_REQUEST = ("search", "refine", "recommend", "smalltalk", "capabilities", "out_of_scope")
_ASKS = re.compile(
    r"\b(show|find|looking for|look for|search|need|i want|i'd like|i would like|recommend|"
    r"suggest|do you (?:have|sell)|have you got|got any|is there|are there|can you|could you|"
    r"would you|please|give me|which|alternatives?|instead|something (?:else|better|that)|"
    r"zeig\w*|such\w*|finde\w*|brauch\w*|möchte|hätte gern|empfiehl\w*|empfehl\w*|habt ihr|"
    r"haben sie|gibt es|kannst du|können sie|könnten sie|bitte|welche[rsn]?|stattdessen|"
    r"etwas (?:anderes|besseres)|montre\w*|cherche\w*|trouve[rz]?|besoin|voudrais|"
    r"aimerais|recommand\w*|conseill\w*|sugg[èé]r\w*|avez[- ]vous|vous avez|y a-t-il|"
    r"peux[- ]tu|pouvez[- ]vous|pourriez|s'il (?:vous|te) pla[iî]t|quel(?:le)?s?|à la place|"
    r"autre chose|muestr\w*|mu[ée]str\w*|ense[ñn]\w*|busc\w*|necesit\w*|quisiera|"
    r"me gustar[ií]a|recomi[ée]nd\w*|suger\w*|ten[ée]is|tienen|puedes|pod[ée]is|podr[ií]a|"
    r"por favor|cu[aá]l(?:es)?|en su lugar|algo (?:m[aá]s|mejor|que)|mostra\w*|"
    r"fammi vedere|cerc[oa]|trova\w*|mi serve|ho bisogno|vorrei|consigli\w*|suggerisc\w*|"
    r"avete|ci sono|puoi|potete|potresti|per favore|qual[ei]|invece|qualcosa (?:di|che))\b",
    re.IGNORECASE,
)


def asks(text: str) -> bool:
    """Return True when the message asks for something ("show me", "busco", "vorrei")."""
    return bool(_ASKS.search(text))


def complaint_only(action: str, text: str) -> bool:
    """Return True when a frustrated message would get products or chat it did not ask for."""
    return action in _NEEDS_A_REQUEST and not asks(text)


def acknowledge(
    kit: TurnKit, state: FlowState, reply: str, lang: str, action: str, escalated: bool
) -> str:
    """Return the reply with sorry before it and, unless a person is already coming, an offer.

    With a proposal waiting for its yes, the offer asks the shopper to ask for a person
    (their yes confirms the proposal); otherwise a yes next turn hands the chat over. A
    yes or no to a proposal gets neither: the shopper is answering the assistant's
    question (and short refusals read as frustrated more often than they are).
    """
    if action in _ANSWERS:
        return reply
    sorry = say("frustration_sorry", lang)
    if escalated or "transfer_to_human_agents" in kit.tools_used:
        return f"{sorry} {reply}".strip()
    waiting = bool(state.pending and state.pending.get("turn") == state.turn)
    offer = say("frustration_offer_pending" if waiting else "frustration_offer", lang)
    state.offered_person = state.turn
    return " ".join(part for part in (sorry, reply, offer) if part)


def accepts_offer(state: FlowState, text: str) -> bool:
    """Return True for a yes to the person offered last turn (no proposal is waiting)."""
    return (
        state.offered_person > 0
        and state.offered_person == state.turn - 1
        and not state.pending
        and u.is_yes(text)
    )
