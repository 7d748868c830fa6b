"""Prometheus metrics of the app (``GET /metrics``): turns, errors, LLM latency, queue length.

One registry per app, so tests and several apps in one process never collide.
"""

from __future__ import annotations

import ipaddress

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from sqlmodel import Session, col, func, select

from assistant.bootstrap import AppServices
from catalog.conversations import Conversation

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"


class Metrics:
    """The app's counters and histograms."""

    def __init__(self, services: AppServices) -> None:
        """Register the metrics; the queue gauges read the store when scraped."""
        self.registry = CollectorRegistry()
        self.turns = Counter(
            "shopassist_turns", "Finished chat turns", ["outcome"], registry=self.registry
        )
        self.errors = Counter(
            "shopassist_errors", "Turns that ended in an error", ["code"], registry=self.registry
        )
        self.llm_seconds = Histogram(
            "shopassist_llm_seconds",
            "Time the LLM took within a turn",
            buckets=(0.1, 0.25, 0.5, 1, 2, 4, 8, 16, 32, 64),
            registry=self.registry,
        )
        self.turn_seconds = Histogram(
            "shopassist_turn_seconds",
            "Whole turn time",
            buckets=(0.05, 0.1, 0.25, 0.5, 1, 2, 4, 8, 16, 32, 64),
            registry=self.registry,
        )
        engine = services.engine

        def count(status: str) -> float:
            with Session(engine) as session:
                return float(
                    session.exec(
                        select(func.count(col(Conversation.id))).where(
                            col(Conversation.status) == status
                        )
                    ).one()
                )

        Gauge(
            "shopassist_queue_length", "Conversations waiting for an agent", registry=self.registry
        ).set_function(lambda: count("waiting_for_agent"))
        Gauge(
            "shopassist_with_agent", "Conversations an agent holds", registry=self.registry
        ).set_function(lambda: count("with_agent"))

    def turn(self, *, outcome: str, total_s: float, llm_s: float) -> None:
        """Count one finished turn."""
        self.turns.labels(outcome=outcome).inc()
        self.turn_seconds.observe(total_s)
        if llm_s > 0:
            self.llm_seconds.observe(llm_s)

    def error(self, code: str) -> None:
        """Count one failed turn by its error code."""
        self.errors.labels(code=code).inc()

    def render(self) -> bytes:
        """Return the metrics in the text exposition format."""
        return generate_latest(self.registry)


def is_loopback(host: str | None) -> bool:
    """Return True for 127.0.0.0/8 and ::1 (the default audience of ``/metrics``)."""
    try:
        return host is not None and ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"
