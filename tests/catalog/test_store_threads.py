from __future__ import annotations

import contextvars
import threading

import pytest
from sqlalchemy import create_engine

from catalog.errors import InvalidInputError
from catalog.store_threads import StoreThreads, default_threads

WHO: contextvars.ContextVar[str] = contextvars.ContextVar("WHO", default="nobody")


async def test_calls_run_on_the_named_threads_with_the_callers_context() -> None:
    threads = StoreThreads(1, name="test-store")
    WHO.set("shopper-7")

    def work(a: int, *, b: int) -> tuple[str, str, int]:
        return threading.current_thread().name, WHO.get(), a + b

    try:
        name, who, total = await threads.run(work, 2, b=3)
    finally:
        threads.close()
    assert name.startswith("test-store") and name != threading.current_thread().name
    assert who == "shopper-7"
    assert total == 5


async def test_one_thread_runs_calls_one_after_another() -> None:
    threads = StoreThreads(1)
    seen: list[str] = []
    gate = threading.Event()

    def first() -> None:
        gate.wait(5)
        seen.append("first")

    def second() -> None:
        seen.append("second")

    import asyncio

    try:
        a = asyncio.ensure_future(threads.run(first))
        b = asyncio.ensure_future(threads.run(second))
        await asyncio.sleep(0.05)
        assert seen == []  # the second call waits for the only thread
        gate.set()
        await asyncio.gather(a, b)
    finally:
        threads.close()
    assert seen == ["first", "second"]


async def test_errors_reach_the_caller() -> None:
    threads = StoreThreads(2)

    def boom() -> None:
        raise InvalidInputError("bad row")

    try:
        with pytest.raises(InvalidInputError, match="bad row"):
            await threads.run(boom)
    finally:
        threads.close()


def test_thread_count_defaults_by_database_and_must_be_positive() -> None:
    assert default_threads(create_engine("sqlite://")) == 1
    assert default_threads(create_engine("postgresql+psycopg://u@localhost/x")) == 2
    with pytest.raises(InvalidInputError, match="at least 1"):
        StoreThreads(0)
