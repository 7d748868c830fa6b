"""Load test: N concurrent websocket chats against a real server and a fake streaming LLM.

Starts ``bench/fake_llm_server.py`` (50 tokens in ~1.2 s per answer), then
``shopassist serve`` on a small seeded demo store (agent mode, so one streamed LLM answer
per turn), then opens N websocket chats that each send ``--turns`` messages in a row,
with no pause between a reply and the next message (each chat is a shopper who never
reads: 200 such chats are far more traffic than 200 people chatting). ``--ramp-s`` spreads
the chats' arrivals (chat k connects at k × ramp / N); 0 = all connect at the same instant.

Per turn it measures the time to ``done`` and to the first token frame. Server overhead =
turn time − the fake model's own streaming time (tokens × interval; the fake reports the
streams' real durations too). Reports turns per second, TTFT and overhead p50/p95/p99 (and
p95 by turn number), errors, CPU (the server's, its event-loop thread's, its store
processes', the fake model's and the load generator's) and the RSS growth of the server
and its store processes, per database, concurrency level and shape, into
``bench/results/load.json``. ``--turn-hops`` picks where the server runs each turn's store
work (``SHOP_DATABASE__TURN_HOPS``): ``process`` (default here) or ``thread``.

    python bench/load.py --chats 50 200
    python bench/load.py --chats 200 --postgres-url postgresql+psycopg://…/loadtest
    python bench/load.py --chats 50 100 150 200 --turns 6 --ramp-s 5 --keep
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
import urllib.request
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
    return _cpu_s_of(Path(f"/proc/{pid}/stat"))


def _main_thread_cpu_s(pid: int) -> float:
    """CPU seconds of the server's event-loop thread alone (its tid is the pid)."""
    return _cpu_s_of(Path(f"/proc/{pid}/task/{pid}/stat"))


def _cpu_s_of(stat: Path) -> float:
    fields = stat.read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _children(pid: int) -> list[int]:
    """Process ids whose parent is ``pid`` (the server's store processes)."""
    out = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            if int(stat.read_text().rsplit(")", 1)[1].split()[1]) == pid:
                out.append(int(stat.parent.name))
        except (OSError, ValueError, IndexError):
            continue
    return out


def _children_cpu_s(pid: int) -> float:
    total = 0.0
    for child in _children(pid):
        try:
            total += _cpu_s(child)
        except OSError:
            continue
    return total


def _fake_stats(port: int) -> dict[str, Any]:
    """How long the fake model's streams really took since the last call (then reset)."""
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/stats", timeout=10) as r:
        data: dict[str, Any] = json.loads(r.read())
    return data


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


async def _chat(
    url: str, turns: int, out: list[dict[str, Any]], bar: tqdm, delay: float = 0.0
) -> None:
    await asyncio.sleep(delay)
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
                row = {
                    "total": time.perf_counter() - sent,
                    "ttft": first,
                    "type": frame["type"],
                    "turn": i,
                }
                if frame["type"] == "error":
                    row["code"] = frame["error"]["code"]
                out.append(row)
                bar.update(1)
    except Exception as exc:  # noqa: BLE001 - a broken chat is an error, not a crash
        out.append({"total": None, "ttft": None, "type": "error", "code": type(exc).__name__})
        bar.update(1)


async def _run_level(
    url: str, chats: int, turns: int, ramp_s: float = 0.0
) -> tuple[list[dict[str, Any]], float]:
    """Run ``chats`` chats; chat k connects at ``k * ramp_s / chats`` (0: all at once)."""
    rows: list[dict[str, Any]] = []
    started = time.perf_counter()
    with tqdm(total=chats * turns, desc=f"{chats} chats", unit="turn") as bar:
        await asyncio.gather(
            *(_chat(url, turns, rows, bar, k * ramp_s / chats) for k in range(chats))
        )
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
        "SHOP_DATABASE__TURN_HOPS": args.turn_hops,
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
        for chats, trial in ((c, t) for c in levels for t in range(1, args.repeat + 1)):
            spy = None
            if args.profile and chats == levels[-1] and trial == 1:
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
                        "--threads",
                        "--output",
                        args.profile,
                    ]
                )
            _fake_stats(llm_port)
            rss0, cpu0 = _rss_mb(server.pid), _cpu_s(server.pid)
            loop0 = _main_thread_cpu_s(server.pid)
            fake0, self0 = _cpu_s(fake.pid), time.process_time()
            store0 = _children_cpu_s(server.pid)
            store_rss0 = sum(_rss_mb(c) for c in _children(server.pid))
            rows, wall = asyncio.run(_run_level(url, chats, args.turns, args.ramp_s))
            rss1, cpu1 = _rss_mb(server.pid), _cpu_s(server.pid)
            loop1 = _main_thread_cpu_s(server.pid)
            streams = _fake_stats(llm_port)
            fake1, self1 = _cpu_s(fake.pid), time.process_time()
            store1 = _children_cpu_s(server.pid)
            store_rss = sum(_rss_mb(c) for c in _children(server.pid))
            if spy is not None:
                spy.wait(timeout=60)
            ok = [r for r in rows if r["type"] == "done"]
            totals = [r["total"] for r in ok]
            overhead = [max(0.0, t - nominal) for t in totals]
            ttft = [r["ttft"] for r in ok if r["ttft"] is not None]
            errors = [r for r in rows if r["type"] != "done"]
            level = {
                "database": db_label,
                "turn_hops": args.turn_hops,
                "chats": chats,
                "trial": trial,
                "turns_per_chat": args.turns,
                "ramp_s": args.ramp_s,
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
                "server_cpu_ms_per_turn": round(1000 * (cpu1 - cpu0) / max(1, len(rows)), 2),
                "event_loop_cpu_ms_per_turn": round(1000 * (loop1 - loop0) / max(1, len(rows)), 2),
                "store_processes_cpu_ms_per_turn": round(
                    1000 * (store1 - store0) / max(1, len(rows)), 2
                ),
                "store_processes_rss_mb": round(store_rss, 1),
                "fake_llm_cpu_percent": round(100 * (fake1 - fake0) / wall, 1),
                "clients_cpu_percent": round(100 * (self1 - self0) / wall, 1),
                "rss_start_mb": round(rss0, 1),
                # the server and its store processes together
                "rss_growth_mb": round(rss1 + store_rss - rss0 - store_rss0, 1),
                "llm_nominal_s": round(nominal, 3),
                "llm_stream_p50_s": streams["p50_s"] and round(streams["p50_s"], 3),
                "llm_stream_p95_s": streams["p95_s"] and round(streams["p95_s"], 3),
            }
            level["overhead_p95_by_turn_s"] = [
                _pct([o for r, o in zip(ok, overhead, strict=True) if r["turn"] == i], 95)
                for i in range(args.turns)
            ]
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
    p.add_argument(
        "--ramp-s",
        type=float,
        default=0.0,
        help="spread the chats' arrivals over this many seconds (0: all connect at once)",
    )
    p.add_argument("--tokens", type=int, default=50)
    p.add_argument("--interval", type=float, default=0.024)
    p.add_argument("--postgres-url", default=os.environ.get("SHOP_TEST_POSTGRES_URL"))
    p.add_argument("--out", default=str(ROOT / "bench" / "results" / "load.json"))
    p.add_argument("--repeat", type=int, default=1, help="run each level this many times (trials)")
    p.add_argument(
        "--keep",
        action="store_true",
        help="keep the output file's runs of other shapes (database, chats, ramp, turns, trial)",
    )
    p.add_argument(
        "--turn-hops",
        choices=("process", "thread"),
        default="process",
        help="where the server runs each turn's store hops (SHOP_DATABASE__TURN_HOPS)",
    )
    p.add_argument("--profile", default=None, help="py-spy raw profile of the last level here")
    args = p.parse_args()
    runs = measure("sqlite", "sqlite:///{data}/shop.db", args.chats, args)
    if args.postgres_url:
        runs += measure("postgres", args.postgres_url, args.chats, args)
    out = Path(args.out)
    if args.keep and out.exists():
        # keep earlier runs of other shapes (database, chats, ramp, turns); these replace
        # the ones of the same shape
        def shape(r: dict[str, Any]) -> tuple[Any, ...]:
            return (
                r["database"],
                r.get("turn_hops", "thread"),
                r["chats"],
                r.get("ramp_s", 0.0),
                r["turns_per_chat"],
                r.get("trial", 1),
            )

        fresh = {shape(r) for r in runs}
        kept = [r for r in json.loads(out.read_text()).get("runs", []) if shape(r) not in fresh]
        runs = kept + runs
    result = {
        "benchmark": "load",
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
        "target": {"overhead_p95_s": TARGET_P95_S, "rss_growth_mb": TARGET_RSS_MB, "errors": 0},
        "runs": runs,
    }
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2) + "\n")
    for r in runs:
        ratio = (r["overhead_p95_s"] or 0) / TARGET_P95_S
        print(
            f"{r['database']:8} {r.get('turn_hops', 'thread'):7} {r['chats']:4} chats "
            f"(ramp {r.get('ramp_s', 0)} s, "
            f"trial {r.get('trial', 1)}, "
            f"{r['turns_per_chat']} turns): {r['turns_per_s']} turns/s, overhead p95 "
            f"{r['overhead_p95_s']} s ({ratio:.2f}× target), errors {r['errors']}, "
            f"RSS +{r['rss_growth_mb']} MB, CPU {r['server_cpu_percent']}%"
        )
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
