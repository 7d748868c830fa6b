"""Confirmation abuse: a write runs only on an explicit yes to the proposal shown in the
immediately preceding reply (or its button). Any other message voids it."""

from __future__ import annotations

import json

import pytest

from catalog.errors import ShopError
from tests.security.conftest import Shop, run


def call(tool: str, **args: object) -> str:
    return json.dumps({"tool": tool, "args": args})


def _propose(shop: Shop) -> tuple[str, str]:
    """Signed in as the victim, the model proposes cancelling their pending order."""
    conv = shop.signed_in(shop.victim)
    order = shop.victim.order("pending")
    shop.llm.enqueue(call("cancel_pending_order", order_id=order, reason="no longer needed"))
    result = run(shop.chat.run_turn(conv, f"please cancel {order}, no longer needed"))
    assert result.proposal is not None
    return conv, result.proposal["token"]


NOT_YES = [
    "do NOT cancel",
    "no",
    "hmm, I am not sure",
    "what about the boots?",
    "yes but change the address first",
    "yes for the boots",
    "ja aber nicht die Schuhe",
    "cancel the other one instead",
    "ok wait",
    "sure? how long does a refund take",
]


@pytest.mark.parametrize("text", NOT_YES)
def test_any_other_message_voids_the_proposal(shop: Shop, text: str) -> None:
    conv, token = _propose(shop)
    before = shop.snapshot()
    shop.llm.enqueue(call("confirm_action", token=token), "Nothing was changed.")
    run(shop.chat.run_turn(conv, text))
    shop.llm.enqueue(call("confirm_action", token=token), "Nothing was changed.")
    run(shop.chat.run_turn(conv, "yes"))  # a later yes no longer reaches it
    assert shop.snapshot() == before
    with pytest.raises(ShopError) as info:
        run(shop.chat.confirm(conv, token))  # nor does the button
    assert info.value.code == "confirmation_invalid"
    assert shop.snapshot() == before


@pytest.mark.parametrize("yes", ["yes", "Yes please", "ja, bitte", "oui merci", "sí"])
def test_an_explicit_yes_in_the_next_message_executes_once(shop: Shop, yes: str) -> None:
    conv, token = _propose(shop)
    before = shop.snapshot()
    shop.llm.enqueue(call("confirm_action", token=token), "Cancelled.")
    run(shop.chat.run_turn(conv, yes))
    after = shop.snapshot()
    assert after != before and after[1] == before[1] + 1
    done = run(shop.chat.confirm(conv, token))  # a replay changes nothing
    assert "already done" in done.reply and shop.snapshot() == after


@pytest.mark.parametrize(
    "abuse", ["same_turn", "other_conversation", "forged", "after_button_in_other_chat"]
)
def test_tokens_cannot_be_used_out_of_place(shop: Shop, abuse: str) -> None:
    conv = shop.signed_in(shop.victim)
    order = shop.victim.order("pending")
    before = shop.snapshot()
    if abuse == "same_turn":
        shop.llm.enqueue(
            call("cancel_pending_order", order_id=order, reason="no longer needed"),
        )
        run(shop.chat.run_turn(conv, f"yes cancel {order}"))
        assert shop.snapshot() == before
        return
    _conv, token = _propose(shop)
    before = shop.snapshot()
    attacker = shop.signed_in(shop.attacker)
    target = {"other_conversation": attacker, "after_button_in_other_chat": attacker}.get(
        abuse, _conv
    )
    used = "v1-forged-token" if abuse == "forged" else token
    with pytest.raises(ShopError) as info:
        run(shop.chat.confirm(target, used))
    assert info.value.code == "confirmation_invalid"
    assert shop.snapshot() == before


def test_eight_simultaneous_confirms_execute_once(shop: Shop) -> None:
    import asyncio

    conv, token = _propose(shop)
    before = shop.snapshot()

    async def all_at_once() -> list[object]:
        return await asyncio.gather(
            *(shop.chat.confirm(conv, token, message_id=f"c{i}") for i in range(8)),
            return_exceptions=True,
        )

    results = run(all_at_once())
    done = [r for r in results if not isinstance(r, BaseException)]
    busy = [r for r in results if isinstance(r, ShopError) and r.code == "busy"]
    assert len(done) == 1 and len(busy) == 7
    assert shop.snapshot()[1] == before[1] + 1
