"""``report.json`` (stable schema ``shopassist.eval.report/1``) and the regression compare.

Schema (documented in ``evals/scenarios/REPORT.md``)::

    {"schema": "shopassist.eval.report/1", "created_at": ISO time, "partial": bool,
     "config": {...how it ran...}, "summary": {...evals.metrics.summarize...},
     "runs": [ScenarioRun, ...]}
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from evals.errors import ReportError
from evals.html_report import render_html
from evals.metrics import DEFAULT_ROADMAP_TAGS, summarize
from evals.records import ScenarioRun

SCHEMA = "shopassist.eval.report/1"


def build_report(
    runs: list[ScenarioRun],
    *,
    config: dict[str, Any],
    trials: int,
    partial: bool = False,
    roadmap_tags: tuple[str, ...] = DEFAULT_ROADMAP_TAGS,
) -> dict[str, Any]:
    """Assemble the report document from finished runs."""
    ordered = sorted(runs, key=lambda r: (r.file, r.id, r.trial))
    return {
        "schema": SCHEMA,
        "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "partial": partial,
        "config": {**config, "roadmap_tags": list(roadmap_tags)},
        "summary": summarize(ordered, trials=trials, roadmap_tags=roadmap_tags),
        "runs": [r.model_dump(mode="json") for r in ordered],
    }


def write_report(report: dict[str, Any], out_dir: Path) -> tuple[Path, Path]:
    """Write ``report.json`` and the self-contained ``report.html`` into ``out_dir``."""
    out_dir.mkdir(parents=True, exist_ok=True)
    json_path, html_path = out_dir / "report.json", out_dir / "report.html"
    tmp = json_path.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(report, indent=1, ensure_ascii=False), "utf-8")
    tmp.replace(json_path)
    html_path.write_text(render_html(report), "utf-8")
    return json_path, html_path


def load_report(path: str | Path) -> dict[str, Any]:
    """Read a report.json and check its schema tag."""
    p = Path(path)
    try:
        data = json.loads(p.read_text("utf-8"))
    except FileNotFoundError as exc:
        raise ReportError(f"{p}: no such report") from exc
    except json.JSONDecodeError as exc:
        raise ReportError(f"{p}: not JSON: {exc}") from exc
    if not isinstance(data, dict) or data.get("schema") != SCHEMA:
        raise ReportError(f"{p}: not a {SCHEMA} report")
    return data


def scenario_outcomes(report: dict[str, Any]) -> dict[str, tuple[int, int]]:
    """Scenario id → (trials passed, trials run)."""
    out: dict[str, tuple[int, int]] = {}
    for run in report.get("runs", []):
        passed, total = out.get(run["id"], (0, 0))
        out[run["id"]] = (passed + int(bool(run["passed"])), total + 1)
    return out


def _ratio(outcome: tuple[int, int]) -> str:
    return f"{outcome[0]}/{outcome[1]}"


@dataclass
class Comparison:
    """Scenarios that got worse, got better, appeared or disappeared between two reports."""

    regressions: list[str] = field(default_factory=list)
    fixes: list[str] = field(default_factory=list)
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    old_pass_rate: float | None = None
    new_pass_rate: float | None = None

    def lines(self) -> list[str]:
        """Return a short human-readable listing."""
        out = [f"pass rate {self.old_pass_rate} -> {self.new_pass_rate}"]
        out += [f"REGRESSION {s}" for s in self.regressions]
        out += [f"fixed      {s}" for s in self.fixes]
        out += [f"new        {s}" for s in self.added]
        out += [f"removed    {s}" for s in self.removed]
        return out


def compare(old: dict[str, Any], new: dict[str, Any]) -> Comparison:
    """Compare reports: a scenario regresses when its share of passed trials drops."""
    a, b = scenario_outcomes(old), scenario_outcomes(new)
    cmp = Comparison(
        old_pass_rate=old.get("summary", {}).get("pass_rate"),
        new_pass_rate=new.get("summary", {}).get("pass_rate"),
    )
    for sid in sorted(set(a) | set(b)):
        if sid not in a:
            cmp.added.append(sid)
        elif sid not in b:
            cmp.removed.append(sid)
        else:
            ra, rb = a[sid][0] / a[sid][1], b[sid][0] / b[sid][1]
            if rb < ra:
                cmp.regressions.append(f"{sid} ({_ratio(a[sid])} -> {_ratio(b[sid])})")
            elif rb > ra:
                cmp.fixes.append(f"{sid} ({_ratio(a[sid])} -> {_ratio(b[sid])})")
    return cmp
