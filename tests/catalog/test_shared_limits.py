"""Shared windows and leases: in memory for one process, in PostgreSQL across processes.

Two engines on one PostgreSQL database stand for two worker processes: nothing but the
database is shared between them.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import Engine, text

from catalog.config import DatabaseSettings
from catalog.db import create_schema, make_engine
from catalog.shared_limits import (
    MemoryLeases,
    MemoryWindows,
    PostgresLeases,
    PostgresWindows,
    is_shared,
    shared_leases,
    shared_windows,
)


@pytest.fixture()
def two_engines(postgres_url: str) -> Iterator[tuple[Engine, Engine]]:
    a = make_engine(DatabaseSettings(url=postgres_url))
    create_schema(a)
    b = make_engine(DatabaseSettings(url=postgres_url))
    yield a, b
    a.dispose()
    b.dispose()


def test_memory_windows_count_up_to_the_limit_and_say_how_long_to_wait() -> None:
    w = MemoryWindows()
    assert [w.hit("k", 3, 60.0) for _ in range(3)] == [None, None, None]
    wait = w.hit("k", 3, 60.0)
    assert wait is not None and 59.0 < wait <= 60.0
    assert w.hit("other", 3, 60.0) is None  # keys are apart
    assert w.wait_s("k", 3, 60.0) is not None and w.wait_s("k", 4, 60.0) is None
    w.add("f", 60.0)
    assert w.wait_s("f", 1, 60.0) is not None


def test_memory_windows_forget_what_left_the_window() -> None:
    w = MemoryWindows()
    assert w.hit("k", 1, 0.05) is None
    assert w.hit("k", 1, 0.05) is not None
    time.sleep(0.08)
    assert w.hit("k", 1, 0.05) is None


def test_memory_windows_keep_at_most_max_keys() -> None:
    w = MemoryWindows(max_keys=10)
    for i in range(50):
        w.hit(f"k{i}", 5, 60.0)
    assert len(w._hits) <= 10


def test_memory_leases_are_exclusive_until_released_or_expired() -> None:
    leases = MemoryLeases()
    token = leases.acquire("c1", 60.0)
    assert token is not None and leases.acquire("c1", 60.0) is None
    leases.release("c1", "not-the-token")
    assert leases.acquire("c1", 60.0) is None
    leases.release("c1", token)
    short = leases.acquire("c1", 0.05)
    assert short is not None
    time.sleep(0.08)
    assert leases.acquire("c1", 60.0) is not None  # the holder died: the lease expired


def test_sqlite_keeps_limits_in_the_process(tmp_path: object) -> None:
    engine = make_engine(DatabaseSettings(url=f"sqlite:///{tmp_path}/s.db"))
    windows, leases = shared_windows(engine), shared_leases(engine)
    assert isinstance(windows, MemoryWindows) and isinstance(leases, MemoryLeases)
    assert not is_shared(engine)
    engine.dispose()


def test_postgres_windows_are_one_count_for_every_process(
    two_engines: tuple[Engine, Engine],
) -> None:
    a, b = two_engines
    wa, wb = shared_windows(a), shared_windows(b)
    assert isinstance(wa, PostgresWindows) and is_shared(a)
    assert isinstance(shared_leases(a), PostgresLeases)
    assert wa.hit("conv:1", 3, 60.0) is None
    assert wb.hit("conv:1", 3, 60.0) is None
    assert wa.hit("conv:1", 3, 60.0) is None
    wait = wb.hit("conv:1", 3, 60.0)  # the fourth, on the other process
    assert wait is not None and 0 < wait <= 60.0
    assert wa.wait_s("conv:1", 3, 60.0) is not None
    assert wa.hit("conv:2", 3, 60.0) is None
    wb.add("verify:x", 60.0)
    assert wa.wait_s("verify:x", 1, 60.0) is not None and wa.wait_s("verify:x", 2, 60.0) is None


def test_postgres_windows_forget_what_left_the_window(two_engines: tuple[Engine, Engine]) -> None:
    a, b = two_engines
    wa, wb = PostgresWindows(a), PostgresWindows(b)
    assert wa.hit("k", 1, 0.2) is None
    assert wb.hit("k", 1, 0.2) is not None
    time.sleep(0.3)
    assert wb.hit("k", 1, 0.2) is None
    with a.connect() as conn:  # expired counts of a key are deleted when it is hit again
        assert conn.execute(text("SELECT sum(n) FROM windowcount WHERE key = 'k'")).scalar() == 1


def test_postgres_windows_count_exactly_under_concurrency(
    two_engines: tuple[Engine, Engine],
) -> None:
    a, b = two_engines
    stores = [PostgresWindows(a), PostgresWindows(b)]
    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(lambda i: stores[i % 2].hit("burst", 10, 60.0), range(40)))
    assert sum(r is None for r in results) == 10


def test_postgres_leases_hold_one_turn_across_processes(
    two_engines: tuple[Engine, Engine],
) -> None:
    a, b = two_engines
    la, lb = PostgresLeases(a), PostgresLeases(b)
    token = la.acquire("conv-1", 60.0)
    assert token is not None
    assert lb.acquire("conv-1", 60.0) is None  # busy on the other worker
    assert lb.acquire("conv-2", 60.0) is not None
    lb.release("conv-1", "someone-else")
    assert lb.acquire("conv-1", 60.0) is None
    la.release("conv-1", token)
    again = lb.acquire("conv-1", 0.2)
    assert again is not None
    time.sleep(0.3)
    assert la.acquire("conv-1", 60.0) is not None  # a dead holder's lease expires


def test_postgres_leases_under_a_race_have_one_winner(
    two_engines: tuple[Engine, Engine],
) -> None:
    a, b = two_engines
    leases = [PostgresLeases(a), PostgresLeases(b)]
    with ThreadPoolExecutor(8) as pool:
        got = list(pool.map(lambda i: leases[i % 2].acquire("race", 60.0), range(16)))
    assert sum(t is not None for t in got) == 1


def test_a_busy_key_costs_no_more_rows_than_a_quiet_one(
    two_engines: tuple[Engine, Engine],
) -> None:
    # every shopper behind one proxy address counts against one key
    a, _ = two_engines
    w = PostgresWindows(a)
    for _ in range(1500):
        assert w.hit("msg:10.0.0.1", 100_000, 60.0) is None
    with a.connect() as conn:
        rows, total = conn.execute(
            text("SELECT count(*), sum(n) FROM windowcount WHERE key = 'msg:10.0.0.1'")
        ).one()
    assert rows <= 11 and total == 1500
    assert w.hit("msg:10.0.0.1", 1500, 60.0) is not None


async def test_awaited_counts_and_leases_share_the_same_rows(
    two_engines: tuple[Engine, Engine],
) -> None:
    a, b = two_engines
    wa, wb = PostgresWindows(a), PostgresWindows(b)
    assert await wa.ahit("conv:9", 2, 60.0) is None
    assert wb.hit("conv:9", 2, 60.0) is None  # the threaded and the awaited path agree
    assert await wb.ahit("conv:9", 2, 60.0) is not None
    la, lb = PostgresLeases(a), PostgresLeases(b)
    token = await la.aacquire("conv-9", 60.0)
    assert token is not None and lb.acquire("conv-9", 60.0) is None
    assert await lb.aacquire("conv-9", 60.0) is None
    await la.arelease("conv-9", token)
    assert await lb.aacquire("conv-9", 60.0) is not None
    memory = MemoryWindows()
    assert await memory.ahit("k", 1, 60.0) is None and await memory.ahit("k", 1, 60.0)
