"""The one LLM client used for every backend (embedded llama.cpp, vLLM, any OpenAI API).

It wraps langchain-openai's ``ChatOpenAI`` and yields a small stream of typed deltas:
text pieces as they arrive and, with native tool calling, the tool calls at the end.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any, Protocol

import aiohttp
import openai
from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, SystemMessage
from langchain_openai import ChatOpenAI

from assistant.errors import LLMBadResponseError, LLMUnavailableError
from assistant.llm import usage
from assistant.llm.config import LLMSettings

log = logging.getLogger(__name__)
MALFORMED = "the language model sent a malformed stream"


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


async def aclose_quietly(*clients: object) -> None:
    """Close pooled connections of any client that has them (fakes have none)."""
    for client in clients:
        close = getattr(client, "aclose", None)
        if close is not None:
            await close()


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


def _read_chunk(
    data: dict[str, Any],
) -> list[tuple[str, list[tuple[int, str, str]], dict[str, int] | None]]:
    """Pick text, tool-call pieces and usage out of one streamed chunk."""
    used = None
    if isinstance(data.get("usage"), dict):
        u = data["usage"]
        used = {"in": int(u.get("prompt_tokens") or 0), "out": int(u.get("completion_tokens") or 0)}
    out: list[tuple[str, list[tuple[int, str, str]], dict[str, int] | None]] = []
    for choice in data.get("choices") or []:
        delta = choice.get("delta") or {}
        text = delta.get("content") or ""
        calls = []
        for tc in delta.get("tool_calls") or []:
            fn = tc.get("function") or {}
            calls.append(
                (int(tc.get("index") or 0), fn.get("name") or "", fn.get("arguments") or "")
            )
        out.append((text if isinstance(text, str) else "", calls, None))
    if used is not None:
        out.append(("", [], used))
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
        self._client: aiohttp.ClientSession | None = None
        self._client_loop: asyncio.AbstractEventLoop | None = None

    def _http(self) -> aiohttp.ClientSession:
        """Return the pooled HTTP session of the running loop (aiohttp: a fast C parser)."""
        loop = asyncio.get_running_loop()
        if self._client is None or self._client_loop is not loop or self._client.closed:
            self._client = aiohttp.ClientSession(
                headers={"Authorization": f"Bearer {self.settings.api_key.get_secret_value()}"},
                timeout=aiohttp.ClientTimeout(total=None, connect=10.0),
                connector=aiohttp.TCPConnector(limit=0, keepalive_timeout=30),
            )
            self._client_loop = loop
        return self._client

    async def aclose(self) -> None:
        """Close pooled connections."""
        if self._client is not None:
            await self._client.close()
            self._client = None

    async def stream(
        self,
        messages: list[dict[str, str]],
        *,
        tools: list[dict[str, Any]] | None = None,
        extra: dict[str, Any] | None = None,
    ) -> AsyncIterator[LLMDelta]:
        """Stream text deltas; with native tools, yield the tool calls after the text.

        Server-sent events are parsed directly (one ``json.loads`` per chunk). The first
        token must come within ``first_token_timeout_s`` and later ones within
        ``idle_timeout_s`` of each other; the whole answer within ``timeout_s``.
        Upstream error bodies are logged (status only), never passed on.
        """
        body: dict[str, Any] = {
            "model": self.settings.model,
            "messages": messages,
            "stream": True,
            "stream_options": {"include_usage": True},
            "temperature": self.settings.temperature,
            "max_tokens": self.settings.max_tokens,
        }
        if tools and self.native_tools:
            body["tools"] = tools
        body.update(extra or {})
        pending: dict[int, dict[str, str]] = {}
        reported: dict[str, int] | None = None
        out_text: list[str] = []
        s = self.settings
        try:
            async with asyncio.timeout(s.timeout_s):
                for attempt in range(2):
                    try:
                        async for data in self._events(body, first=not out_text):
                            for text, calls, used in _read_chunk(data):
                                if text:
                                    out_text.append(text)
                                    yield TextDelta(text)
                                for index, name, args in calls:
                                    slot = pending.setdefault(index, {"name": "", "args": ""})
                                    slot["name"] += name
                                    slot["args"] += args
                                if used is not None:
                                    reported = used
                        break
                    except aiohttp.ClientConnectionError:
                        # Refused, or a kept-alive connection the server had just closed:
                        # nothing was generated yet, so one quick retry is safe.
                        if out_text or attempt == 1:
                            raise
                        await asyncio.sleep(0.2)
        except LLMUnavailableError:
            raise
        except TimeoutError as exc:
            raise LLMUnavailableError(
                f"the language model did not finish within {s.timeout_s:.0f}s",
                code="llm_timeout",
            ) from exc
        except (aiohttp.ClientError, OSError) as exc:
            log.warning("LLM stream failed: %s", type(exc).__name__)
            raise LLMUnavailableError("the language model is unavailable right now") from exc
        if reported is not None:
            usage.record(reported["in"], reported["out"])
        else:
            usage.record(
                sum(usage.estimate_tokens(m["content"]) for m in messages),
                usage.estimate_tokens("".join(out_text)),
                estimated=True,
            )
        for slot in pending.values():
            parsed: Any
            try:
                parsed = json.loads(slot["args"]) if slot["args"].strip() else {}
            except json.JSONDecodeError:
                parsed = {"_raw": slot["args"]}
            yield NativeToolCall(slot["name"], parsed if isinstance(parsed, dict) else {})

    async def _events(self, body: dict[str, Any], *, first: bool) -> AsyncIterator[Any]:
        """Yield each SSE ``data:`` payload as parsed JSON, enforcing the token timeouts.

        The body is read in whatever pieces arrive and split into lines here; a
        ``_Watchdog`` (one timer per wait period, not one per chunk) fails the next read
        of a stalled stream. Only a chunk that carries output is progress: keep-alive
        comments and empty deltas never reset a timer.
        """
        s = self.settings
        url = self.base_url.rstrip("/") + "/chat/completions"
        prompt_tokens = sum(usage.estimate_tokens(m["content"]) for m in body["messages"])
        first_wait = s.first_token_timeout_s + prompt_tokens / s.min_prompt_tokens_per_s
        started = asyncio.get_running_loop().time()
        try:
            async with asyncio.timeout(first_wait):
                response = await self._http().post(url, json=body)
        except TimeoutError as exc:
            raise LLMUnavailableError(
                f"the language model sent no first token within {first_wait:.0f}s",
                code="llm_timeout",
            ) from exc
        watchdog = _Watchdog(
            response.content,
            first_deadline=started + first_wait if first else None,
            first_wait=first_wait,
            idle_wait=s.idle_timeout_s,
        )
        try:
            if response.status >= 400:
                log.warning("LLM server answered HTTP %d", response.status)
                raise LLMUnavailableError(
                    "the language model is unavailable right now",
                    code="llm_unavailable",
                )
            rest = b""
            while True:
                try:
                    piece = await response.content.readany()
                except _StalledError as exc:
                    raise LLMUnavailableError(
                        f"the language model sent no {exc.which} within {exc.wait:.0f}s",
                        code="llm_timeout",
                    ) from exc
                if not piece:
                    raise LLMUnavailableError("the language model's answer was cut off")
                watchdog.read(len(piece))
                *lines, rest = (rest + piece).split(b"\n")
                for raw in lines:
                    data = _sse_data(raw)
                    if data is None:
                        continue
                    if data is _DONE:
                        return
                    if _has_output(data):
                        watchdog.progress()
                    yield data
        finally:
            watchdog.stop()
            response.release()

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
        extra: dict[str, Any] = {
            "temperature": 0.0,
            "max_tokens": max_tokens or self.settings.max_tokens,
        }
        if json_schema is not None:
            extra["response_format"] = {
                "type": "json_schema",
                "json_schema": {"name": "command", "schema": json_schema, "strict": True},
            }
        # Streamed underneath, so the first-token and idle timeouts apply here too.
        parts: list[str] = []
        async for delta in self.stream(messages, extra=extra):
            if isinstance(delta, TextDelta):
                parts.append(delta.text)
        return "".join(parts)

    async def prefill(self, messages: list[dict[str, str]]) -> None:
        """Have the server read ``messages`` once (one token out) so its prefix cache holds them."""
        try:
            async with asyncio.timeout(self.settings.timeout_s):
                await self._chat.bind(max_tokens=1).ainvoke(to_langchain(messages))
        except (TimeoutError, openai.APIError, ConnectionError, OSError) as exc:
            log.warning("LLM prefill failed: %s", type(exc).__name__)
            raise LLMUnavailableError("the language model does not answer") from exc

    async def ping(self) -> None:
        """Ask for one token; raise LLMUnavailableError if none comes back in 30 s."""
        try:
            async with asyncio.timeout(min(30.0, self.settings.timeout_s)):
                reply = await self._chat.bind(max_tokens=1).ainvoke([HumanMessage("Say OK")])
        except (TimeoutError, openai.APIError, ConnectionError, OSError) as exc:
            log.warning("LLM ping failed: %s", type(exc).__name__)
            raise LLMUnavailableError("the language model does not answer") from exc
        if not isinstance(reply, AIMessage):
            raise LLMUnavailableError("the language model returned no message")


_DONE: Any = object()


def _sse_data(raw: bytes) -> Any:
    """Return one SSE line's JSON payload, None for blank/comment lines, or ``_DONE``."""
    try:
        line = raw.decode("utf-8").rstrip("\r")
    except UnicodeDecodeError as exc:
        raise LLMBadResponseError(MALFORMED) from exc
    if not line or line.startswith(":"):
        return None
    if not line.startswith("data:"):
        raise LLMBadResponseError(MALFORMED)
    payload = line[5:].strip()
    if payload == "[DONE]":
        return _DONE
    try:
        data = json.loads(payload)
    except json.JSONDecodeError as exc:
        raise LLMBadResponseError(MALFORMED) from exc
    if not isinstance(data, dict):
        raise LLMBadResponseError(MALFORMED)
    if "error" in data:
        log.warning("LLM stream carried an error event")
        raise LLMUnavailableError("the language model is unavailable right now")
    return data


def _has_output(data: dict[str, Any]) -> bool:
    """Return True when a chunk carries generated output (text, reasoning, a tool call).

    A role-only or empty delta, a usage or finish chunk is no sign that tokens are coming.
    """
    for choice in data.get("choices") or []:
        delta = choice.get("delta") if isinstance(choice, dict) else None
        if isinstance(delta, dict) and any(v for k, v in delta.items() if k != "role"):
            return True
    return False


class _StalledError(Exception):
    """Set on a response stream whose next bytes are overdue (first or next token)."""

    def __init__(self, which: str, wait: float) -> None:
        super().__init__(which)
        self.which, self.wait = which, wait


class _Watchdog:
    """Fails the next read of a stream that went quiet, without a timer per chunk.

    The reader reports each piece it got (``read``) and each chunk with output
    (``progress``); a timer wakes at the deadline (first token, then ``idle_wait`` after
    the last output) and, when no output came meanwhile and no piece is waiting unread,
    sets ``_StalledError`` on the stream. Bytes without output (SSE keep-alive comments,
    empty deltas) are read but never count: a server that only keeps the connection open
    still stalls at the first-token deadline, or ``idle_wait`` after its last token.
    """

    def __init__(
        self,
        content: aiohttp.StreamReader,
        *,
        first_deadline: float | None,
        first_wait: float,
        idle_wait: float,
    ) -> None:
        """Watch ``content``; ``first_deadline`` None means a token came before (a retry)."""
        self.content = content
        self.loop = asyncio.get_running_loop()
        self.idle_wait = idle_wait
        self.first_wait = first_wait
        self.got_first = first_deadline is None
        self.last = self.loop.time()
        self.consumed = 0  # bytes the reader got; ``total_bytes`` counts every byte fed
        deadline = first_deadline if first_deadline is not None else self.last + idle_wait
        self.handle: asyncio.TimerHandle | None = self.loop.call_at(deadline, self._check)

    def read(self, size: int) -> None:
        """Note a piece the reader got (cheap: no timer work; not progress by itself)."""
        self.consumed += size

    def progress(self) -> None:
        """Note output (cheap, but the first one moves the timer to the idle deadline)."""
        self.last = self.loop.time()
        if not self.got_first:
            # The first token came: from now on the idle timeout governs, not the (often
            # much later) first-token deadline the timer was set for.
            self.got_first = True
            self.stop()
            self.handle = self.loop.call_at(self.last + self.idle_wait, self._check)

    def _check(self) -> None:
        now = self.loop.time()
        waiting_unread = self.content.total_bytes > self.consumed
        deadline = self.last + self.idle_wait if self.got_first else now
        if waiting_unread or deadline > now + 0.001:
            self.handle = self.loop.call_at(max(deadline, now + 0.05), self._check)
            return
        self.handle = None
        which, wait = (
            ("next token", self.idle_wait) if self.got_first else ("first token", self.first_wait)
        )
        self.content.set_exception(_StalledError(which, wait))

    def stop(self) -> None:
        """Cancel the timer (the stream ended or failed)."""
        if self.handle is not None:
            self.handle.cancel()
            self.handle = None
