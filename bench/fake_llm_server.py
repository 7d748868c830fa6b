"""A fake OpenAI-compatible LLM server for load tests: streams N tokens at a fixed pace.

    python bench/fake_llm_server.py --port 9100 --tokens 50 --interval 0.024

``POST /v1/chat/completions`` with ``stream: true`` answers with ``--tokens`` SSE chunks
spaced ``--interval`` seconds apart (50 × 24 ms ≈ 1.2 s), then usage and ``[DONE]``.
Chunk k is due at start + k × interval (absolute deadlines, so a busy loop does not add
up lateness token by token). ``GET /stats`` returns how long the streams really took.
Non-streaming requests get the whole text at once. No model, no randomness.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import time
from collections.abc import AsyncIterator

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route

WORD = "ok "


def build(tokens: int, interval: float) -> Starlette:
    """Return the fake server's app."""
    durations: list[float] = []

    async def completions(request: Request) -> Response:
        body = await request.json()
        created = int(time.time())
        if not body.get("stream"):
            text = WORD * tokens
            return JSONResponse(
                {
                    "id": "fake",
                    "object": "chat.completion",
                    "created": created,
                    "model": body.get("model", "fake"),
                    "choices": [
                        {
                            "index": 0,
                            "message": {"role": "assistant", "content": text},
                            "finish_reason": "stop",
                        }
                    ],
                    "usage": {
                        "prompt_tokens": 100,
                        "completion_tokens": tokens,
                        "total_tokens": 100 + tokens,
                    },
                }
            )

        async def events() -> AsyncIterator[bytes]:
            loop = asyncio.get_running_loop()
            start = loop.time()
            for k in range(tokens):
                await asyncio.sleep(max(0.0, start + (k + 1) * interval - loop.time()))
                chunk = {
                    "id": "fake",
                    "object": "chat.completion.chunk",
                    "created": created,
                    "choices": [{"index": 0, "delta": {"content": WORD}}],
                }
                yield f"data: {json.dumps(chunk)}\n\n".encode()
            usage = {
                "id": "fake",
                "object": "chat.completion.chunk",
                "created": created,
                "choices": [],
                "usage": {"prompt_tokens": 100, "completion_tokens": tokens},
            }
            yield f"data: {json.dumps(usage)}\n\n".encode()
            yield b"data: [DONE]\n\n"
            durations.append(loop.time() - start)

        return StreamingResponse(events(), media_type="text/event-stream")

    async def stats(_request: Request) -> Response:
        done = sorted(durations)
        durations.clear()
        pick = (lambda q: done[min(len(done) - 1, int(q * len(done)))]) if done else None
        return JSONResponse(
            {
                "streams": len(done),
                "nominal_s": tokens * interval,
                "p50_s": pick(0.5) if pick else None,
                "p95_s": pick(0.95) if pick else None,
            }
        )

    async def models(_request: Request) -> Response:
        return JSONResponse({"object": "list", "data": [{"id": "fake", "object": "model"}]})

    return Starlette(
        routes=[
            Route("/v1/chat/completions", completions, methods=["POST"]),
            Route("/v1/models", models),
            Route("/stats", stats),
        ]
    )


def main() -> None:
    """Serve until killed."""
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--port", type=int, default=9100)
    p.add_argument("--tokens", type=int, default=50)
    p.add_argument("--interval", type=float, default=0.024)
    a = p.parse_args()
    uvicorn.run(build(a.tokens, a.interval), host="127.0.0.1", port=a.port, log_level="warning")


if __name__ == "__main__":
    main()
