"""Replay every tau2 retail task's expected actions through our order service.

For each task: load a fresh store from ``db.json``, authenticate, run reads, propose and
confirm each write through ``catalog.orders`` (the code the agent uses), then compare the
final store with the state computed by ``bench/tau2_reference.py`` — an independent
implementation on the raw JSON. Prints ``N/74 tasks match`` and a diff per mismatch;
writes ``bench/results/policy_replay.json``.

    python bench/policy_replay.py --data ../shared/data/tau2_retail
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from sqlmodel import Session
from tqdm import tqdm

sys.path.insert(0, str(Path(__file__).resolve().parent))
import tau2_reference  # noqa: E402

from catalog.config import DatabaseSettings  # noqa: E402
from catalog.db import create_schema, make_engine  # noqa: E402
from catalog.errors import ShopError  # noqa: E402
from catalog.importer import load_store_dict, read_store_file  # noqa: E402
from catalog.orders.actions import WRITE_ACTIONS  # noqa: E402
from catalog.orders.service import OrderService, calculate  # noqa: E402
from catalog.orders.views import export_store  # noqa: E402
from evals.grader import normalize  # noqa: E402


def diff(a: Any, b: Any, path: str = "") -> list[str]:
    if isinstance(a, dict) and isinstance(b, dict):
        out = []
        for k in sorted(set(a) | set(b)):
            if k not in a:
                out.append(f"{path}/{k}: missing in ours, expected {json.dumps(b[k])[:120]}")
            elif k not in b:
                out.append(f"{path}/{k}: unexpected {json.dumps(a[k])[:120]}")
            else:
                out.extend(diff(a[k], b[k], f"{path}/{k}"))
        return out
    if a == b:
        return []
    return [f"{path}: ours {json.dumps(a)[:120]} != expected {json.dumps(b)[:120]}"]


def template_store(original: dict[str, Any], tmp: Path) -> Path:
    """Load ``db.json`` once into a SQLite file that each task copies (fresh, fast)."""
    path = tmp / "template.db"
    engine = make_engine(DatabaseSettings(url=f"sqlite:///{path}"))
    create_schema(engine)
    load_store_dict(engine, original, progress=False)
    with engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    engine.dispose()
    return path


def replay(
    task: dict[str, Any], original: dict[str, Any], template: Path, tmp: Path
) -> tuple[bool, list[str], list[str]]:
    """Replay one task on a fresh copy of the store; return (match, problems, refusals)."""
    db = tmp / f"task-{task['id']}.db"
    shutil.copyfile(template, db)
    engine = make_engine(DatabaseSettings(url=f"sqlite:///{db}"))
    service = OrderService(engine, identity="tau2", check_typed=False)
    conv = f"task-{task['id']}"
    actor: str | None = None
    expected = original
    problems: list[str] = []
    refused: list[str] = []
    for step, action in enumerate(task["evaluation_criteria"]["actions"]):
        name, args = action["name"], dict(action["arguments"])
        if actor is None and (args.get("order_id") or args.get("user_id")):
            # Tasks that list only the writes: the customer authenticates by email first,
            # as the scenario's conversation would.
            owner = args.get("user_id") or original["orders"][args["order_id"]]["user_id"]
            actor = service.authenticate_email(conv, original["users"][owner]["email"])
        ours_ok, ref_ok, detail = True, True, ""
        try:
            if name in WRITE_ACTIONS:
                expected = tau2_reference.apply(expected, name, args)
            else:
                tau2_reference.check_read(expected, name, args)
        except ValueError as exc:
            ref_ok, detail = False, str(exc)
        try:
            if name == "find_user_id_by_email":
                actor = service.authenticate_email(conv, args["email"])
            elif name == "find_user_id_by_name_zip":
                actor = service.authenticate_name_zip(
                    conv, args["first_name"], args["last_name"], args["zip"]
                )
            elif name == "get_user_details":
                service.user_details(conv, args["user_id"])
            elif name == "get_order_details":
                service.order_details(conv, args["order_id"])
            elif name in ("get_product_details", "get_item_details"):
                if "product_id" in args:
                    service.product_details(args["product_id"])
            elif name == "calculate":
                calculate(args["expression"])
            elif name == "transfer_to_human_agents":
                service.escalate(conv)
            elif name in WRITE_ACTIONS:
                who = service.actor(conv)
                proposal = service.propose(conv, who, name, args, turn_id=f"t{step}")
                service.confirm(conv, who, proposal.token, turn_id=f"t{step}-yes")
            else:
                problems.append(f"step {step}: unknown action {name}")
        except ShopError as exc:
            ours_ok, detail = False, f"{detail} / ours: {exc.message}"
        if ours_ok != ref_ok:
            problems.append(
                f"step {step} {name}: ours {'ok' if ours_ok else 'refused'}, "
                f"reference {'ok' if ref_ok else 'refused'} ({detail})"
            )
        elif not ours_ok:
            refused.append(f"step {step} {name}: both refused ({detail.strip(' /')})")
    del actor
    with Session(engine) as session:
        ours = normalize(export_store(session))
    problems += diff(ours, normalize(expected))
    engine.dispose()
    return not problems, problems, refused


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", required=True, type=Path, help="folder with db.json and tasks")
    ap.add_argument("--out", type=Path, default=Path("bench/results/policy_replay.json"))
    args = ap.parse_args()
    original = read_store_file(args.data / "db.json")
    tasks = json.loads((args.data / "tasks_train.json").read_text())
    started = time.perf_counter()
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        template = template_store(original, Path(tmp))
        for task in tqdm(tasks, desc="Replaying tasks", unit="task"):
            ok, problems, refused = replay(task, original, template, Path(tmp))
            results.append(
                {
                    "task": task["id"],
                    "match": ok,
                    "problems": problems[:20],
                    "refused_by_both": refused,
                }
            )
    matched = sum(r["match"] for r in results)
    both = [(r["task"], x) for r in results for x in r["refused_by_both"]]
    if both:
        print(
            f"\n{len(both)} listed actions were refused by both implementations "
            "(the scenario's agent tried something invalid):"
        )
        for task_id, x in both:
            print(f"  task {task_id}: {x}")
    for r in results:
        if not r["match"]:
            print(f"\ntask {r['task']}: MISMATCH")
            for p in r["problems"]:
                print(f"  {p}")
    print(f"\n{matched}/{len(tasks)} tasks match ({time.perf_counter() - started:.1f}s)")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(
        json.dumps({"matched": matched, "tasks": len(tasks), "results": results}, indent=2) + "\n"
    )
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
