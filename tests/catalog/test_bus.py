"""The event bus: in-process delivery, and PostgreSQL LISTEN/NOTIFY between two buses
(as between two app processes), with oversized payloads sent without their data."""

from __future__ import annotations

import asyncio

from catalog.bus import Event, MemoryBus, PostgresBus, decode, encode


async def test_the_memory_bus_delivers_to_each_subscriber_of_a_topic() -> None:
    bus = MemoryBus()
    a, b, other = bus.subscribe("conv:1"), bus.subscribe("conv:1"), bus.subscribe("conv:2")
    await bus.publish("conv:1", "agent_message", {"text": "hi"})
    for sub in (a, b):
        event = await asyncio.wait_for(sub.get(), 1)
        assert (event.kind, event.data) == ("agent_message", {"text": "hi"})
    assert other.queue.empty()
    a.close()
    await bus.publish("conv:1", "typing", {"on": True})
    assert a.queue.empty() and bus.subscribers("conv:1") == 1


def test_large_payloads_travel_without_their_data() -> None:
    small = Event("console", "message", {"message_id": "m1", "text": "ok"})
    assert decode(encode(small)) == small
    big = Event(
        "console", "message", {"message_id": "m1", "conversation_id": "c", "text": "x" * 9000}
    )
    back = decode(encode(big))
    assert (
        back is not None
        and back.truncated
        and back.data == {"message_id": "m1", "conversation_id": "c"}
    )
    assert decode("not json") is None


async def test_two_postgres_buses_see_each_others_events(postgres_url: str) -> None:
    one, two = PostgresBus(postgres_url), PostgresBus(postgres_url)
    await one.start()
    await two.start()
    try:
        on_two = two.subscribe("console")
        on_one = one.subscribe("conv:9")
        await one.publish("console", "message", {"text": "from one"})
        await two.publish("conv:9", "agent_message", {"text": "from two"})
        got_two = await asyncio.wait_for(on_two.get(), 5)
        got_one = await asyncio.wait_for(on_one.get(), 5)
        assert got_two.data == {"text": "from one"} and got_one.data == {"text": "from two"}
        await one.publish("console", "message", {"message_id": "m", "text": "é" * 5000})
        big = await asyncio.wait_for(on_two.get(), 5)
        assert big.truncated and big.data == {"message_id": "m"}
    finally:
        await one.close()
        await two.close()
