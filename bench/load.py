"""Load test: N concurrent websocket chats against a real server and a fake streaming LLM.

Starts ``bench/fake_llm_server.py`` (50 tokens in ~1.2 s per answer), then
``shopassist serve`` on a small seeded demo store (agent mode, so one streamed LLM answer
per turn), then opens N websocket chats that each send ``--turns`` messages in a row.

Per turn it measures the time to ``done`` and to the first token frame. Server overhead =
turn time − the fake model's own streaming time (tokens × interval). Reports turns per
second, TTFT and overhead p50/p95/p99, errors, the server's CPU use and RSS growth, per
database and concurrency level, into ``bench/results/load.json``.

    python bench/load.py --chats 50 200
    python bench/load.py --chats 200 --postgres-url postgresql+psycopg://…/loadtest
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np
import websockets
from tqdm import tqdm

ROOT = Path(__file__).resolve().parents[1]
TARGET_P95_S = 0.300
TARGET_RSS_MB = 200.0


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def _cpu_s(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _wait_port(port: int, proc: subprocess.Popen[bytes], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"process exited with {proc.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"nothing listens on {port} after {timeout:.0f}s")


async def _chat(url: str, turns: int, out: list[dict[str, Any]], bar: tqdm) -> None:
    try:
        async with websockets.connect(url, max_size=2**20, compression=None) as ws:
            json.loads(await ws.recv())
            for i in range(turns):
                sent = time.perf_counter()
                await ws.send(json.dumps({"type": "message", "text": f"hello number {i}"}))
                first = None
                while True:
                    frame = json.loads(await asyncio.wait_for(ws.recv(), 120))
                    if frame["type"] == "token" and first is None:
                        first = time.perf_counter() - sent
                    if frame["type"] in ("done", "error"):
                        break
                row = {"total": time.perf_counter() - sent, "ttft": first, "type": frame["type"]}
                if frame["type"] == "error":
                    row["code"] = frame["error"]["code"]
                out.append(row)
                bar.update(1)
    except Exception as exc:  # noqa: BLE001 - a broken chat is an error, not a crash
        out.append({"total": None, "ttft": None, "type": "error", "code": type(exc).__name__})
        bar.update(1)


async def _run_level(url: str, chats: int, turns: int) -> tuple[list[dict[str, Any]], float]:
    rows: list[dict[str, Any]] = []
    started = time.perf_counter()
    with tqdm(total=chats * turns, desc=f"{chats} chats", unit="turn") as bar:
        await asyncio.gather(*(_chat(url, turns, rows, bar) for _ in range(chats)))
    return rows, time.perf_counter() - started


def _pct(values: list[float], q: float) -> float | None:
    return round(float(np.percentile(values, q)), 3) if values else None


def measure(
    db_label: str, db_url: str, levels: list[int], args: argparse.Namespace
) -> list[dict[str, Any]]:
    """Start a server on ``db_url`` and run every concurrency level against it."""
    llm_port, app_port = _port(), _port()
    nominal = args.tokens * args.interval
    fake = subprocess.Popen(
        [
            sys.executable,
            str(ROOT / "bench" / "fake_llm_server.py"),
            "--port",
            str(llm_port),
            "--tokens",
            str(args.tokens),
            "--interval",
            str(args.interval),
        ]
    )
    data = Path(tempfile.mkdtemp(prefix="shopassist-load-"))
    env = {
        **os.environ,
        "SHOP_DATA_DIR": str(data),
        "SHOP_DATABASE_URL": db_url.replace("{data}", str(data)),
        "SHOP_DEMO__PRODUCTS": "200",
        "SHOP_DEMO__USERS": "50",
        "SHOP_LLM__BASE_URL": f"http://127.0.0.1:{llm_port}/v1",
        "SHOP_LLM__MODEL": "fake",
        "SHOP_LLM__TOOL_MODE": "json",
        "SHOP_AGENT__MODE": "agent",
        "SHOP_SECURITY__MESSAGES_PER_MINUTE": "100000",
        "SHOP_SECURITY__CLIENT_MESSAGES_PER_MINUTE": "100000",
        "SHOP_SECURITY__CONNECTIONS_PER_MINUTE": "100000",
        "SHOP_SERVER__LOG_LEVEL": "WARNING",
    }
    server = subprocess.Popen(
        [sys.executable, "-m", "serving.cli", "serve", "--port", str(app_port)], env=env, cwd=ROOT
    )
    results = []
    try:
        _wait_port(llm_port, fake, 30)
        _wait_port(app_port, server, 600)
        url = f"ws://127.0.0.1:{app_port}/ws/chat"
        asyncio.run(_run_level(url, 5, 1))  # warm up: imports, pools, caches
        for chats in levels:
            spy = None
            if args.profile and chats == levels[-1]:
                spy = subprocess.Popen(
                    [
                        "py-spy",
                        "record",
                        "--pid",
                        str(server.pid),
                        "--duration",
                        "12",
                        "--format",
                        "raw",
                        "--nonblocking",
                        "--output",
                        args.profile,
                    ]
                )
            rss0, cpu0 = _rss_mb(server.pid), _cpu_s(server.pid)
            rows, wall = asyncio.run(_run_level(url, chats, args.turns))
            rss1, cpu1 = _rss_mb(server.pid), _cpu_s(server.pid)
            if spy is not None:
                spy.wait(timeout=60)
            ok = [r for r in rows if r["type"] == "done"]
            totals = [r["total"] for r in ok]
            overhead = [max(0.0, t - nominal) for t in totals]
            ttft = [r["ttft"] for r in ok if r["ttft"] is not None]
            errors = [r for r in rows if r["type"] != "done"]
            level = {
                "database": db_label,
                "chats": chats,
                "turns_per_chat": args.turns,
                "turns": len(rows),
                "errors": len(errors),
                "error_codes": sorted({str(r.get("code")) for r in errors}),
                "turns_per_s": round(len(ok) / wall, 2),
                "turn_p50_s": _pct(totals, 50),
                "ttft_p50_s": _pct(ttft, 50),
                "ttft_p95_s": _pct(ttft, 95),
                "overhead_p50_s": _pct(overhead, 50),
                "overhead_p95_s": _pct(overhead, 95),
                "overhead_p99_s": _pct(overhead, 99),
                "server_cpu_percent": round(100 * (cpu1 - cpu0) / wall, 1),
                "rss_start_mb": round(rss0, 1),
                "rss_growth_mb": round(rss1 - rss0, 1),
                "llm_nominal_s": round(nominal, 3),
            }
            level["meets_target"] = bool(
                level["errors"] == 0
                and (level["overhead_p95_s"] or 1e9) <= TARGET_P95_S
                and level["rss_growth_mb"] < TARGET_RSS_MB
            )
            print(json.dumps(level))
            results.append(level)
    finally:
        server.terminate()
        fake.terminate()
        server.wait(timeout=30)
        fake.wait(timeout=30)
    return results


def main() -> None:
    """Run the levels on SQLite (and Postgres when given) and write the JSON result."""
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--chats", type=int, nargs="+", default=[50, 200])
    p.add_argument("--turns", type=int, default=3, help="messages per chat, one after another")
    p.add_argument("--tokens", type=int, default=50)
    p.add_argument("--interval", type=float, default=0.024)
    p.add_argument("--postgres-url", default=os.environ.get("SHOP_TEST_POSTGRES_URL"))
    p.add_argument("--out", default=str(ROOT / "bench" / "results" / "load.json"))
    p.add_argument("--profile", default=None, help="py-spy raw profile of the last level here")
    args = p.parse_args()
    runs = measure("sqlite", "sqlite:///{data}/shop.db", args.chats, args)
    if args.postgres_url:
        runs += measure("postgres", args.postgres_url, args.chats, args)
    result = {
        "benchmark": "load",
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
        "target": {"overhead_p95_s": TARGET_P95_S, "rss_growth_mb": TARGET_RSS_MB, "errors": 0},
        "runs": runs,
    }
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(result, indent=2) + "\n")
    for r in runs:
        ratio = (r["overhead_p95_s"] or 0) / TARGET_P95_S
        print(
            f"{r['database']:8} {r['chats']:4} chats: {r['turns_per_s']} turns/s, overhead p95 "
            f"{r['overhead_p95_s']} s ({ratio:.2f}× target), errors {r['errors']}, "
            f"RSS +{r['rss_growth_mb']} MB, CPU {r['server_cpu_percent']}%"
        )
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
