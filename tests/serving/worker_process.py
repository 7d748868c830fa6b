"""One app worker for the shared-limits test: ``python -m tests.serving.worker_process
DATA_DIR DATABASE_URL PORT``. A real app on PostgreSQL whose model is scripted by rule:
an email is read as a sign-in, "cancel" as a cancellation request, "find X" as a search
for X, anything else gets a
short answer; a message with "slowly" takes three seconds (a turn in flight). Limits come
from the environment (``SHOP_SECURITY__…``), as in production."""

from __future__ import annotations

import asyncio
import json
import os
import re
import sys
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

from tests.fakes import FakeLLM  # noqa: E402


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
    import uvicorn

    from assistant.bootstrap import build_services
    from serving.app import create_app
    from tests.conftest import make_settings

    data_dir, url, port = sys.argv[1], sys.argv[2], int(sys.argv[3])
    settings = make_settings(Path(data_dir), products=60, db_url=url)
    services = build_services(settings, llm=RuleLLM(), progress=False)
    uvicorn.run(
        create_app(services), host="127.0.0.1", port=port, log_level="warning", lifespan="on"
    )


if __name__ == "__main__":
    main()
