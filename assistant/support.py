"""The support side of a conversation: escalation, takeover, agent replies, hand-back, CSAT.

Every step goes through :class:`catalog.handoffs.Handoffs` (the state machine in code) and
is announced on the event bus: ``conv:<id>`` for the shopper's widget, ``console`` for the
agents' queue and open chats. Messages are stored before they are announced, so a client
that reconnects loses nothing. Order actions an agent starts are *proposals* through the
same order service; only the customer's yes executes them, and the audit row names the
staff member who proposed.
"""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any

from sqlalchemy.engine import Engine

from assistant.action_args import strict_action_args
from assistant.conversations import ConversationStore, Line, new_id
from assistant.settings import SupportSettings
from catalog.bus import EventBus, MemoryBus
from catalog.conversations import Conversation, Message
from catalog.errors import HandoffConflictError, InvalidInputError
from catalog.handoffs import Handoffs, Transition
from catalog.orders.service import OrderService
from catalog.staff import Staff, StaffStore

CONSOLE = "console"
MAX_AGENT_MESSAGE = 4000


def shopper_topic(conversation_id: str) -> str:
    """Return the bus topic the shopper's widget listens to."""
    return f"conv:{conversation_id}"


class SupportService:
    """Runs the handoff steps and announces them; shared by the chat service and console."""

    def __init__(
        self,
        engine: Engine,
        conversations: ConversationStore,
        orders: OrderService,
        *,
        bus: EventBus | None = None,
        settings: SupportSettings | None = None,
    ) -> None:
        """Wire the service; the bus defaults to the in-process one."""
        self.engine = engine
        self.conversations = conversations
        self.orders = orders
        self.bus: EventBus = bus or MemoryBus()
        self.settings = settings or SupportSettings()
        self.handoffs = Handoffs(engine)
        self.staff = StaffStore(
            engine, session_ttl=timedelta(hours=self.settings.staff_session_hours)
        )

    # ------------------------------------------------------------------ announcements
    async def _announce(self, step: Transition, *, name: str = "", note: str = "") -> None:
        cid = step.conversation_id
        await self.bus.publish(
            shopper_topic(cid), "handoff", {"state": step.to_state, "name": name}
        )
        await self.bus.publish(
            CONSOLE,
            "state",
            {
                "conversation_id": cid,
                "from": step.from_state,
                "state": step.to_state,
                "agent_id": step.agent_id,
                "name": name,
                "note": note,
            },
        )

    async def announce_message(self, message: Message | Line, *, lang: str | None = None) -> None:
        """Tell the console about a stored shopper, bot, agent or action message."""
        await self.bus.publish(
            CONSOLE,
            "message",
            {
                "conversation_id": message.conversation_id,
                "message_id": message.message_id,
                "role": message.role,
                "name": message.name or "",
                "text": message.content,
                "lang": lang or "",
            },
        )

    # ------------------------------------------------------------------ shopper side
    async def escalate(self, conversation_id: str, reason: str, *, actor: str = "bot") -> bool:
        """Move bot → waiting_for_agent and announce it; False if it was not with the bot."""
        try:
            step = await asyncio.to_thread(
                self.handoffs.escalate, conversation_id, reason, actor=actor
            )
        except HandoffConflictError:
            return False
        await self._announce(step)
        return True

    async def escalated(self, conversation_id: str) -> None:
        """Announce an escalation a tool already made (``transfer_to_human_agents``)."""
        conv = await asyncio.to_thread(self.handoffs.state, conversation_id)
        if conv.status == "waiting_for_agent":
            await self._announce(Transition(conversation_id, "bot", "waiting_for_agent", None))

    async def reopen(self, conversation_id: str) -> None:
        """Move closed → bot when the shopper writes again."""
        step = await asyncio.to_thread(self.handoffs.reopen, conversation_id)
        if step is not None:
            await self._announce(step)

    async def shopper_typing(self, conversation_id: str, on: bool) -> None:
        """Show the agent that the shopper is typing (expires on its own after 6 s)."""
        await self.bus.publish(
            CONSOLE, "typing", {"conversation_id": conversation_id, "who": "shopper", "on": on}
        )

    async def rate(self, conversation_id: str, rating: int, comment: str = "") -> None:
        """Store the shopper's CSAT for the closed chat and tell the console.

        :meth:`catalog.handoffs.Handoffs.rate` checks the rating (1–5, closed chats only).
        """
        row = await asyncio.to_thread(self.handoffs.rate, conversation_id, rating, comment)
        await self.bus.publish(
            CONSOLE,
            "csat",
            {"conversation_id": conversation_id, "rating": row.rating, "comment": row.comment},
        )

    # ------------------------------------------------------------------ agent side
    def _holding(self, conversation_id: str, staff: Staff) -> Conversation:
        conv = self.handoffs.state(conversation_id)
        if conv.status != "with_agent" or conv.agent_id != staff.id:
            raise HandoffConflictError("take the conversation before you act in it")
        return conv

    async def take(self, conversation_id: str, staff: Staff) -> None:
        """Take the conversation (from the queue, or from the bot); one agent wins."""
        step = await asyncio.to_thread(self.handoffs.take, conversation_id, staff.id)
        await self._announce(step, name=staff.name)

    async def reply(self, conversation_id: str, staff: Staff, text: str) -> Message:
        """Store the agent's message and stream it to the shopper."""
        text = (text or "").strip()
        if not text:
            raise InvalidInputError("the message is empty")
        if len(text) > MAX_AGENT_MESSAGE:
            raise InvalidInputError(f"the message is longer than {MAX_AGENT_MESSAGE} characters")

        def store() -> Message:
            self._holding(conversation_id, staff)
            return self.conversations.append(conversation_id, "agent", text, name=staff.name)

        msg = await asyncio.to_thread(store)
        await self.bus.publish(
            shopper_topic(conversation_id),
            "agent_message",
            {"message_id": msg.message_id, "text": msg.content, "name": staff.name},
        )
        await self.announce_message(msg)
        return msg

    async def agent_typing(self, conversation_id: str, staff: Staff, on: bool) -> None:
        """Show the shopper that the agent is typing (expires on its own after 6 s)."""
        await asyncio.to_thread(self._holding, conversation_id, staff)
        await self.bus.publish(
            shopper_topic(conversation_id), "typing", {"on": bool(on), "name": staff.name}
        )

    async def hand_back(self, conversation_id: str, staff: Staff, note: str = "") -> None:
        """Give the conversation back to the bot, with a note for the record."""
        step = await asyncio.to_thread(self.handoffs.hand_back, conversation_id, staff.id, note)
        await self._announce(step, name=staff.name, note=note)

    async def close(self, conversation_id: str, staff: Staff, resolution: str) -> None:
        """Close the conversation with a resolution code; the shopper is asked for CSAT."""
        step = await asyncio.to_thread(self.handoffs.close, conversation_id, staff.id, resolution)
        await self._announce(step, name=staff.name)

    async def propose(
        self, conversation_id: str, staff: Staff, action: str, args: dict[str, Any]
    ) -> dict[str, str]:
        """Propose an order action for the customer to confirm; the staff member is its author.

        The order service checks the policy (a dry run) and ownership exactly as for the
        bot; nothing changes until the customer says yes in their chat. The arguments
        are checked strictly first (:func:`assistant.action_args.strict_action_args`).
        """
        args = strict_action_args(action, args)
        message_id = new_id()

        def make() -> tuple[str, str]:
            self._holding(conversation_id, staff)
            actor = self.orders.actor(conversation_id)
            proposal = self.orders.propose(
                conversation_id,
                actor,
                action,
                args,
                turn_id=message_id,
                proposed_by=staff.actor,
            )
            self.conversations.append(
                conversation_id,
                "agent",
                f"{proposal.summary}\nReply yes to confirm.",
                message_id=message_id,
                name=staff.name,
            )
            return proposal.token, proposal.summary

        token, summary = await asyncio.to_thread(make)
        await self.bus.publish(
            shopper_topic(conversation_id),
            "proposal",
            {"message_id": message_id, "token": token, "summary": summary, "name": staff.name},
        )
        await self.bus.publish(
            CONSOLE,
            "message",
            {
                "conversation_id": conversation_id,
                "message_id": message_id,
                "role": "agent",
                "name": staff.name,
                "text": f"{summary}\nReply yes to confirm.",
            },
        )
        return {"message_id": message_id, "summary": summary}
