"""Process and OS probes for ``bench/load.py``: the processes it starts and what they use.

Free ports; CPU seconds and RSS read from ``/proc``; the server's process tree (its app
processes, or workers, and their store processes); how busy the whole machine's CPUs are;
the chats each worker holds; waiting for a port or the server's ``ready:`` line; a fresh
PostgreSQL database and a ``chroma run`` server for a run; stopping the processes and
reaping any the server left behind. Linux only (``/proc``).
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url


def free_port() -> int:
    """A TCP port on 127.0.0.1 that is free right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def rss_mb(pid: int) -> float:
    """Resident memory of ``pid`` in MB (``VmRSS`` of ``/proc/<pid>/status``)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def cpu_s(pid: int) -> float:
    """CPU seconds (user + system) ``pid`` has used so far."""
    return _cpu_s_of(Path(f"/proc/{pid}/stat"))


def _main_thread_cpu_s(pid: int) -> float:
    """CPU seconds of the server's event-loop thread alone (its tid is the pid)."""
    return _cpu_s_of(Path(f"/proc/{pid}/task/{pid}/stat"))


def _cpu_s_of(stat: Path) -> float:
    """User + system CPU seconds in a ``/proc/.../stat`` file."""
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
    """The command line of ``pid``, its arguments joined by spaces."""
    return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")


# a worker of ``serve --workers`` is a multiprocessing spawn child of the supervisor (whose
# other child, multiprocessing's resource tracker, is no worker); a store process is
# ``python -m assistant.store_process`` under its app process
WORKER_MARKER = "spawn_main"
STORE_MARKER = "assistant.store_process"


def sum_over(pids: list[int], read: Callable[[int], float]) -> float:
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
        """The app processes: the server itself, or each worker."""
        if self.workers == 1:
            return [self.server_pid]
        return _children(self.server_pid, WORKER_MARKER)

    def stores(self, apps: list[int] | None = None) -> list[int]:
        """The store processes under ``apps`` (default: under every app process)."""
        return [c for a in apps or self.apps() for c in _children(a, STORE_MARKER)]

    def snapshot(self) -> dict[str, Any]:
        """The app and store processes' pids, CPU seconds and RSS right now."""
        apps = self.apps()
        stores = self.stores(apps)
        return {
            "apps": apps,
            "cpu": sum_over(apps, cpu_s),
            "loop": sum_over(apps, _main_thread_cpu_s),
            "rss": sum_over(apps, rss_mb),
            "rss_each": [sum_over([a], rss_mb) for a in apps],
            "cpu_each": [sum_over([a], cpu_s) for a in apps],
            "store_cpu": sum_over(stores, cpu_s),
            "store_rss": sum_over(stores, rss_mb),
            "stores_each": [len(_children(a, STORE_MARKER)) for a in apps],
        }


def machine_cpu() -> tuple[int, int]:
    """(busy, total) clock ticks of all the machine's CPUs since boot (``/proc/stat``)."""
    ticks = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = ticks[3] + (ticks[4] if len(ticks) > 4 else 0)  # idle + iowait
    return sum(ticks) - idle, sum(ticks)


def busy_percent(before: tuple[int, int], after: tuple[int, int]) -> float:
    """Share of the machine's CPU time that was busy between two :func:`machine_cpu` reads."""
    total = after[1] - before[1]
    return round(100 * (after[0] - before[0]) / total, 1) if total else 0.0


def wait_port(port: int, proc: subprocess.Popen[bytes], timeout: float) -> None:
    """Wait until something listens on ``port``; exit if ``proc`` ends first."""
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
    """Inodes of the sockets ``pid`` holds open."""
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
        """Sample the per-worker counts every ``every_s`` until :meth:`stop`."""
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
        """End the sampling; return the per-worker counts at the peak."""
        self.done.set()
        self.join()
        return self.peak


def wait_ready(proc: subprocess.Popen[str], ready: threading.Event, timeout: float) -> None:
    """Wait for the server's ``ready:`` line (its workers may start after the port opens)."""
    deadline = time.monotonic() + timeout
    while not ready.wait(0.2):
        if proc.poll() is not None:
            raise SystemExit(f"the server exited with {proc.returncode} before it was ready")
        if time.monotonic() > deadline:
            raise SystemExit(f"the server did not say ready within {timeout:.0f}s")


def relay(stream: IO[str], ready: threading.Event) -> None:
    """Copy the server's stdout to ours; set ``ready`` at its ``ready:`` line."""
    for line in stream:
        sys.stdout.write(line)
        sys.stdout.flush()
        if line.startswith("ready:"):
            ready.set()


def fresh_database(url: str) -> str:
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


def start_chroma(path: Path) -> tuple[subprocess.Popen[bytes], str]:
    """Start ``chroma run`` with its data in ``path`` on a free port; wait for its heartbeat."""
    exe = Path(sys.executable).parent / "chroma"
    if not exe.exists():
        raise SystemExit(f"--workers needs the chroma command; there is none at {exe}")
    port = free_port()
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


def stop(proc: subprocess.Popen[Any], timeout: float = 60) -> None:
    """Terminate ``proc``; kill it if it has not ended within ``timeout`` seconds."""
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=30)


def _alive(pid: int) -> bool:
    """Whether ``pid`` still runs one of the server's programs (not a reused pid)."""
    try:
        return any(m in _cmdline(pid) for m in (WORKER_MARKER, STORE_MARKER, "serving.cli"))
    except OSError:
        return False


def reap(pids: set[int], grace_s: float = 15.0) -> None:
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
