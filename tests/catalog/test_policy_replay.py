"""The tau2 policy replay (bench/policy_replay.py) must match the reference on every task."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import SHARED_DATA

ROOT = Path(__file__).resolve().parents[2]
DATA = SHARED_DATA / "tau2_retail"


@pytest.mark.skipif(not (DATA / "tasks_train.json").is_file(), reason="shared tau2 data absent")
def test_every_tau2_task_replays_to_the_reference_state(tmp_path: Path) -> None:
    out = tmp_path / "replay.json"
    proc = subprocess.run(
        [
            sys.executable,
            str(ROOT / "bench" / "policy_replay.py"),
            "--data",
            str(DATA),
            "--out",
            str(out),
        ],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=ROOT,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    result = json.loads(out.read_text())
    tasks = len(json.loads((DATA / "tasks_train.json").read_text()))
    assert f"{tasks}/{tasks} tasks match" in proc.stdout, proc.stdout[-3000:]
    assert result["matched"] == result["tasks"] == tasks
