"""Run scenarios against the real assistant, through the chat service the websocket uses.

Every scenario trial gets its own fresh copy of the store; turns go through
:meth:`ChatService.run_turn` (the code path of a shopper's websocket message), and what
happened is read back from the store: stored tool steps, audit rows, conversation state.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select
from tqdm import tqdm

from assistant.bootstrap import build_agent, start_llm, warm_llm
from assistant.chat_service import ChatService
from assistant.conversations import ConversationStore, new_id
from assistant.events import AgentEvent, CardsEvent, TokenEvent, TurnAgent
from assistant.llm.client import ChatModel
from assistant.llm.local_server import EmbeddedLlamaServer
from assistant.llm.usage import metering
from assistant.settings import Settings
from catalog.carts import CartService
from catalog.conversations import Conversation
from catalog.errors import ShopError
from catalog.orders.records import AuditLog, PendingAction
from catalog.orders.service import OrderService
from catalog.signing import sign_customer_token
from evals import checks
from evals.facts import StoreFacts, purchased_products
from evals.fixtures import ResolvedScenario, StoreIndex, resolve
from evals.grader import diff_documents, replay_actions, store_document, store_hash
from evals.invariants import PromptFingerprint, check_invariants
from evals.records import CheckResult, ScenarioRun, ToolCall, TurnRecord, WriteRecord
from evals.scenario import Scenario
from evals.stores import EvalStore
from tools.deps import Deps

EVAL_TOKEN_SECRET = "eval-harness-customer-token-secret"  # signs `signed_in` customers


@dataclass
class EvalContext:
    """What every scenario run shares: settings, template store, LLM, agent, facts."""

    settings: Settings
    store: EvalStore
    llm: ChatModel
    agent: TurnAgent
    facts: StoreFacts
    index: StoreIndex
    prompt: PromptFingerprint
    tool_names: list[str] = field(default_factory=list)

    @classmethod
    def create(
        cls, settings: Settings, store: EvalStore, llm: ChatModel, agent: TurnAgent
    ) -> EvalContext:
        """Read the template's facts once and fingerprint the prompts."""
        engine = store.searcher.engine
        return cls(
            settings=settings,
            store=store,
            llm=llm,
            agent=agent,
            facts=StoreFacts.load(engine),
            index=StoreIndex.load(engine),
            prompt=PromptFingerprint.from_prompts([agent.system_prompt]),
            tool_names=agent.registry.names(),
        )


@contextmanager
def eval_session(
    settings: Settings, store: EvalStore
) -> Iterator[tuple[EvalContext, EmbeddedLlamaServer | None]]:
    """Start the LLM (embedded or ``settings.llm.base_url``) and the shared eval context.

    The embedded server is stopped and the scenario copies are deleted on the way out.
    """
    llm, embedded = start_llm(settings)
    try:
        agent = build_agent(settings, llm, every_identity=True)
        if embedded is not None:
            warm_llm(llm, agent)
        yield EvalContext.create(settings, store, llm, agent), embedded
    finally:
        if embedded is not None:
            embedded.stop()
        store.cleanup()


def _aware(ts: datetime) -> datetime:
    return ts if ts.tzinfo else ts.replace(tzinfo=UTC)


def _writes_since(
    engine: Engine, conversation_id: str, after_pk: int, started: datetime
) -> tuple[list[WriteRecord], int]:
    with Session(engine) as session:
        rows = list(
            session.exec(
                select(AuditLog)
                .where(col(AuditLog.conversation_id) == conversation_id)
                .where(col(AuditLog.pk) > after_pk)
                .order_by(col(AuditLog.pk))
            )
        )
        out = []
        for row in rows:
            pending = session.get(PendingAction, row.token)
            earlier = pending is not None and _aware(pending.created_at) < started
            out.append(
                WriteRecord(action=row.action, args=dict(row.args), proposed_earlier=earlier)
            )
        last = max([after_pk, *[r.pk or 0 for r in rows]])
    return out, last


def _state(engine: Engine, conversation_id: str) -> tuple[bool, bool]:
    with Session(engine) as session:
        conv = session.get(Conversation, conversation_id)
        return (
            bool(conv and conv.user_id),
            bool(conv and conv.status in ("waiting_for_agent", "with_agent")),
        )


async def run_turn_recorded(
    chat: ChatService,
    conversations: ConversationStore,
    engine: Engine,
    conversation_id: str,
    index: int,
    text: str,
    audit_pk: int,
) -> tuple[TurnRecord, int]:
    """Run one shopper message through the chat service and record what happened.

    Returns the record (reply, cards, tools, writes since ``audit_pk``, state, timings,
    tokens) and the newest audit row id, for the next turn.
    """
    record = TurnRecord(index=index, user=text)
    before = len(
        await asyncio.to_thread(
            conversations.messages, conversation_id, roles=("user", "assistant", "tool")
        )
    )
    started_at = datetime.now(UTC)
    started = time.perf_counter()

    async def emit(event: AgentEvent) -> None:
        now = time.perf_counter() - started
        if isinstance(event, TokenEvent) and record.ttft_s is None and event.text.strip():
            record.ttft_s = round(now, 3)
        if isinstance(event, CardsEvent) and record.ttfc_s is None and event.cards:
            record.ttfc_s = round(now, 3)

    with metering() as usage:
        try:
            result = await chat.run_turn(conversation_id, text, emit=emit, message_id=new_id())
            record.reply, record.cards = result.reply, list(result.cards)
            record.llm_seconds = round(result.llm_seconds, 3)
        except ShopError as exc:
            record.error = f"{exc.type}: {exc.message}"
    record.seconds = round(time.perf_counter() - started, 3)
    record.tokens_in, record.tokens_out = usage.prompt_tokens, usage.completion_tokens
    stored = await asyncio.to_thread(
        conversations.messages, conversation_id, roles=("user", "assistant", "tool")
    )
    for m in stored[before:]:
        if m.role == "tool":
            data = json.loads(m.content) if m.content.startswith("{") else {}
            record.tools.append(
                ToolCall(
                    name=m.name or "",
                    args=dict(data.get("args") or {}),
                    result=str(data.get("feedback", "")),
                )
            )
    record.writes, audit_pk = _writes_since(engine, conversation_id, audit_pk, started_at)
    record.authenticated, record.escalated = _state(engine, conversation_id)
    cart = await asyncio.to_thread(CartService(engine).view, conversation_id)
    record.cart = cart.model_dump(mode="json")
    return record, audit_pk


def _grade_turn(
    ctx: EvalContext,
    scenario: Scenario,
    turn: TurnRecord,
    seen: checks.Seen,
    bought: set[str],
    typed: str,
    authenticated_before: bool,
) -> None:
    expect = scenario.turns[turn.index].expect
    out: list[CheckResult] = []
    if turn.error:
        out.append(CheckResult(check="turn.error", ok=False, detail=turn.error))
    out += checks.check_tools(expect, turn)
    if expect.cards is not None:
        out += checks.check_cards(expect.cards, turn, ctx.facts, bought)
    if expect.reply is not None:
        out += checks.check_reply(expect.reply, turn, seen, ctx.facts)
    out += checks.check_state(expect, turn)
    out += checks.check_cart(expect, turn)
    out += check_invariants(
        turn,
        tool_names=ctx.tool_names,
        prompt=ctx.prompt,
        facts=ctx.facts,
        typed_so_far=typed,
        authenticated_before=authenticated_before,
    )
    turn.checks = [c.model_copy(update={"turn": turn.index}) for c in out]


def _grade_final(
    ctx: EvalContext, resolved: ResolvedScenario, run: ScenarioRun, engine: Engine
) -> list[CheckResult]:
    final = resolved.scenario.final
    if final is None:
        return []
    out: list[CheckResult] = []
    total = sum(len(t.writes) for t in run.turns)
    if final.writes is not None:
        out.append(
            CheckResult(
                check="final.writes",
                ok=total == final.writes,
                detail=f"{total} writes, expected {final.writes}",
            )
        )
    if final.actions is not None:
        expected_engine = ctx.store.fresh(f"{run.id}-expected")
        try:
            user_id = resolved.user.id if resolved.user else None
            replay = replay_actions(
                expected_engine, user_id, [a.model_dump() for a in final.actions]
            )
            ours = store_hash(engine)
            ok = not replay.refused and ours == replay.hash
            detail = "store matches the expected actions"
            if replay.refused:
                detail = f"expected actions refused by the policy: {replay.refused}"
            elif not ok:
                detail = "; ".join(
                    diff_documents(store_document(engine), store_document(expected_engine), limit=6)
                )
            out.append(CheckResult(check="final.actions", ok=ok, detail=detail))
        finally:
            expected_engine.dispose()
    return out


async def run_scenario(
    ctx: EvalContext, file: str, scenario: Scenario, trial: int = 0
) -> ScenarioRun:
    """Run one trial of ``scenario`` on a fresh store copy and grade every check."""
    run = ScenarioRun(
        id=scenario.id, file=file, tags=list(scenario.tags), trial=trial, customer=None
    )
    started = time.perf_counter()
    engine = ctx.store.fresh(f"{scenario.id}-t{trial}")
    try:
        resolved = resolve(scenario, ctx.index)
        run.customer = resolved.user.id if resolved.user else None
        deps = Deps(
            engine=engine,
            searcher=ctx.store.searcher.bound_to(engine),
            orders=OrderService(
                engine, identity=scenario.identity, customer_token_secret=EVAL_TOKEN_SECRET
            ),
            llm=ctx.llm,
            recs=ctx.store.recs.bound_to(engine),
            # card translation runs between turns; a scenario measures only its turns
            writing=ctx.settings.writing.model_copy(update={"translate_cards": False}),
            model_name=ctx.settings.llm.model,
        )
        conversations = ConversationStore(engine)
        chat = ChatService(ctx.agent, deps, conversations, ctx.settings.agent)
        conv = await asyncio.to_thread(conversations.ensure, None)
        if resolved.scenario.signed_in and resolved.user is not None:
            # The shop's own login: the widget arrives with a customer token its backend signed.
            token = sign_customer_token(EVAL_TOKEN_SECRET, resolved.user.id)
            await asyncio.to_thread(deps.orders.authenticate_token, conv.id, token)
        bought = await asyncio.to_thread(purchased_products, engine, run.customer)
        seen, typed, audit_pk, authed = checks.Seen(), "", 0, False
        for i, turn in enumerate(resolved.scenario.turns):
            record, audit_pk = await run_turn_recorded(
                chat, conversations, engine, conv.id, i, turn.user, audit_pk
            )
            typed += "\n" + turn.user
            seen.add_turn(record)
            _grade_turn(ctx, resolved.scenario, record, seen, bought, typed, authed)
            authed = record.authenticated
            run.turns.append(record)
        run.final_checks = _grade_final(ctx, resolved, run, engine)
        run.passed = all(c.ok for c in run.all_checks())
    except ShopError as exc:
        run.error = f"{exc.type}: {exc.message}"
        run.passed = False
    except Exception as exc:  # a bug in one scenario must not lose the others' results
        run.error = f"internal error: {type(exc).__name__}: {exc}"
        run.passed = False
    finally:
        engine.dispose()
        run.seconds = round(time.perf_counter() - started, 3)
    return run


async def run_all(
    ctx: EvalContext,
    scenarios: list[tuple[str, Scenario]],
    *,
    trials: int = 1,
    concurrency: int = 1,
    sink: list[ScenarioRun] | None = None,
    progress: bool = True,
    on_run: Callable[[ScenarioRun], None] | None = None,
) -> list[ScenarioRun]:
    """Run every scenario ``trials`` times, ``concurrency`` at once; results go to ``sink``.

    ``sink`` fills as runs finish, so a caller interrupted by Ctrl-C still has every
    finished run for a partial report.
    """
    results = sink if sink is not None else []
    gate = asyncio.Semaphore(max(1, concurrency))
    jobs = [(f, s, t) for t in range(trials) for f, s in scenarios]
    bar = tqdm(total=len(jobs), desc="Scenarios", unit="run", disable=not progress)

    async def one(file: str, scenario: Scenario, trial: int) -> None:
        async with gate:
            run = await run_scenario(ctx, file, scenario, trial)
        results.append(run)
        bar.set_postfix(passed=sum(r.passed for r in results), refresh=False)
        bar.update(1)
        if on_run is not None:
            on_run(run)

    try:
        await asyncio.gather(*(one(f, s, t) for f, s, t in jobs))
    finally:
        bar.close()
    return results
