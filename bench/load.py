"""Load test: N concurrent websocket chats against a real server and a fake streaming LLM.

Starts ``bench/fake_llm_server.py`` (50 tokens in ~1.2 s per answer), then
``shopassist serve`` on a small seeded demo store (agent mode, so one streamed LLM answer
per turn), then opens N websocket chats that each send ``--turns`` messages in a row,
by default with no pause between a reply and the next message (each chat is a shopper who
never reads: 200 such chats are far more traffic than 200 people chatting); ``--think-s``
adds a pause, uniform in 0.5–1.5× its value, the shopper reading and typing. ``--ramp-s``
spreads the chats' arrivals (chat k connects at k × ramp / N); 0 = all connect at the same
instant. Each row also says how busy the whole machine's CPUs were
(``machine_cpu_busy_percent``): near 100 the machine, not the server, sets the pace.

Per turn it measures the time to ``done`` and to the first token frame. Server overhead =
turn time − the fake model's own streaming time (tokens × interval; the fake reports the
streams' real durations too). Reports turns per second, TTFT and overhead p50/p95/p99 (and
p95 by turn number), errors, CPU (the server's, its event-loop thread's, its store
processes', the fake model's and the load generator's) and the RSS growth of the server
and its store processes, per database, concurrency level and shape, into
``bench/results/load.json``. ``--turn-hops`` picks where the server runs each turn's store
work (``SHOP_DATABASE__TURN_HOPS``): ``process`` (default here) or ``thread``.

PostgreSQL runs use a database of their own on the ``--postgres-url`` server, named after
the URL's with ``_load`` appended, dropped and created afresh for every server start (the
URL's own database, often the tests', is never touched); so every run starts from the same
seeded demo store.

``--workers N`` (N > 1) load-tests ``shopassist serve --workers N``: N app processes on
one port, on PostgreSQL only (``--postgres-url`` is required) and with the product vectors
in a ``chroma run`` server the bench starts on a free port. CPU and RSS are then summed
over the workers (``server_*``, ``event_loop_*`` = their main threads, ``store_processes_*``
= their store processes), and each row adds every worker's own RSS (``rss_per_worker_mb``,
without its store processes), the largest, the supervisor's and the Chroma server's. Every
row says ``workers`` (1 = the classic single-process server).

    python bench/load.py --chats 50 200
    python bench/load.py --chats 200 --postgres-url postgresql+psycopg://…/loadtest
    python bench/load.py --chats 50 100 150 200 --turns 6 --ramp-s 5 --keep
    python bench/load.py --workers 2 --chats 400 --turns 6 --ramp-s 10 --think-s 5 --keep \\
        --postgres-url postgresql+psycopg://…/loadtest
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import random
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path
from typing import Any

import numpy as np
import websockets
from tqdm import tqdm

sys.path.insert(0, str(Path(__file__).resolve().parent))
from load_processes import (  # noqa: E402
    ConnectionCount,
    Tree,
    busy_percent,
    cpu_s,
    free_port,
    fresh_database,
    machine_cpu,
    reap,
    relay,
    rss_mb,
    start_chroma,
    stop,
    sum_over,
    wait_port,
    wait_ready,
)

ROOT = Path(__file__).resolve().parents[1]
TARGET_P95_S = 0.300
TARGET_RSS_MB = 200.0


def _fake_stats(port: int) -> dict[str, Any]:
    """How long the fake model's streams really took since the last call (then reset)."""
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/stats", timeout=10) as r:
        data: dict[str, Any] = json.loads(r.read())
    return data


async def _chat(
    url: str,
    turns: int,
    out: list[dict[str, Any]],
    bar: tqdm,
    delay: float = 0.0,
    think_s: float = 0.0,
    rng: random.Random | None = None,
) -> None:
    await asyncio.sleep(delay)
    try:
        async with websockets.connect(url, max_size=2**20, compression=None) as ws:
            json.loads(await ws.recv())
            for i in range(turns):
                if i and think_s > 0:
                    # the shopper reads the reply and types the next message: uniform in
                    # [0.5, 1.5] × think_s, so the chats do not fire in lock-step waves
                    await asyncio.sleep(think_s * (0.5 + (rng or random).random()))
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
    url: str, chats: int, turns: int, ramp_s: float = 0.0, think_s: float = 0.0
) -> tuple[list[dict[str, Any]], float]:
    """Run ``chats`` chats; chat k connects at ``k * ramp_s / chats`` (0: all at once).

    ``think_s``: the mean pause between a reply and the chat's next message (0: none).
    """
    rows: list[dict[str, Any]] = []
    rng = random.Random(1234)  # the same pauses on every run of a shape
    started = time.perf_counter()
    with tqdm(total=chats * turns, desc=f"{chats} chats", unit="turn") as bar:
        await asyncio.gather(
            *(_chat(url, turns, rows, bar, k * ramp_s / chats, think_s, rng) for k in range(chats))
        )
    return rows, time.perf_counter() - started


def _pct(values: list[float], q: float) -> float | None:
    return round(float(np.percentile(values, q)), 3) if values else None


def measure(
    db_label: str, db_url: str, levels: list[int], args: argparse.Namespace
) -> list[dict[str, Any]]:
    """Start a server on ``db_url`` and run every concurrency level against it."""
    llm_port, app_port = free_port(), free_port()
    workers = args.workers
    nominal = args.tokens * args.interval
    data = Path(tempfile.mkdtemp(prefix="shopassist-load-"))
    if db_url.startswith("postgresql"):
        db_url = fresh_database(db_url)
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
    cmd = [sys.executable, "-m", "serving.cli", "serve", "--port", str(app_port)]
    chroma = None
    if workers > 1:
        chroma, env["SHOP_RETRIEVAL__CHROMA_URL"] = start_chroma(data)
        cmd += ["--workers", str(workers)]
    server = subprocess.Popen(cmd, env=env, cwd=ROOT, stdout=subprocess.PIPE, text=True, bufsize=1)
    assert server.stdout is not None
    ready = threading.Event()
    threading.Thread(target=relay, args=(server.stdout, ready), daemon=True).start()
    tree = Tree(server.pid, workers)
    seen: set[int] = set()  # every worker and store process, to stop any left behind
    results = []
    try:
        wait_port(llm_port, fake, 30)
        wait_ready(server, ready, 900)
        url = f"ws://127.0.0.1:{app_port}/ws/chat"
        # warm up: imports, pools, caches (5 chats of 1 turn). The workers share one
        # listening socket, and chats that connect at once all land on one of them; each
        # worker's second store process only gets hops while the first is busy. So with
        # workers: rounds of 10 chats per worker arriving over 1 s, until no worker's RSS
        # (nor their store processes') grows by 2 MB (at most 6 rounds)
        asyncio.run(_run_level(url, 5, 1))
        warm = tree.snapshot()
        for rounds in range(1, 7 if workers > 1 else 1):
            print(
                f"warm-up round {rounds}: RSS per worker {[round(r) for r in warm['rss_each']]} MB"
            )
            asyncio.run(_run_level(url, 10 * workers, 1, 1.0))
            before, warm = warm, tree.snapshot()
            grown = [b - a for a, b in zip(before["rss_each"], warm["rss_each"], strict=False)]
            grown.append(warm["store_rss"] - before["store_rss"])
            if before["apps"] == warm["apps"] and max(grown) < 2.0:
                break
        seen.update(warm["apps"], tree.stores(warm["apps"]))
        if len(warm["apps"]) != workers:
            print(f"warning: {len(warm['apps'])} app processes, expected {workers}")
        if args.turn_hops == "process" and not all(warm["stores_each"]):
            print(f"warning: store processes per app process after warm-up: {warm['stores_each']}")
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
                        *(["--subprocesses"] if workers > 1 else []),
                        "--output",
                        args.profile,
                    ]
                )
            _fake_stats(llm_port)
            s0 = tree.snapshot()
            fake0, self0 = cpu_s(fake.pid), time.process_time()
            chroma0 = cpu_s(chroma.pid) if chroma else 0.0
            counter = ConnectionCount(s0["apps"], app_port) if workers > 1 else None
            if counter is not None:
                counter.start()
            busy0 = machine_cpu()
            rows, wall = asyncio.run(_run_level(url, chats, args.turns, args.ramp_s, args.think_s))
            busy1 = machine_cpu()
            conns = counter.stop() if counter is not None else None
            s1 = tree.snapshot()
            streams = _fake_stats(llm_port)
            fake1, self1 = cpu_s(fake.pid), time.process_time()
            self1 -= counter.cpu_s if counter is not None else 0.0
            chroma1 = cpu_s(chroma.pid) if chroma else 0.0
            seen.update(s1["apps"], tree.stores(s1["apps"]))
            if spy is not None:
                spy.wait(timeout=60)
            ok = [r for r in rows if r["type"] == "done"]
            totals = [r["total"] for r in ok]
            overhead = [max(0.0, t - nominal) for t in totals]
            ttft = [r["ttft"] for r in ok if r["ttft"] is not None]
            errors = [r for r in rows if r["type"] != "done"]
            turns = max(1, len(rows))
            level: dict[str, Any] = {
                "database": db_label,
                "workers": workers,
                "turn_hops": args.turn_hops,
                "chats": chats,
                "trial": trial,
                "turns_per_chat": args.turns,
                "ramp_s": args.ramp_s,
                "think_s": args.think_s,
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
                # server_*, event loop, store processes: over every worker with --workers
                "server_cpu_percent": round(100 * (s1["cpu"] - s0["cpu"]) / wall, 1),
                "server_cpu_ms_per_turn": round(1000 * (s1["cpu"] - s0["cpu"]) / turns, 2),
                "event_loop_cpu_ms_per_turn": round(1000 * (s1["loop"] - s0["loop"]) / turns, 2),
                "store_processes_cpu_ms_per_turn": round(
                    1000 * (s1["store_cpu"] - s0["store_cpu"]) / turns, 2
                ),
                "store_processes_rss_mb": round(s1["store_rss"], 1),
                "fake_llm_cpu_percent": round(100 * (fake1 - fake0) / wall, 1),
                "clients_cpu_percent": round(100 * (self1 - self0) / wall, 1),
                # every process on the machine (PostgreSQL and the kernel included), in % of
                # all its CPUs: near 100 the machine, not the server, sets the pace
                "machine_cpu_busy_percent": busy_percent(busy0, busy1),
                "rss_start_mb": round(s0["rss"], 1),
                # the server and its store processes together
                "rss_growth_mb": round(
                    s1["rss"] + s1["store_rss"] - s0["rss"] - s0["store_rss"], 1
                ),
                "llm_nominal_s": round(nominal, 3),
                "llm_stream_p50_s": streams["p50_s"] and round(streams["p50_s"], 3),
                "llm_stream_p95_s": streams["p95_s"] and round(streams["p95_s"], 3),
            }
            if workers > 1:
                same = s0["apps"] == s1["apps"]
                level["rss_per_worker_mb"] = [round(r, 1) for r in s1["rss_each"]]
                level["worker_rss_max_mb"] = round(max(s1["rss_each"], default=0.0), 1)
                level["worker_cpu_percent"] = (
                    [
                        round(100 * (b - a) / wall, 1)
                        for a, b in zip(s0["cpu_each"], s1["cpu_each"], strict=True)
                    ]
                    if same
                    else None
                )
                level["store_processes_per_worker"] = s1["stores_each"]
                # the chats each worker held when the most were open (sampled every second)
                level["connections_per_worker"] = conns
                # a worker that died and was restarted during the level (its pid changed)
                level["worker_restarts"] = len(set(s1["apps"]) - set(s0["apps"]))
                level["supervisor_rss_mb"] = round(sum_over([server.pid], rss_mb), 1)
                level["chroma_cpu_percent"] = round(100 * (chroma1 - chroma0) / wall, 1)
                level["chroma_rss_mb"] = round(sum_over([chroma.pid] if chroma else [], rss_mb), 1)
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
        stop(server)
        stop(fake, 30)
        if chroma is not None:
            stop(chroma, 30)
        reap(seen)
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
    p.add_argument(
        "--think-s",
        type=float,
        default=0.0,
        help="mean pause in seconds between a reply and the chat's next message, the "
        "shopper reading and typing (uniform in 0.5–1.5× this; 0: no pause)",
    )
    p.add_argument("--tokens", type=int, default=50)
    p.add_argument("--interval", type=float, default=0.024)
    p.add_argument("--postgres-url", default=os.environ.get("SHOP_TEST_POSTGRES_URL"))
    p.add_argument("--out", default=str(ROOT / "bench" / "results" / "load.json"))
    p.add_argument("--repeat", type=int, default=1, help="run each level this many times (trials)")
    p.add_argument(
        "--keep",
        action="store_true",
        help="keep the output file's runs of other shapes "
        "(database, workers, chats, ramp, turns, trial)",
    )
    p.add_argument(
        "--turn-hops",
        choices=("process", "thread"),
        default="process",
        help="where the server runs each turn's store hops (SHOP_DATABASE__TURN_HOPS)",
    )
    p.add_argument("--profile", default=None, help="py-spy raw profile of the last level here")
    p.add_argument(
        "--workers",
        type=int,
        default=1,
        help="serve with this many app processes (`serve --workers N`; more than 1 runs on "
        "PostgreSQL only, with a Chroma server the bench starts)",
    )
    args = p.parse_args()
    if args.workers < 1:
        p.error("--workers must be 1 or more")
    if args.workers > 1 and not args.postgres_url:
        p.error(
            f"--workers {args.workers} needs PostgreSQL (SQLite serves one process): pass "
            "--postgres-url postgresql+psycopg://USER@HOST:PORT/DB or set "
            "SHOP_TEST_POSTGRES_URL (bash .ci/postgres.sh starts a local server)"
        )
    runs = []
    if args.workers == 1:
        runs += measure("sqlite", "sqlite:///{data}/shop.db", args.chats, args)
    if args.postgres_url:
        runs += measure("postgres", args.postgres_url, args.chats, args)
    out = Path(args.out)
    if args.keep and out.exists():
        # keep earlier runs of other shapes (database, workers, chats, ramp, turns); these
        # replace the ones of the same shape (rows from before --workers are 1 worker)
        def shape(r: dict[str, Any]) -> tuple[Any, ...]:
            return (
                r["database"],
                r.get("workers", 1),
                r.get("turn_hops", "thread"),
                r["chats"],
                r.get("ramp_s", 0.0),
                r.get("think_s", 0.0),
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
            f"{r['database']:8} {r.get('workers', 1)}w {r.get('turn_hops', 'thread'):7} "
            f"{r['chats']:4} chats "
            f"(ramp {r.get('ramp_s', 0)} s, think {r.get('think_s', 0)} s, "
            f"trial {r.get('trial', 1)}, "
            f"{r['turns_per_chat']} turns): {r['turns_per_s']} turns/s, overhead p95 "
            f"{r['overhead_p95_s']} s ({ratio:.2f}× target), errors {r['errors']}, "
            f"RSS +{r['rss_growth_mb']} MB, CPU {r['server_cpu_percent']}%"
            + (
                f", machine busy {r['machine_cpu_busy_percent']}%"
                if "machine_cpu_busy_percent" in r
                else ""
            )
            + (f", RSS per worker {r['rss_per_worker_mb']} MB" if "rss_per_worker_mb" in r else "")
        )
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
