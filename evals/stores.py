"""Fresh stores for evaluations: one pristine template, one copy per scenario run.

The template is the seeded demo store (or an imported tau2 ``db.json``), generated once
into a SQLite file and indexed once. Each scenario run gets a byte copy of that file, so
writes never leak between scenarios, and the search indexes are shared (the catalog is
identical in every copy).
"""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy.engine import Engine

from assistant.bootstrap import build_recommender, build_searcher
from assistant.settings import Settings
from catalog.config import DatabaseSettings
from catalog.db import create_schema, make_engine
from catalog.demo import DEMO_VERSION, generate_store
from catalog.importer import load_store_dict, read_store_file
from recommend.service import RecommendationService
from retrieval.hybrid import HybridSearcher


def _sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"


@dataclass
class EvalStore:
    """A template store on disk plus a searcher over it; hands out fresh copies."""

    root: Path
    template: Path
    searcher: HybridSearcher
    source: str
    recs: RecommendationService

    @classmethod
    def prepare(
        cls, settings: Settings, root: Path, *, tau2_db: Path | None = None, progress: bool = True
    ) -> EvalStore:
        """Build (or reuse) the template for the demo store or a tau2 ``db.json``."""
        root.mkdir(parents=True, exist_ok=True)
        if tau2_db is not None:
            key = hashlib.sha256(Path(tau2_db).read_bytes()).hexdigest()[:16]
            name, source = f"tau2-{key}", f"tau2:{tau2_db}"
        else:
            spec = settings.demo.model_dump_json() + f"|generator {DEMO_VERSION}"
            key = hashlib.sha256(spec.encode()).hexdigest()[:16]
            name, source = (
                f"demo-{key}",
                f"demo store (seed {settings.demo.seed}, "
                f"{settings.demo.products} products, {settings.demo.users} customers)",
            )
        template = root / f"{name}.db"
        if not template.exists():
            partial = root / f"{name}.partial.db"
            partial.unlink(missing_ok=True)
            engine = make_engine(DatabaseSettings(url=_sqlite_url(partial)))
            create_schema(engine)
            data: dict[str, Any] = (
                read_store_file(tau2_db)
                if tau2_db is not None
                else generate_store(settings.demo, progress=progress)
            )
            load_store_dict(engine, data, progress=progress)
            with engine.connect() as conn:
                conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
            engine.dispose()
            partial.replace(template)
        # Each eval store keeps its own embedded index, never a shared Chroma server's.
        retrieval = settings.retrieval.model_copy(
            update={
                "chroma_path": str(root / f"{name}-chroma"),
                "chroma_url": None,
                "collection": "products",
            }
        )
        scoped = settings.model_copy(update={"retrieval": retrieval})
        engine = make_engine(DatabaseSettings(url=_sqlite_url(template)))
        create_schema(engine)  # a template made by an older version gains new tables
        with engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        searcher, _stats = build_searcher(engine, scoped, progress=progress)
        recs = build_recommender(
            engine, scoped.model_copy(update={"data_dir": str(root / f"{name}-recs")}), searcher
        )
        return cls(root=root, template=template, searcher=searcher, source=source, recs=recs)

    def fresh(self, label: str) -> Engine:
        """Return an engine on a new, private copy of the template."""
        runs = self.root / "runs"
        runs.mkdir(exist_ok=True)
        safe = "".join(c if c.isalnum() or c in "-_." else "_" for c in label)[:60]
        path = runs / f"{safe}-{uuid.uuid4().hex[:8]}.db"
        src = sqlite3.connect(self.template)
        dst = sqlite3.connect(path)
        try:
            src.backup(dst)
        finally:
            dst.close()
            src.close()
        return make_engine(DatabaseSettings(url=_sqlite_url(path)))

    def cleanup(self) -> None:
        """Delete every scenario copy (the template and its index stay for the next run)."""
        shutil.rmtree(self.root / "runs", ignore_errors=True)
