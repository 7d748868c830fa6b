"""One optional model sentence after code's reply, shown only if the verifier passes it."""

from __future__ import annotations

import time

import prompts
from assistant.flows.kit import TurnKit
from assistant.flows.verifier import verify_sentence
from assistant.llm.client import ChatModel
from catalog.errors import ShopError


async def friendly_sentence(
    llm: ChatModel,
    reply: str,
    lang: str,
    kit: TurnKit,
    *,
    tool_names: list[str],
    prompt_text: str,
) -> tuple[str | None, float]:
    """Return the model's sentence ("" when the model failed, None when rejected) and seconds.

    The verifier checks it against the reply, the tools' feedback and the cards' names
    (no new prices or products, no tool names, nothing of the system prompt).
    """
    started = time.perf_counter()
    try:
        sentence = await llm.complete(
            [
                {"role": "system", "content": prompts.load("friendly")},
                {"role": "user", "content": f"language: {lang}\nreply: {reply}"},
            ],
            max_tokens=40,
        )
    except ShopError:
        return "", time.perf_counter() - started
    facts = reply + " " + " ".join(str(e["feedback"]) for e in kit.tool_log)
    names = [str(c.get("name", "")) for c in kit.cards]
    verdict = verify_sentence(
        sentence,
        lang=lang,
        facts=facts,
        product_names=names,
        tool_names=tool_names,
        prompt_text=prompt_text,
    )
    if not verdict.ok:
        return None, time.perf_counter() - started
    return sentence.strip(), time.perf_counter() - started
