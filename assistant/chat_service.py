"""One chat turn end to end: validate, persist, run the agent, persist the reply."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Collection
from contextlib import asynccontextmanager
from dataclasses import replace
from typing import Any

from assistant.card_locale import CardLocalizer
from assistant.conversations import ConversationHead, ConversationStore, Line, new_id
from assistant.errors import BusyError, LLMUnavailableError, MessageRejectedError
from assistant.events import CardsEvent, Emit, TokenEvent, TurnAgent, discard
from assistant.flows.replies import say
from assistant.mood.batcher import MoodBatcher
from assistant.mood.mood import Mood
from assistant.mood.reading import MoodReading
from assistant.settings import AgentSettings
from assistant.store_process import ThreadHops, TurnHops
from assistant.support import SupportService
from assistant.turn_store import TurnStore
from assistant.turns import TurnResult, history_for_llm, log_turn
from assistant.untrusted import LinkGuard
from catalog.conversations import Message
from catalog.orders.confirmations import is_explicit_yes
from catalog.shared_limits import shared_leases
from catalog.store_threads import StoreThreads, default_threads
from tools.cards import ProductCard
from tools.deps import Deps, RunContext
from tools.writing.links import normalize_hosts, strip_links


class ChatService:
    """Runs turns for the websocket and REST endpoints alike."""

    def __init__(
        self,
        agent: TurnAgent,
        deps: Deps,
        conversations: ConversationStore,
        settings: AgentSettings,
        *,
        support: SupportService | None = None,
        store_threads: StoreThreads | None = None,
        hops: TurnHops | None = None,
        link_hosts: Collection[str] = (),
    ) -> None:
        """Wire the service; ``support`` defaults to one on an in-process event bus.

        ``store_threads`` run the rarer store calls (default: ``default_threads``);
        ``hops`` run each turn's two store hops (default: on those threads).
        ``link_hosts``: the only hosts a reply's links may point to (every other URL in
        the agent's text is removed before it is streamed or stored).
        """
        self.agent = agent
        self.link_hosts = normalize_hosts(link_hosts)
        self.store = store_threads or StoreThreads(default_threads(deps.engine))
        self.deps = deps
        self.conversations = conversations
        self.settings = settings
        self.support = support or SupportService(deps.engine, conversations, deps.orders)
        multilingual = deps.searcher.multilingual
        self.mood = Mood(encode=multilingual.embedder.encode if multilingual else None)
        self.moods = MoodBatcher(self.mood)
        self.turns = TurnStore(
            conversations,
            self.support.handoffs,
            history_messages=settings.history_messages,
            upset_threshold=self.support.settings.upset_threshold,
        )
        self.hops: TurnHops = hops or ThreadHops(self.turns, self.store)
        self._inflight: set[str] = set()
        # shared by every worker process on PostgreSQL (this process's memory on SQLite)
        self.leases = shared_leases(deps.engine)
        self.localizer = CardLocalizer(
            deps, idle=lambda: not self._inflight, enabled=deps.writing.translate_cards
        )

    async def start(self) -> None:
        """Start what the turns run on (store processes start now, not on a first turn)."""
        await self.hops.start()

    async def aclose(self) -> None:
        """Stop what the turns run on (a store process waits for its current hop)."""
        await self.hops.aclose()

    @asynccontextmanager
    async def _slot(self, conversation_id: str) -> AsyncIterator[str]:
        """One turn in flight per conversation; a second one is refused with BusyError.

        The lease is shared by every worker process on PostgreSQL; it expires after the
        turn time-out should this process die mid-turn.
        """
        busy = BusyError(
            "the assistant is still answering your previous message; "
            "send this one when it has finished"
        )
        if conversation_id in self._inflight:
            raise busy
        self._inflight.add(conversation_id)
        try:
            ttl = self.settings.turn_timeout_s + 30.0
            token = await self.leases.aacquire(conversation_id, ttl)
            if token is None:
                raise busy
            try:
                yield conversation_id
            finally:
                await self.leases.arelease(conversation_id, token)
        finally:
            self._inflight.discard(conversation_id)

    def _context(
        self, conversation_id: str, cleaned: str, reply_id: str, client: str
    ) -> RunContext[Deps]:
        """Return the tools' run context for one turn of ``conversation_id``."""
        return RunContext(
            deps=self.deps,
            conversation_id=conversation_id,
            user_message=cleaned,
            turn_id=reply_id,
            client=client,
        )

    def validate(self, text: object) -> str:
        """Return the cleaned message or raise MessageRejectedError with the reason."""
        if not isinstance(text, str):
            raise MessageRejectedError("message text must be a string")
        cleaned = text.strip()
        if not cleaned:
            raise MessageRejectedError("message is empty")
        if len(cleaned) > self.settings.max_message_chars:
            raise MessageRejectedError(
                f"message is {len(cleaned)} characters; the limit is "
                f"{self.settings.max_message_chars}"
            )
        return cleaned

    async def run_turn(
        self,
        conversation_id: str | None,
        text: object,
        *,
        emit: Emit = discard,
        message_id: str | None = None,
        client: str = "",
        check_replay: bool = True,
    ) -> TurnResult:
        """Run one turn. The shopper's message is stored before the LLM is called.

        A ``message_id`` that was already answered returns the stored reply (no new run);
        a second message while a turn is in flight is refused with BusyError.
        """
        started = time.perf_counter()
        cleaned = self.validate(text)
        # VADER and the frustration model, on a thread, batched with concurrent messages
        mood = await self.moods.read(cleaned)
        if mood.frustrated and self.deps.searcher.vocabulary.resolve_types(cleaned):
            mood = replace(mood, asks_for_product=True)  # "ugh … need a decent lamp"
        async with self._slot(conversation_id or new_id()) as conv_id:
            replay_id = message_id if check_replay else None
            opened = await self.hops.open(
                conv_id, cleaned, replay_id, mood, self._shop_words_language(cleaned)
            )
            conv, lang = opened.head, opened.lang
            if opened.replay is not None:
                return opened.replay
            if conv.status == "closed":
                await self.support.reopen(conv.id)
                opened = await self.hops.open_bot(conv, cleaned, lang, mood)
            elif conv.status in ("waiting_for_agent", "with_agent"):
                return await self._to_person(conv, cleaned, lang, emit, message_id, started, mood)
            if opened.upset:
                return await self._hand_over_upset(
                    conv.id, cleaned, lang, emit, message_id, client, started
                )
            assert opened.history is not None
            result = await self._run(
                conv.id,
                cleaned,
                self._localized(emit, lang),
                message_id,
                client,
                started,
                opened.history,
                frustrated=mood.frustrated,
                lang=lang,
            )
            if lang != "en" and result.cards:
                result.cards = await self.store.run(self._localize_dicts, result.cards, lang)
            result.lang = lang
            await self._after_turn(result, lang)
            return result

    async def _after_turn(self, result: TurnResult, lang: str) -> None:
        """Announce the turn to the console; escalate when the agent asked for it."""
        support = self.support
        if "transfer_to_human_agents" in result.tools_used:
            await support.escalated(result.conversation_id)
            result.handoff = "waiting_for_agent"
        elif result.escalate and await support.escalate(result.conversation_id, result.escalate):
            result.handoff = "waiting_for_agent"
        # the reply as finish stored it (no second read of the row just written)
        reply = Line(
            result.message_id,
            "assistant",
            result.reply,
            cards=result.cards,
            conversation_id=result.conversation_id,
        )
        await support.announce_message(reply, lang=lang)

    async def _hand_over_upset(
        self,
        conversation_id: str,
        cleaned: str,
        lang: str,
        emit: Emit,
        message_id: str | None,
        client: str,
        started: float,
    ) -> TurnResult:
        """Hand an upset shopper to a person at once, through the transfer tool.

        No model runs; code writes the one reply. The tool call is logged like any
        other, so the transcript, the console and evaluations show the transfer.
        """
        reply_id = message_id or new_id()
        reply = say("handoff_upset", lang)

        def store() -> Message:
            self.turns.bind_proposals(conversation_id, cleaned)
            return self.conversations.append(conversation_id, "user", cleaned)

        user = await self.store.run(store)
        await self.support.announce_message(user, lang=lang)
        await self.support.escalate(conversation_id, "upset")
        ctx = self._context(conversation_id, cleaned, reply_id, client)
        args = {"summary": "the shopper is upset"}
        done = await self.agent.registry.invoke("transfer_to_human_agents", args, ctx)
        log_entry = {"tool": "transfer_to_human_agents", "args": args, "feedback": done.for_llm()}
        await self.hops.finish(conversation_id, [log_entry], reply, reply_id, [])
        await emit(TokenEvent(reply))
        return TurnResult(
            conversation_id=conversation_id,
            message_id=reply_id,
            reply=reply,
            tools_used=["transfer_to_human_agents"],
            total_seconds=time.perf_counter() - started,
            handoff="waiting_for_agent",
            lang=lang,
        )

    async def _to_person(
        self,
        conv: ConversationHead,
        cleaned: str,
        lang: str,
        emit: Emit,
        message_id: str | None,
        started: float,
        mood: MoodReading | None = None,
    ) -> TurnResult:
        """While a person has (or is about to take) the chat, the bot does not answer it.

        The message is stored and shown to the console. An explicit yes to the proposal
        the agent just made executes it, exactly as the confirm button would. While no
        person has joined yet, code says one line that the message is with the team (no
        model runs), so the shopper is not left without a word; once a person has the
        chat, the bot says nothing.
        """
        if conv.status == "with_agent" and is_explicit_yes(cleaned):
            token = await self.store.run(self._agent_proposal, conv.id)
            if token is not None:
                await self.store.run(self.turns.bind_proposals, conv.id, None)
                return await self._confirm(conv.id, token, emit, message_id, started, said=cleaned)
        await self.store.run(self.deps.orders.void_stale, conv.id, keep_turn=None)
        msg = await self.store.run(self.conversations.append, conv.id, "user", cleaned)
        await self.store.run(
            self.support.handoffs.note_shopper,
            conv.id,
            lang=lang,
            sentiment=mood.score(lang) if mood else None,
        )
        await self.support.announce_message(msg, lang=lang)
        reply = ""
        if conv.status == "waiting_for_agent":
            reply = say("handoff_waiting", lang)
            await self.store.run(self.conversations.append, conv.id, "assistant", reply)
            await emit(TokenEvent(reply))
        return TurnResult(
            conversation_id=conv.id,
            message_id=message_id or new_id(),
            reply=reply,
            total_seconds=time.perf_counter() - started,
            handoff=conv.status,
            lang=lang,
        )

    def _agent_proposal(self, conversation_id: str) -> str | None:
        """Return the token of a pending proposal made in the agent's last message, if any."""
        last = self.conversations.messages(conversation_id, roles=("assistant", "agent"), last=1)
        if not last or last[0].role != "agent":
            return None
        return self.deps.orders.pending_in_turn(conversation_id, last[0].message_id)

    def _shop_words_language(self, text: str) -> str | None:
        """Return the one language the shop words of ``text`` belong to (``detect_language``)."""
        lexicon = getattr(self.deps.searcher, "lexicon", None)
        return lexicon.language_of(text) if lexicon is not None and lexicon.phrases else None

    def _localized(self, emit: Emit, lang: str) -> Emit:
        """Wrap ``emit`` so cards go out with the cached translations for ``lang``."""
        if lang == "en":
            return emit

        async def send(event: Any) -> None:
            if isinstance(event, CardsEvent):
                cards, missing = await self.store.run(self.localizer.localize, event.cards, lang)
                self.localizer.schedule(missing, lang)
                event = CardsEvent(cards)
            await emit(event)

        return send

    def _localize_dicts(self, cards: list[dict[str, Any]], lang: str) -> list[dict[str, Any]]:
        models = [ProductCard.model_validate(c) for c in cards]
        done, _missing = self.localizer.localize(models, lang)
        return [
            {**c, **d.model_dump(include={"locale", "localized_name", "localized_description"})}
            for c, d in zip(cards, done, strict=True)
        ]

    async def _run(
        self,
        conversation_id: str,
        cleaned: str,
        emit: Emit,
        message_id: str | None,
        client: str,
        started: float,
        stored: list[Line],
        *,
        frustrated: bool = False,
        lang: str = "",
    ) -> TurnResult:
        history = history_for_llm(stored)
        reply_id = message_id or new_id()
        ctx = self._context(conversation_id, cleaned, reply_id, client)
        ctx.frustrated, ctx.lang = frustrated, lang
        ctx.last_reply = next((ln.content for ln in reversed(stored) if ln.role == "assistant"), "")
        guarded = LinkGuard(emit, self.link_hosts)
        try:
            async with asyncio.timeout(self.settings.turn_timeout_s):
                final = await self.agent.run(history, cleaned, emit=guarded, ctx=ctx)
                await guarded.flush()
        except TimeoutError as exc:
            raise LLMUnavailableError(
                f"the turn did not finish within {self.settings.turn_timeout_s:.0f}s",
                code="llm_timeout",
            ) from exc
        # model text, review quotes, catalog text: links only to hosts the shop allows
        reply = strip_links(final.get("reply", ""), self.link_hosts)
        cards = final.get("cards", [])
        await self.hops.finish(
            conversation_id, list(final.get("tool_log", [])), reply, reply_id, cards
        )
        result = TurnResult(
            conversation_id=conversation_id,
            message_id=reply_id,
            reply=reply,
            cards=cards,
            tools_used=list(final.get("tools_used", [])),
            fallback=bool(final.get("fallback")),
            total_seconds=time.perf_counter() - started,
            llm_seconds=float(final.get("llm_seconds", 0.0)),
            proposal=final.get("proposal"),
            escalate=final.get("escalate"),
        )
        log_turn(result)
        return result

    async def confirm(
        self,
        conversation_id: str,
        token: object,
        *,
        emit: Emit = discard,
        message_id: str | None = None,
        client: str = "",
    ) -> TurnResult:
        """Execute a proposal from an explicit confirm action of the customer (a UI button).

        The customer's "yes" is stored as their message; the outcome is written by code.
        The order service enforces the rest: same conversation, later turn, unexpired, once.
        """
        started = time.perf_counter()
        if not isinstance(token, str) or not token.strip():
            raise MessageRejectedError("a confirm frame needs the proposal's token")
        conv = await self.store.run(self.conversations.ensure, conversation_id)
        async with self._slot(conv.id):
            replay = await self.store.run(self.turns.replay, conv.id, message_id)
            if replay is not None:
                return replay
            await self.store.run(self.turns.bind_proposals, conv.id, None)
            return await self._confirm(conv.id, token, emit, message_id, started)

    async def _confirm(
        self,
        conversation_id: str,
        token: str,
        emit: Emit,
        message_id: str | None,
        started: float,
        *,
        said: str = "yes",
    ) -> TurnResult:
        reply_id = message_id or new_id()
        yes = await self.store.run(self.conversations.append, conversation_id, "user", said)
        await self.support.announce_message(yes)
        orders = self.deps.orders
        actor = await self.store.run(orders.actor, conversation_id)
        done = await self.store.run(
            orders.confirm, conversation_id, actor, token.strip(), turn_id=reply_id
        )
        status = done.result.get("status")
        what = done.action.replace("_", " ")
        reply = (
            f"Done: {what}"
            + (f" — the order is now '{status}'." if status else ".")
            + (" (This was already done earlier; nothing changed now.)" if done.replayed else "")
        )
        await emit(TokenEvent(reply))
        stored = await self.store.run(
            self.conversations.append, conversation_id, "assistant", reply, message_id=reply_id
        )
        await self.support.announce_message(stored)
        return TurnResult(
            conversation_id=conversation_id,
            message_id=reply_id,
            reply=reply,
            tools_used=["confirm_action"],
            total_seconds=time.perf_counter() - started,
        )
