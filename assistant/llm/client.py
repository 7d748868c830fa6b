"""The one LLM client used for every backend (embedded llama.cpp, vLLM, any OpenAI API).

It wraps langchain-openai's ``ChatOpenAI`` and yields a small stream of typed deltas:
text pieces as they arrive and, with native tool calling, the tool calls at the end.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any, Protocol

import openai
from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, SystemMessage
from langchain_openai import ChatOpenAI

from assistant.errors import LLMUnavailableError
from assistant.llm import usage
from assistant.llm.config import LLMSettings


@dataclass(frozen=True)
class TextDelta:
    """A piece of streamed text."""

    text: str


@dataclass(frozen=True)
class NativeToolCall:
    """A tool call returned through the server's native tool-calling API."""

    name: str
    arguments: dict[str, Any] = field(default_factory=dict)


LLMDelta = TextDelta | NativeToolCall


class ChatModel(Protocol):
    """What the agent needs from an LLM; the real client and the test fake both satisfy it."""

    def stream(
        self, messages: list[dict[str, str]], *, tools: list[dict[str, Any]] | None = None
    ) -> AsyncIterator[LLMDelta]:
        """Stream deltas for ``messages`` (``tools`` only with native tool calling)."""
        ...

    async def ping(self) -> None:
        """Raise LLMUnavailableError unless the model actually answers."""
        ...

    async def complete(
        self,
        messages: list[dict[str, str]],
        *,
        json_schema: dict[str, Any] | None = None,
        max_tokens: int | None = None,
    ) -> str:
        """Return one whole completion; with ``json_schema`` the server must obey it."""
        ...


def to_langchain(messages: list[dict[str, str]]) -> list[BaseMessage]:
    """Convert ``{"role", "content"}`` dicts to langchain messages."""
    out: list[BaseMessage] = []
    for m in messages:
        role, content = m["role"], m["content"]
        if role == "system":
            out.append(SystemMessage(content))
        elif role == "assistant":
            out.append(AIMessage(content))
        else:
            out.append(HumanMessage(content))
    return out


class OpenAICompatibleClient:
    """Streams chat completions from any OpenAI-compatible server."""

    def __init__(self, settings: LLMSettings, base_url: str) -> None:
        """Create the client for ``base_url`` using ``settings`` for model and limits."""
        self.settings = settings
        self.base_url = base_url
        self.native_tools = settings.use_native_tools()
        self._chat = ChatOpenAI(
            model=settings.model,
            base_url=base_url,
            api_key=settings.api_key,
            temperature=settings.temperature,
            max_tokens=settings.max_tokens,
            timeout=settings.timeout_s,
            max_retries=0,
            streaming=True,
            stream_usage=True,
        )
        self._raw = openai.AsyncOpenAI(
            base_url=base_url,
            api_key=settings.api_key.get_secret_value(),
            timeout=settings.timeout_s,
            max_retries=1,
        )

    async def stream(
        self, messages: list[dict[str, str]], *, tools: list[dict[str, Any]] | None = None
    ) -> AsyncIterator[LLMDelta]:
        """Stream text deltas; with native tools, yield the tool calls after the text."""
        model: Any = self._chat.bind_tools(tools) if tools and self.native_tools else self._chat
        pending: dict[int, dict[str, str]] = {}
        received = False
        reported: dict[str, int] | None = None
        out_text: list[str] = []
        try:
            async with asyncio.timeout(self.settings.timeout_s):
                for attempt in range(2):
                    try:
                        async for chunk in model.astream(to_langchain(messages)):
                            received = True
                            text = chunk.content if isinstance(chunk.content, str) else ""
                            if text:
                                out_text.append(text)
                                yield TextDelta(text)
                            meta = getattr(chunk, "usage_metadata", None)
                            if meta:
                                reported = {
                                    "in": int(meta.get("input_tokens", 0)),
                                    "out": int(meta.get("output_tokens", 0)),
                                }
                            for tc in getattr(chunk, "tool_call_chunks", None) or []:
                                index = int(tc.get("index") or 0)
                                slot = pending.setdefault(index, {"name": "", "args": ""})
                                slot["name"] += tc.get("name") or ""
                                slot["args"] += tc.get("args") or ""
                        break
                    except openai.APIConnectionError:
                        # A kept-alive connection the server had just closed: nothing was
                        # generated yet, so one immediate retry is safe. Refused or dead
                        # servers fail again at once and surface below.
                        if received or attempt == 1:
                            raise
                        await asyncio.sleep(0.2)
        except TimeoutError as exc:
            raise LLMUnavailableError(
                f"the language model did not finish within {self.settings.timeout_s:.0f}s"
            ) from exc
        except (openai.APIError, ConnectionError, OSError) as exc:
            raise LLMUnavailableError(f"the language model is unavailable: {exc}") from exc
        if reported is not None:
            usage.record(reported["in"], reported["out"])
        else:
            usage.record(
                sum(usage.estimate_tokens(m["content"]) for m in messages),
                usage.estimate_tokens("".join(out_text)),
                estimated=True,
            )
        for slot in pending.values():
            try:
                args = json.loads(slot["args"]) if slot["args"].strip() else {}
            except json.JSONDecodeError:
                args = {"_raw": slot["args"]}
            yield NativeToolCall(slot["name"], args if isinstance(args, dict) else {})

    async def complete(
        self,
        messages: list[dict[str, str]],
        *,
        json_schema: dict[str, Any] | None = None,
        max_tokens: int | None = None,
    ) -> str:
        """Return one completion. ``json_schema`` is schema-constrained decoding.

        llama.cpp's server and vLLM both honour ``response_format`` with a JSON schema, so
        a small model's output always parses.
        """
        extra: dict[str, Any] = {}
        if json_schema is not None:
            extra["response_format"] = {
                "type": "json_schema",
                "json_schema": {"name": "command", "schema": json_schema, "strict": True},
            }
        try:
            async with asyncio.timeout(self.settings.timeout_s):
                reply = await self._raw.chat.completions.create(
                    model=self.settings.model,
                    messages=messages,  # type: ignore[arg-type]
                    temperature=0.0,
                    max_tokens=max_tokens or self.settings.max_tokens,
                    **extra,
                )
        except TimeoutError as exc:
            raise LLMUnavailableError(
                f"the language model did not finish within {self.settings.timeout_s:.0f}s"
            ) from exc
        except (openai.APIError, ConnectionError, OSError) as exc:
            raise LLMUnavailableError(f"the language model is unavailable: {exc}") from exc
        text = reply.choices[0].message.content or "" if reply.choices else ""
        if reply.usage is not None:
            usage.record(reply.usage.prompt_tokens, reply.usage.completion_tokens)
        else:
            usage.record(
                sum(usage.estimate_tokens(m["content"]) for m in messages),
                usage.estimate_tokens(text),
                estimated=True,
            )
        return text

    async def prefill(self, messages: list[dict[str, str]]) -> None:
        """Have the server read ``messages`` once (one token out) so its prefix cache holds them."""
        try:
            async with asyncio.timeout(self.settings.timeout_s):
                await self._chat.bind(max_tokens=1).ainvoke(to_langchain(messages))
        except (TimeoutError, openai.APIError, ConnectionError, OSError) as exc:
            raise LLMUnavailableError(f"the language model does not answer: {exc}") from exc

    async def ping(self) -> None:
        """Ask for one token; raise LLMUnavailableError if none comes back in 30 s."""
        try:
            async with asyncio.timeout(min(30.0, self.settings.timeout_s)):
                reply = await self._chat.bind(max_tokens=1).ainvoke([HumanMessage("Say OK")])
        except (TimeoutError, openai.APIError, ConnectionError, OSError) as exc:
            raise LLMUnavailableError(f"the language model does not answer: {exc}") from exc
        if not isinstance(reply, AIMessage):
            raise LLMUnavailableError("the language model returned no message")
