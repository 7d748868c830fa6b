"""A scripted fake LLM shared by all tests: ``enqueue()`` the replies it should give."""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import AsyncIterator, Callable
from typing import Any

from assistant.errors import LLMUnavailableError
from assistant.llm import usage
from assistant.llm.client import LLMDelta, NativeToolCall, TextDelta

Reply = str | NativeToolCall | BaseException | Callable[[list[dict[str, str]]], str]


class FakeLLM:
    """Plays back enqueued replies as streamed text (or native tool calls, or errors).

    Every call records the messages it was given in ``calls``. Calling it with nothing
    enqueued fails the test: a turn must never make an unplanned LLM call. With
    ``translate``, the translation pipeline's prompts (system prompt starting "Translate")
    are answered by that function instead of the queue, and counted in ``translations``.
    """

    def __init__(
        self,
        *,
        chunk: int = 6,
        delay_s: float = 0.0,
        translate: Callable[[list[dict[str, str]]], str] | None = None,
    ) -> None:
        self._replies: deque[Reply] = deque()
        self.translate = translate
        self.translations = 0
        self.calls: list[list[dict[str, str]]] = []
        self.tools_seen: list[list[dict[str, Any]] | None] = []
        self.schemas_seen: list[dict[str, Any] | None] = []
        self.chunk = chunk
        self.delay_s = delay_s
        self.down = False

    def enqueue(self, *replies: Reply) -> FakeLLM:
        """Queue replies; a callable gets the prompt messages and returns the reply text."""
        self._replies.extend(replies)
        return self

    @property
    def pending(self) -> int:
        return len(self._replies)

    async def stream(
        self, messages: list[dict[str, str]], *, tools: list[dict[str, Any]] | None = None
    ) -> AsyncIterator[LLMDelta]:
        self.calls.append([dict(m) for m in messages])
        self.tools_seen.append(tools)
        if not self._replies:
            raise AssertionError("FakeLLM called with no reply enqueued")
        reply = self._replies.popleft()
        if callable(reply) and not isinstance(reply, (BaseException, NativeToolCall)):
            reply = reply(messages)
        if isinstance(reply, BaseException):
            raise reply
        prompt_tokens = sum(usage.estimate_tokens(m["content"]) for m in messages)
        if isinstance(reply, NativeToolCall):
            usage.record(prompt_tokens, 8, estimated=True)
            yield reply
            return
        usage.record(prompt_tokens, usage.estimate_tokens(reply), estimated=True)
        for start in range(0, len(reply), self.chunk):
            if self.delay_s:
                await asyncio.sleep(self.delay_s)
            else:
                await asyncio.sleep(0)
            yield TextDelta(reply[start : start + self.chunk])

    async def complete(
        self,
        messages: list[dict[str, str]],
        *,
        json_schema: dict[str, Any] | None = None,
        max_tokens: int | None = None,
    ) -> str:
        """The next enqueued reply as one string (same queue as ``stream``)."""
        if self.translate is not None and messages[0]["content"].startswith("Translate"):
            self.calls.append([dict(m) for m in messages])
            self.translations += 1
            return self.translate(messages)
        self.schemas_seen.append(json_schema)
        text = ""
        async for delta in self.stream(messages):
            if isinstance(delta, TextDelta):
                text += delta.text
        return text

    async def ping(self) -> None:
        if self.down:
            raise LLMUnavailableError("fake LLM is down")
