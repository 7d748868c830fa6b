"""One turn of the commands-and-flows assistant (``SHOP_AGENT__MODE=flows``).

1. Code reads what it can alone: language, an explicit yes/no to a pending proposal, a
   request for a person, a bare greeting (no model call at all for these).
2. Otherwise the model reads the message into one :class:`Command` (schema-constrained,
   short prompt, prefix-cached); code grounds it (identifiers and budgets must be typed).
3. A flow acts through the registry's tools and writes the reply from templates.

It returns the same state shape as the tool-loop agent, so the chat service, websocket,
history and evaluations treat both modes alike.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

import prompts
from assistant.errors import LLMBadResponseError, LLMUnavailableError
from assistant.events import Emit, TokenEvent
from assistant.flows import (
    account_flow,
    cart_both,
    cart_flow,
    cart_request,
    cart_swap,
    cart_view,
    dialogue,
    failures,
    identity,
    mood_flow,
    order_flows,
    recommend_flow,
    references,
    routing,
    search_flow,
    shown_flow,
    waiting_change,
    write_kinds,
    writing_flow,
)
from assistant.flows import understand as u
from assistant.flows.back_to import back_to_earlier
from assistant.flows.cart_kinds import picks_per_kind
from assistant.flows.cart_request import CartRequest
from assistant.flows.command import (
    Command,
    catalog_words,
    command_schema,
    from_reading,
    ground,
    merge,
    parse_command,
)
from assistant.flows.department import department_asked
from assistant.flows.follow_up import FollowUp
from assistant.flows.friendly import friendly_sentence
from assistant.flows.kit import TurnKit
from assistant.flows.replies import join, say, shop_currency
from assistant.flows.state import FlowState, StateStore
from assistant.llm.client import ChatModel
from assistant.nlu.message import Reading
from assistant.nlu.reader import Reader
from assistant.nlu.verify import change_said, intent_said
from catalog.errors import ShopError
from retrieval.query_parser import parse_query
from retrieval.vocabulary import CatalogVocabulary
from tools.deps import Deps, RunContext
from tools.registry import ToolRegistry

COMMAND_MAX_TOKENS = 96
# The trained reader's intent is taken without a model call at this probability or more.
READ_CONFIDENCE = 0.6
STREAM_WORDS = 4
# what a message naming a product by its model may ask without the model's help
_ABOUT_ONE = ("ask_product", "reviews", "compare", "cart", "search", "translate", "describe")


class FlowAgent:
    """Reads each message into one command and runs the matching flow in code."""

    def __init__(
        self,
        llm: ChatModel,
        registry: ToolRegistry,
        *,
        friendly_sentence: bool = False,
        repeated_failures: int = 2,
        read_confidence: float = READ_CONFIDENCE,
        use_reader: bool = True,
    ) -> None:
        """Use ``llm`` to read messages into commands.

        With ``friendly_sentence`` the model also adds one sentence after code's reply,
        shown only if the verifier passes it.
        """
        self.llm = llm
        self.registry = registry
        self.system_prompt = prompts.load("command")
        self.schema = command_schema()
        self.friendly_sentence = friendly_sentence
        self.repeated_failures = repeated_failures
        self.rejected_sentences = 0
        self.read_confidence = read_confidence
        self.use_reader = use_reader
        self._reader: Reader | None = None
        self._words: tuple[object, frozenset[str]] = (None, frozenset())

    def prompt(self, state: FlowState, text: str) -> list[dict[str, str]]:
        """Return the fixed instructions first (cached), then code's summary of the state."""
        context = []
        if state.search.get("product"):
            context.append(f"last search: {state.search['product']}")
        if state.shown:
            context.append(f"{len(state.shown)} products shown")
        if state.pending:
            context.append("a change is waiting for the shopper's yes")
        if state.intent:
            context.append(f"you asked the shopper for details of: {state.intent.get('action')}")
        head = f"[{'; '.join(context)}]\n" if context else ""
        return [
            {"role": "system", "content": self.system_prompt},
            {"role": "user", "content": f"{head}{text}"},
        ]

    def reader(self, deps: Deps) -> Reader | None:
        """Return the trained reader over the shop's current lexicon (None if not installed)."""
        searcher = deps.searcher
        lexicon = getattr(searcher, "lexicon", None)
        if not self.use_reader or lexicon is None or not lexicon.phrases:
            return None
        if self._reader is None:
            encoder = searcher.multilingual.embedder.encode if searcher.multilingual else None
            try:
                self._reader = Reader(lexicon, encode=encoder)
            except (FileNotFoundError, OSError):
                return None
        elif self._reader.lexicon is not lexicon:
            self._reader = self._reader.with_lexicon(lexicon)
        return self._reader

    async def read(
        self,
        state: FlowState,
        text: str,
        vocab: CatalogVocabulary | None = None,
        reading: Reading | None = None,
        *,
        follows: bool = False,
        names_model: bool = False,
    ) -> tuple[Command, float]:
        """Code's fast paths, then the trained reader; the model only when it is unsure.

        ``follows``: the message operates on the shown products (the dialogue manager
        decided it from the reading), so the reading is used whatever its confidence.
        ``names_model``: it names a product by its model ("the nimbus summit 1"), words
        the reader never learnt, so a question about a product is read as one.
        """
        if mood_flow.accepts_offer(state, text):
            return Command(action="handoff"), 0.0
        if u.is_yes(text, order_flows.waiting_summary(state)) and (
            state.pending or not (reading and (reading.email or reading.zip))
        ):
            return Command(action="confirm"), 0.0
        again = (
            waiting_change.restated(state, text, state.lang)
            if u.is_no(text) or waiting_change.corrected_zip(state, text)
            else None
        )
        if again is not None:
            # "it's #W…, I don't need it anymore": the same change again, waiting for a yes
            return Command(action="start_write", write=again[0], order_id=again[1]), 0.0
        if waiting_change.narrows(state, reading) and reading is not None:
            # "ok only the grey one, not the navy one": the waiting change, fewer items
            return from_reading(reading).model_copy(update={"action": "start_write"}), 0.0
        if state.pending and (u.is_no(text) or (reading and reading.intent == "deny")):
            return Command(action="deny"), 0.0
        if u.wants_human(text):
            return Command(action="handoff"), 0.0
        if reading is not None and writing_flow.rewrite_asked(
            state, text, reading.lang, reading.product_words
        ):
            return from_reading(reading), 0.0  # "make it funnier" right after a text
        if u.is_greeting(text):
            return Command(action="smalltalk"), 0.0
        sure = reading is not None and (
            reading.confidence >= self.read_confidence
            or reading.settled
            or change_said(reading)
            or intent_said(reading)
        )
        waiting = (state.intent or {}).get("action") in ("order_status", "start_write", "recommend")
        typed = reading is not None and bool(reading.email or (reading.name and reading.zip))
        if reading is not None and typed and (waiting or not sure):
            # "sure, it's ann@x.com" after "please sign in", or "hallo, ich bin Emma Lopez,
            # plz 02233. wo bleibt …" that the intent head is unsure of: the identity was
            # typed, so the sign-in is read in code (and the words after it on their own)
            return from_reading(reading).model_copy(update={"action": "authenticate"}), 0.0
        if reading is not None and routing.asks_order_total(state, reading):
            # "und was hat das zusammen gekostet" right after its status: that order
            return from_reading(reading).model_copy(update={"action": "order_status"}), 0.0
        by_product = routing.order_by_product(reading, text)
        if reading is not None and not sure and by_product:
            # "has the kettle i ordered shipped?": an order named by a product in it
            return from_reading(reading).model_copy(update={"action": by_product}), 0.0
        answers = (
            routing.answers_write(state, reading)
            or routing.answers_which_order(state, reading) is not None
            or routing.about_waiting_order(state, reading)
        )
        about_model = names_model and reading is not None and reading.intent in _ABOUT_ONE
        if reading is not None and (sure or follows or answers or about_model):
            return from_reading(reading), 0.0
        direct = self._plain_search(state, text, vocab)
        if direct is not None:
            return merge(direct, reading) if reading else direct, 0.0
        started = time.perf_counter()
        raw = await self.llm.complete(
            self.prompt(state, text), json_schema=self.schema, max_tokens=COMMAND_MAX_TOKENS
        )
        seconds = time.perf_counter() - started
        cmd = parse_command(raw) or Command(action="smalltalk")
        said = parse_query(text)
        grounded = ground(
            cmd, text, (said.min_price, said.max_price), catalog_words=self._catalog_words(vocab)
        )
        return (merge(grounded, reading) if reading else grounded), seconds

    def _catalog_words(self, vocab: CatalogVocabulary | None) -> frozenset[str]:
        """Return the catalog's type and feature word stems (cached per vocabulary)."""
        if vocab is None:
            return frozenset()
        if self._words[0] is not vocab:
            self._words = (vocab, catalog_words(vocab.features_by_type))
        return self._words[1]

    @staticmethod
    def _plain_search(
        state: FlowState, text: str, vocab: CatalogVocabulary | None
    ) -> Command | None:
        """Read a plain English product search in code, without a model call.

        A message that names a catalog type and nothing about an account is a search code
        can read by itself (types, features, options, budget, sort), so cards come at once.
        """
        if vocab is None or state.lang != "en" or state.pending or state.intent:
            return None
        if u.email_in(text) or u.order_ids_in(text) or write_kinds.write_kind_in(text):
            return None
        types = vocab.resolve_types(text)
        if not types:
            return None
        product = types[0].lower() if len(types) == 1 else text
        return Command(action="search", product=product, words=product)

    async def run(
        self, history: list[dict[str, str]], user_text: str, *, emit: Emit, ctx: RunContext[Deps]
    ) -> dict[str, Any]:
        """Run one turn; returns reply, cards, tools used and their log, timings."""
        shop_currency.set(ctx.deps.currency)
        store = StateStore(ctx.deps.engine)
        state = store.load(ctx.conversation_id)
        state.turn += 1
        reader = self.reader(ctx.deps)
        # decided once per turn by the chat service; a direct caller gets the same rule
        lang = ctx.lang or u.detect_language(
            user_text,
            default=state.lang,
            settled=state.turn > 1,
            shop_words=reader.lexicon.language_of(user_text) if reader else None,
        )
        state.lang = lang
        kit = TurnKit(self.registry, ctx, emit, state=state)
        llm_seconds = 0.0
        fallback = False
        escalate: str | None = None
        proposal: dict[str, str] | None = None
        action = "unread"
        try:
            shown = sorted(dialogue.shown_types(kit, state))
            kit.reading = reader.read(user_text, lang, shown) if reader else None
            identity.remember_identity(state, user_text, kit.reading)
            rest = back_to_earlier(kit, state)
            if rest and reader is not None:
                # "going back to the tents from before. the cheapest…": what follows the
                # kind is read on its own, against the list put back
                shown = sorted(dialogue.shown_types(kit, state))
                kit.reading = reader.read(rest, lang, shown)
            references.model_numbers_are_no_sizes(kit)
            kinds = dialogue.shown_types(kit, state)  # (after any return to an earlier list)
            cart = cart_request.request_of(kit.reading, state, kinds)
            swap = cart_swap.swap_parts(kit, state)  # "anzi no, cambialo con il secondo"
            if swap:
                cart = CartRequest(op="add", quantities=[], parts=swap)
            elif cart is not None and cart.op == "add":
                # "von den Scheren die billigste und vom Hochbeet das günstigere"
                each = picks_per_kind(kit.reading, kinds, ctx.deps.searcher.lexicon.type_category)
                cart = CartRequest(op="add", quantities=[], parts=each) if each else cart
            if cart is not None and (
                routing.order_by_product(kit.reading, user_text)
                or routing.asks_after_order(state, kit.reading)
                or routing.asks_order_total(state, kit.reading)
                or routing.about_waiting_order(state, kit.reading)
                or routing.answers_which_order(state, kit.reading) is not None
            ):
                # "i ordered the dog bed in brown …", "… has that one gone out?", "sì quello
                # con lo zaino rosso" while its cancellation waits
                cart = None
            rewrite = kit.reading is not None and writing_flow.rewrite_asked(
                state, user_text, lang, kit.reading.product_words
            )  # "make it funnier" right after a text: about the text, not the products
            follow = None if cart or rewrite else dialogue.follow_up_of(kit, state)
            if cart is not None and kit.reading is not None:
                cmd = from_reading(kit.reading).model_copy(update={"action": "cart"})
            else:
                cmd, llm_seconds = await self.read(
                    state,
                    user_text,
                    ctx.deps.searcher.vocabulary,
                    kit.reading,
                    follows=follow is not None,
                    names_model=bool(ctx.deps.searcher.models.named(user_text)),
                )
            asks = user_text.rstrip().endswith("?") and not state.pending
            if cmd.action == "handoff" or (cmd.action in ("confirm", "deny") and not asks):
                follow = None  # ("ok and what is it for?" with nothing waiting asks about it)
            if kit.reading is not None:
                ctx.said_budget = (cmd.min_price, cmd.max_price)
            action = cmd.action
            shown_before, search_before = list(state.shown), dict(state.search)
            reply = await self._dispatch(kit, state, cmd, user_text, lang, follow, cart)
            if state.search.get("type_query") != search_before.get("type_query"):
                state.keep_earlier(search_before, shown_before)  # another kind searched
            if state.shown != shown_before:
                state.focus = [pid for pid in state.focus if pid in state.shown]
                state.weighed = [pid for pid in state.weighed if pid in state.shown]
        except (LLMUnavailableError, LLMBadResponseError):
            fallback, escalate = True, "llm_unavailable"
            reply = say("unavailable_handoff", lang)
        except ShopError:
            fallback = True
            reply = say("unavailable", lang)
        if escalate is None and failures.count_failure(
            state, action, reply, kit, lang, limit=self.repeated_failures
        ):
            escalate = "repeated_failure"
            reply = f"{reply} {say('handoff_repeated', lang)}"
        if ctx.frustrated:
            reply = mood_flow.acknowledge(kit, state, reply, lang, action, escalate is not None)
        if state.pending and state.pending.get("turn") == state.turn:
            proposal = {
                "token": str(state.pending["token"]),
                "summary": str(state.pending["summary"]),
            }
        recommend_flow.remember_viewed(state, [str(c["id"]) for c in kit.cards])
        if self.friendly_sentence and not fallback:
            extra, seconds = await friendly_sentence(
                self.llm,
                reply,
                lang,
                kit,
                tool_names=self.registry.names(),
                prompt_text=self.system_prompt,
            )
            llm_seconds += seconds
            self.rejected_sentences += extra is None
            reply = f"{reply} {extra}" if extra else reply
        store.save(ctx.conversation_id, state)
        # Stream code's reply in small pieces, like model text, so every client renders
        # replies of both modes the same way.
        words = reply.split(" ")
        for start in range(0, len(words), STREAM_WORDS):
            piece = " ".join(words[start : start + STREAM_WORDS])
            await emit(TokenEvent(piece if start == 0 else " " + piece))
            await asyncio.sleep(0)
        return {
            "reply": reply,
            "cards": kit.cards,
            "tools_used": kit.tools_used,
            "tool_log": kit.tool_log,
            "llm_seconds": llm_seconds,
            "fallback": fallback,
            "proposal": proposal,
            "escalate": escalate,
        }

    async def _dispatch(
        self,
        kit: TurnKit,
        state: FlowState,
        cmd: Command,
        text: str,
        lang: str,
        fu: FollowUp | None = None,
        cart: CartRequest | None = None,
    ) -> str:
        if cart is not None:
            order_flows.void_pending(kit, state)
            parts = cart.parts or (cart_both.both_asked(kit, state) if not cart.answer else None)
            if parts:  # "add those too, and take the knife out"
                shown = dialogue.shown_types(kit, state)
                return await cart_both.run_parts(kit, state, parts, shown, cart_flow.run)
            return await cart_flow.run(kit, state, cart, text, lang)
        if fu is not None:
            order_flows.void_pending(kit, state)
            return await dialogue.on_shown(kit, state, fu, cmd, text, lang)
        action = routing.route(cmd, state, text, kit.ctx.deps.searcher.vocabulary, kit.reading)
        if action == "search" and cmd.action == "reviews":
            cmd = cmd.model_copy(update={"sort": "rating"})  # "which … has the best reviews?"
        if action in ("search", "refine", "reviews") and routing.asks_about_model(
            kit.reading, kit.ctx.deps.searcher.models.named(text)
        ):
            action = "ask_product"  # "welche farben gibts bei der nimbus summit 1?"
        if kit.ctx.frustrated and mood_flow.complaint_only(action, text):
            return ""  # a complaint, not a search: the reply is sorry and a person's offer
        if action not in ("authenticate", "order_status", "start_write", "handoff") and (
            identity.has_identity(text, cmd, kit.state)
        ):
            # "I'm Ann Lee, zip 12345. Could you recommend …": verify first, then go on.
            ok, said = await identity.authenticate(kit, cmd, text, lang)
            rest = await self._act(kit, state, cmd, text, lang, action)
            return f"{said} {rest}".strip() if ok else said
        return await self._act(kit, state, cmd, text, lang, action)

    async def _act(
        self, kit: TurnKit, state: FlowState, cmd: Command, text: str, lang: str, action: str
    ) -> str:
        if action == "nothing_to_confirm" and state.pending and "?" in text:
            # "before you do it - the money goes back on my amex right?": no yes yet, and
            # no new request; the change stays waiting, restated with where the money goes
            return await order_flows.restate_waiting(kit, state, lang)
        if action == "start_write":
            waiting_change.continue_waiting(state, text, lang)
        if action not in ("confirm",):
            order_flows.void_pending(kit, state)
        if action == "confirm":
            return await order_flows.confirm(kit, state, text, lang)
        if action == "nothing_to_confirm":
            return say("nothing_to_confirm", lang)
        if action in ("deny", "declined"):
            state.intent = None
            return say("declined", lang)
        if action == "handoff":
            await kit.call("transfer_to_human_agents", summary=self._handoff_summary(state))
            return say("handoff", lang)
        if action in ("search", "refine"):
            return await search_flow.search(kit, state, cmd, text, lang, refine=action == "refine")
        if action == "ask_product":
            return await shown_flow.ask_product(kit, state, cmd, text, lang)
        if action == "compare":
            return await shown_flow.compare(kit, state, cmd, text, lang)
        if action in ("authenticate", "order_status", "start_write"):
            return await account_flow.account(
                kit, state, cmd, text, lang, action, act=self._act, reader=self.reader
            )
        if action == "recommend":
            return await recommend_flow.recommend(kit, state, cmd, text, lang)
        if action == "cart" and (cmd.product or (kit.reading and kit.reading.products)):
            # a cart request the cues could not place, naming a product: a search for it
            return await search_flow.search(kit, state, cmd, text, lang)
        if action == "cart":  # the model read a cart request the cues could not place
            return await cart_view.view(kit, state, lang)
        if action == "translate":
            return await writing_flow.translate(kit, state, cmd, text, lang)
        if action == "describe":
            return await writing_flow.describe(kit, state, cmd, text, lang)
        if action == "rewrite":
            return await writing_flow.rewrite(kit, state, text, lang)
        if action == "reviews":
            return await writing_flow.reviews(kit, state, cmd, text, lang)
        if action == "capabilities" and (asked := department_asked(kit.reading)) is not None:
            # "what kinda gardening stuff do you carry?": that department's kinds and cards
            return await search_flow.department(kit, state, asked, cmd, lang)
        if action == "capabilities":
            categories = sorted(set(kit.ctx.deps.searcher.categories.values()))
            sold = say("we_sell", lang, categories=join(categories, lang)) if categories else ""
            return f"{say('capabilities', lang)} {sold}".strip()
        if action == "out_of_scope":
            return say("out_of_scope", lang)
        return say("greeting", lang)

    @staticmethod
    def _handoff_summary(state: FlowState) -> str:
        wanted = state.search.get("product") if state.search else None
        return f"shopper asked for a person; last search: {wanted or 'none'}"
