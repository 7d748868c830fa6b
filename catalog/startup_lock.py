"""One process at a time prepares the shop: schema, demo store, search index, recommender.

``shopassist serve --workers N`` starts N processes at once, and ``shopassist index`` or
``recs train`` may run as jobs beside them. Whoever holds :func:`startup_lock` builds;
the others wait, then find everything current and only load it. On PostgreSQL the lock
is a session advisory lock (every host on the database); otherwise an exclusive lock on
``<data_dir>/startup.lock`` (every process on this host).
"""

from __future__ import annotations

import fcntl
import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, text

log = logging.getLogger(__name__)

# pg_advisory_lock key: "shopassist start-up" (any constant the app uses for nothing else)
LOCK_KEY = 0x5A0F_57A7
WAITING = "another process is preparing the store and the search index; waiting for it"


@contextmanager
def startup_lock(
    engine: Engine, data_dir: str | Path, *, note: Callable[[str], None] | None = None
) -> Iterator[bool]:
    """Hold the start-up lock for the block; yields True when it had to wait for it.

    ``note`` is told (once) that this process waits, so a slow start says why.
    """
    say = note or log.info
    if engine.dialect.name == "postgresql":
        with engine.connect() as conn:
            got = conn.execute(text("SELECT pg_try_advisory_lock(:k)"), {"k": LOCK_KEY}).scalar()
            if not got:
                say(WAITING)
                conn.execute(text("SELECT pg_advisory_lock(:k)"), {"k": LOCK_KEY})
            conn.commit()  # the session lock outlives the transaction: nothing stays open
            try:
                yield not got
            finally:
                conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": LOCK_KEY})
                conn.commit()
        return
    path = Path(data_dir) / "startup.lock"
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a") as fh:
        waited = False
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            say(WAITING)
            waited = True
            fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield waited
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)
