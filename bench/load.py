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
import contextlib
import json
import os
import platform
import random
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import IO, Any

import numpy as np
import websockets
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
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


def _children(pid: int, marker: str | None = None) -> list[int]:
    """Process ids whose parent is ``pid`` (and whose command line holds ``marker``)."""
    out = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            if int(stat.read_text().rsplit(")", 1)[1].split()[1]) != pid:
                continue
            if marker is not None and marker not in _cmdline(int(stat.parent.name)):
                continue
            out.append(int(stat.parent.name))
        except (OSError, ValueError, IndexError):
            continue
    return sorted(out)


def _cmdline(pid: int) -> str:
    return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")


# a worker of ``serve --workers`` is a multiprocessing spawn child of the supervisor (whose
# other child, multiprocessing's resource tracker, is no worker); a store process is
# ``python -m assistant.store_process`` under its app process
WORKER_MARKER = "spawn_main"
STORE_MARKER = "assistant.store_process"


def _sum(pids: list[int], read: Any) -> float:
    """``read(pid)`` summed over ``pids``; a process that ended counts 0."""
    total = 0.0
    for pid in pids:
        try:
            total += read(pid)
        except OSError:
            continue
    return total


class Tree:
    """The server's processes: the app processes (the server, or each worker) and their store
    processes; with workers, the supervisor above them."""

    def __init__(self, server_pid: int, workers: int) -> None:
        self.server_pid = server_pid
        self.workers = workers

    def apps(self) -> list[int]:
        if self.workers == 1:
            return [self.server_pid]
        return _children(self.server_pid, WORKER_MARKER)

    def stores(self, apps: list[int] | None = None) -> list[int]:
        return [c for a in apps or self.apps() for c in _children(a, STORE_MARKER)]

    def snapshot(self) -> dict[str, Any]:
        apps = self.apps()
        stores = self.stores(apps)
        return {
            "apps": apps,
            "cpu": _sum(apps, _cpu_s),
            "loop": _sum(apps, _main_thread_cpu_s),
            "rss": _sum(apps, _rss_mb),
            "rss_each": [_sum([a], _rss_mb) for a in apps],
            "cpu_each": [_sum([a], _cpu_s) for a in apps],
            "store_cpu": _sum(stores, _cpu_s),
            "store_rss": _sum(stores, _rss_mb),
            "stores_each": [len(_children(a, STORE_MARKER)) for a in apps],
        }


def _machine_cpu() -> tuple[int, int]:
    """(busy, total) clock ticks of all the machine's CPUs since boot (``/proc/stat``)."""
    ticks = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = ticks[3] + (ticks[4] if len(ticks) > 4 else 0)  # idle + iowait
    return sum(ticks) - idle, sum(ticks)


def _busy_percent(before: tuple[int, int], after: tuple[int, int]) -> float:
    """Share of the machine's CPU time that was busy between two :func:`_machine_cpu` reads."""
    total = after[1] - before[1]
    return round(100 * (after[0] - before[0]) / total, 1) if total else 0.0


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


def _established(port: int) -> set[int]:
    """Socket inodes of the established TCP connections to local ``port``."""
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        with contextlib.suppress(OSError):
            for line in Path(table).read_text().splitlines()[1:]:
                f = line.split()
                if f[3] == "01" and int(f[1].rsplit(":", 1)[1], 16) == port:
                    inodes.add(int(f[9]))
    return inodes


def _socket_inodes(pid: int) -> set[int]:
    out = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        with contextlib.suppress(OSError):
            link = os.readlink(fd)
            if link.startswith("socket:["):
                out.add(int(link[8:-1]))
    return out


class ConnectionCount(threading.Thread):
    """Chats each worker holds: the per-worker counts at the moment the total peaked."""

    def __init__(self, pids: list[int], port: int, every_s: float = 1.0) -> None:
        super().__init__(daemon=True)
        self.pids, self.port, self.every_s = pids, port, every_s
        self.peak = [0] * len(pids)
        self.cpu_s = 0.0  # this thread's own CPU, not the load generator's
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.wait(self.every_s):
            started = time.thread_time()
            conns = _established(self.port)
            counts = []
            for pid in self.pids:
                try:
                    counts.append(len(_socket_inodes(pid) & conns))
                except OSError:
                    counts.append(0)
            if sum(counts) > sum(self.peak):
                self.peak = counts
            self.cpu_s += time.thread_time() - started

    def stop(self) -> list[int]:
        self.done.set()
        self.join()
        return self.peak


def _wait_ready(proc: subprocess.Popen[str], ready: threading.Event, timeout: float) -> None:
    """Wait for the server's ``ready:`` line (its workers may start after the port opens)."""
    deadline = time.monotonic() + timeout
    while not ready.wait(0.2):
        if proc.poll() is not None:
            raise SystemExit(f"the server exited with {proc.returncode} before it was ready")
        if time.monotonic() > deadline:
            raise SystemExit(f"the server did not say ready within {timeout:.0f}s")


def _relay(stream: IO[str], ready: threading.Event) -> None:
    """Copy the server's stdout to ours; set ``ready`` at its ``ready:`` line."""
    for line in stream:
        sys.stdout.write(line)
        sys.stdout.flush()
        if line.startswith("ready:"):
            ready.set()


def _fresh_database(url: str) -> str:
    """Drop and create ``<db>_load`` on ``url``'s server; return its URL."""
    base = make_url(url)
    name = f"{base.database}_load"
    admin = create_engine(base.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    finally:
        admin.dispose()
    return base.set(database=name).render_as_string(hide_password=False)


def _start_chroma(path: Path) -> tuple[subprocess.Popen[bytes], str]:
    """Start ``chroma run`` with its data in ``path`` on a free port; wait for its heartbeat."""
    exe = Path(sys.executable).parent / "chroma"
    if not exe.exists():
        raise SystemExit(f"--workers needs the chroma command; there is none at {exe}")
    port = _port()
    url = f"http://127.0.0.1:{port}"
    log = (path / "chroma.log").open("wb")
    cmd = [str(exe), "run", "--path", str(path / "data"), "--host", "127.0.0.1"]
    proc = subprocess.Popen(
        [*cmd, "--port", str(port)],
        stdout=log,
        stderr=subprocess.STDOUT,
        env={**os.environ, "ANONYMIZED_TELEMETRY": "False", "NO_COLOR": "1"},
    )
    log.close()
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(f"{url}/api/v2/heartbeat", timeout=2) as r:
                if r.status == 200:
                    return proc, url
        except (urllib.error.URLError, OSError):
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            tail = (path / "chroma.log").read_text(errors="replace")[-2000:]
            raise SystemExit(f"chroma run did not answer {url}/api/v2/heartbeat:\n{tail}")
        time.sleep(0.2)


def _stop(proc: subprocess.Popen[Any], timeout: float = 60) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=30)


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
    llm_port, app_port = _port(), _port()
    workers = args.workers
    nominal = args.tokens * args.interval
    data = Path(tempfile.mkdtemp(prefix="shopassist-load-"))
    if db_url.startswith("postgresql"):
        db_url = _fresh_database(db_url)
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
        chroma, env["SHOP_RETRIEVAL__CHROMA_URL"] = _start_chroma(data)
        cmd += ["--workers", str(workers)]
    server = subprocess.Popen(cmd, env=env, cwd=ROOT, stdout=subprocess.PIPE, text=True, bufsize=1)
    assert server.stdout is not None
    ready = threading.Event()
    threading.Thread(target=_relay, args=(server.stdout, ready), daemon=True).start()
    tree = Tree(server.pid, workers)
    seen: set[int] = set()  # every worker and store process, to stop any left behind
    results = []
    try:
        _wait_port(llm_port, fake, 30)
        _wait_ready(server, ready, 900)
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
            fake0, self0 = _cpu_s(fake.pid), time.process_time()
            chroma0 = _cpu_s(chroma.pid) if chroma else 0.0
            counter = ConnectionCount(s0["apps"], app_port) if workers > 1 else None
            if counter is not None:
                counter.start()
            busy0 = _machine_cpu()
            rows, wall = asyncio.run(_run_level(url, chats, args.turns, args.ramp_s, args.think_s))
            busy1 = _machine_cpu()
            conns = counter.stop() if counter is not None else None
            s1 = tree.snapshot()
            streams = _fake_stats(llm_port)
            fake1, self1 = _cpu_s(fake.pid), time.process_time()
            self1 -= counter.cpu_s if counter is not None else 0.0
            chroma1 = _cpu_s(chroma.pid) if chroma else 0.0
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
                "machine_cpu_busy_percent": _busy_percent(busy0, busy1),
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
                level["supervisor_rss_mb"] = round(_sum([server.pid], _rss_mb), 1)
                level["chroma_cpu_percent"] = round(100 * (chroma1 - chroma0) / wall, 1)
                level["chroma_rss_mb"] = round(_sum([chroma.pid] if chroma else [], _rss_mb), 1)
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
        _stop(server)
        _stop(fake, 30)
        if chroma is not None:
            _stop(chroma, 30)
        _reap(seen)
    return results


def _alive(pid: int) -> bool:
    """Whether ``pid`` still runs one of the server's programs (not a reused pid)."""
    try:
        return any(m in _cmdline(pid) for m in (WORKER_MARKER, STORE_MARKER, "serving.cli"))
    except OSError:
        return False


def _reap(pids: set[int], grace_s: float = 15.0) -> None:
    """Give the server's workers and store processes ``grace_s`` to end; kill the rest."""
    deadline = time.monotonic() + grace_s
    while any(_alive(p) for p in pids) and time.monotonic() < deadline:
        time.sleep(0.1)
    for pid in pids:
        if _alive(pid):
            with contextlib.suppress(OSError):
                what = _cmdline(pid)[:80]
                os.kill(pid, signal.SIGKILL)
                print(f"warning: killed {pid} ({what}), {grace_s:.0f} s after the server ended")


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
