"""One app worker for the shared-limits test: ``python -m tests.serving.worker_process
DATA_DIR DATABASE_URL PORT``. The app of :mod:`tests.serving.app_process` whose model is
scripted by rule: an email is read as a sign-in, "cancel" as a cancellation request,
"find X" as a search for X, anything else gets a short answer; a message with "slowly"
takes three seconds (a turn in flight). Limits come from the environment
(``SHOP_SECURITY__…``), as in production."""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import AsyncIterator
from typing import Any

from tests.fakes import FakeLLM
from tests.serving.app_process import serve


def _last_user(messages: list[dict[str, str]]) -> str:
    return next((m["content"] for m in reversed(messages) if m["role"] == "user"), "")


def _rule(messages: list[dict[str, str]]) -> str:
    said = _last_user(messages)
    email = re.search(r"[\w.+-]+@[\w-]+\.[\w.]+", said)
    if email:
        return json.dumps({"action": "authenticate", "email": email.group(0)})
    if said.lower().startswith("find "):
        return json.dumps({"action": "search", "product": said[5:]})
    if "cancel" in said.lower():
        return json.dumps({"action": "start_write", "write": "cancel"})
    return "Happy to help with that."


class RuleLLM(FakeLLM):
    """Answers every call by :func:`_rule`; "slowly" in the message holds it 3 s."""

    async def stream(self, messages: list[dict[str, str]], **kw: Any) -> AsyncIterator[Any]:  # type: ignore[override]
        """Stream the rule's reply, after a pause when asked to be slow."""
        if "slowly" in _last_user(messages):
            await asyncio.sleep(3.0)
        self.enqueue(_rule)
        async for delta in super().stream(messages, **kw):
            yield delta


def main() -> None:
    """Serve with the rule-following model."""
    serve(RuleLLM())


if __name__ == "__main__":
    main()
