"""A single self-contained ``report.html``: no script, no CDN, charts as inline SVG.

Every string from a run (shopper text, replies, tool results) is HTML-escaped.
"""

from __future__ import annotations

import json
from html import escape
from typing import Any

CSS = """
body{font:14px/1.45 system-ui,sans-serif;margin:24px;color:#1d2330;max-width:1200px}
h1{font-size:22px}h2{font-size:18px;margin-top:28px}table{border-collapse:collapse;margin:8px 0}
td,th{border:1px solid #d5d9e0;padding:4px 8px;text-align:left;vertical-align:top}
th{background:#f1f3f6}.pass{color:#137333;font-weight:600}.fail{color:#b3261e;font-weight:600}
details{border:1px solid #d5d9e0;border-radius:6px;margin:6px 0;padding:4px 10px}
summary{cursor:pointer}.turn{border-left:3px solid #c6cbd3;margin:10px 0;padding:2px 10px}
.user{background:#eef3fd;padding:6px;border-radius:4px}.bot{background:#f6f7f9;padding:6px;
border-radius:4px;white-space:pre-wrap}.tool{font:12px monospace;background:#fbf8ee;padding:4px;
white-space:pre-wrap;word-break:break-all}.bad{background:#fde7e6;border-left:3px solid #b3261e;
padding:2px 6px;margin:2px 0}.ok{color:#5f6368;font-size:12px}.cards{font-size:12px;color:#3c4043}
.meta{font-size:12px;color:#5f6368}svg text{font:11px system-ui,sans-serif}
"""


def _fmt(v: object) -> str:
    if v is None:
        return "–"
    if isinstance(v, float):
        return f"{v:.3g}" if abs(v) < 1 else f"{v:.2f}"
    return escape(str(v))


def _bar_chart(values: list[tuple[str, float]], *, width: int = 560, unit: str = "") -> str:
    """Horizontal bars, one per (label, value in 0..1 or any scale)."""
    if not values:
        return "<p class='meta'>no data</p>"
    top = max(v for _, v in values) or 1.0
    row = 18
    h = row * len(values) + 10
    parts = [f"<svg width='{width}' height='{h}' role='img'>"]
    for i, (label, v) in enumerate(values):
        y = 5 + i * row
        w = int((width - 230) * v / top)
        parts.append(
            f"<text x='0' y='{y + 12}'>{escape(label[:28])}</text>"
            f"<rect x='180' y='{y + 2}' width='{w}' height='{row - 5}' fill='#4c7bd9'/>"
            f"<text x='{185 + w}' y='{y + 12}'>{v:.2f}{unit}</text>"
        )
    parts.append("</svg>")
    return "".join(parts)


def _histogram(values: list[float], *, bins: int = 12, width: int = 560, height: int = 160) -> str:
    if not values:
        return "<p class='meta'>no turns</p>"
    hi = max(values) or 1.0
    step = hi / bins
    counts = [0] * bins
    for v in values:
        counts[min(bins - 1, int(v / step) if step else 0)] += 1
    top = max(counts) or 1
    bw = (width - 40) / bins
    parts = [f"<svg width='{width}' height='{height + 30}' role='img'>"]
    for i, c in enumerate(counts):
        bh = (height - 10) * c / top
        x = 30 + i * bw
        parts.append(
            f"<rect x='{x:.1f}' y='{height - bh:.1f}' width='{bw - 2:.1f}' "
            f"height='{bh:.1f}' fill='#7aa37a'><title>{c} turns</title></rect>"
        )
        if c:
            parts.append(f"<text x='{x + 2:.1f}' y='{height - bh - 2:.1f}'>{c}</text>")
        if i % 2 == 0:
            label = f"{i * step:.1f}" if hi < 20 else f"{i * step:.0f}"
            parts.append(f"<text x='{x:.1f}' y='{height + 14}'>{label}s</text>")
    parts.append(f"<text x='{width - 80}' y='{height + 28}'>turn seconds</text></svg>")
    return "".join(parts)


def _curve(points: list[tuple[int, float]], *, width: int = 360, height: int = 160) -> str:
    if not points:
        return "<p class='meta'>no trials</p>"
    n = max(k for k, _ in points)

    def xy(k: int, v: float) -> tuple[float, float]:
        x = 40 + (width - 60) * ((k - 1) / max(1, n - 1))
        return x, 10 + (height - 30) * (1 - v)

    path = " ".join(
        f"{'M' if i == 0 else 'L'}{xy(k, v)[0]:.1f},{xy(k, v)[1]:.1f}"
        for i, (k, v) in enumerate(points)
    )
    parts = [
        f"<svg width='{width}' height='{height}' role='img'>",
        f"<line x1='40' y1='{height - 20}' x2='{width - 20}' y2='{height - 20}' stroke='#999'/>",
        f"<line x1='40' y1='10' x2='40' y2='{height - 20}' stroke='#999'/>",
        f"<path d='{path}' fill='none' stroke='#b3261e' stroke-width='2'/>",
    ]
    for k, v in points:
        x, y = xy(k, v)
        parts.append(
            f"<circle cx='{x:.1f}' cy='{y:.1f}' r='3' fill='#b3261e'/>"
            f"<text x='{x - 8:.1f}' y='{y - 6:.1f}'>{v:.2f}</text>"
            f"<text x='{x - 4:.1f}' y='{height - 6}'>k={k}</text>"
        )
    parts.append(f"<text x='2' y='14'>1.0</text><text x='2' y='{height - 20}'>0.0</text></svg>")
    return "".join(parts)


def _checks_html(checks: list[dict[str, Any]]) -> str:
    bad = [c for c in checks if not c["ok"]]
    okc = [c for c in checks if c["ok"]]
    out = "".join(
        f"<div class='bad'>✗ <b>{escape(c['check'])}</b> {escape(c['detail'])}</div>" for c in bad
    )
    if okc:
        out += "<div class='ok'>✓ " + ", ".join(escape(c["check"]) for c in okc) + "</div>"
    return out


def _turn_html(t: dict[str, Any]) -> str:
    tools = "".join(
        f"<div class='tool'>→ {escape(c['name'])} "
        f"{escape(json.dumps(c['args'], ensure_ascii=False))}"
        f"\n← {escape(c['result'][:600])}</div>"
        for c in t["tools"]
    )
    cards = ", ".join(
        f"{escape(str(c.get('name')))} (${float(c.get('price', 0)):.2f})" for c in t["cards"]
    )
    timing = (
        f"{t['seconds']:.2f}s · first token {_fmt(t['ttft_s'])}s · first card "
        f"{_fmt(t['ttfc_s'])}s · tokens {t['tokens_in']}→{t['tokens_out']}"
        f" · auth={t['authenticated']} escalated={t['escalated']} writes={len(t['writes'])}"
    )
    err = f"<div class='bad'>error: {escape(t['error'])}</div>" if t.get("error") else ""
    return (
        f"<div class='turn'><div class='user'><b>Shopper:</b> {escape(t['user'])}</div>{tools}"
        f"<div class='bot'><b>Assistant:</b> {escape(t['reply'])}</div>"
        + (f"<div class='cards'>cards: {cards}</div>" if cards else "")
        + f"{err}<div class='meta'>{timing}</div>{_checks_html(t['checks'])}</div>"
    )


def render_html(report: dict[str, Any]) -> str:
    """Render the whole report as one HTML page (inline CSS and SVG only)."""
    s = report["summary"]
    lat = s["latency_s"]
    rows = [
        ("Scenarios", s["scenarios"]),
        ("Runs (scenarios × trials)", s["runs"]),
        ("Pass rate", s["pass_rate"]),
        ("In-scope pass rate", s["in_scope_pass_rate"]),
        ("Roadmap pass rate", s["roadmap_pass_rate"]),
        ("Invariant violations", s["invariant_violations"]),
        ("Errors", s["errors"]),
        ("Writes executed", s["writes_executed"]),
        ("Turn p50 / p95 (s)", f"{_fmt(lat['turn_p50'])} / {_fmt(lat['turn_p95'])}"),
        ("First token p50 / p95 (s)", f"{_fmt(lat['ttft_p50'])} / {_fmt(lat['ttft_p95'])}"),
        ("First card p50 / p95 (s)", f"{_fmt(lat['ttfc_p50'])} / {_fmt(lat['ttfc_p95'])}"),
        ("LLM tokens in / out", f"{s['tokens']['in']} / {s['tokens']['out']}"),
    ]
    summary = "".join(
        f"<tr><th>{escape(k)}</th><td>{_fmt(v) if not isinstance(v, str) else v}</td></tr>"
        for k, v in rows
    )
    tags = _bar_chart(
        [(f"{t} ({v['passed']}/{v['runs']})", v["pass_rate"]) for t, v in s["by_tag"].items()]
    )
    fails = (
        "".join(
            f"<tr><td>{escape(k)}</td><td>{v}</td></tr>" for k, v in s["check_failures"].items()
        )
        or "<tr><td>none</td></tr>"
    )
    curve = _curve([(int(k), v) for k, v in s["pass_hat_k"].items() if v is not None])
    hist = _histogram([t["seconds"] for r in report["runs"] for t in r["turns"]])
    runs = []
    for r in report["runs"]:
        mark = "<span class='pass'>PASS</span>" if r["passed"] else "<span class='fail'>FAIL</span>"
        nfail = sum(1 for t in r["turns"] for c in t["checks"] if not c["ok"]) + sum(
            1 for c in r["final_checks"] if not c["ok"]
        )
        body = "".join(_turn_html(t) for t in r["turns"])
        if r["final_checks"]:
            body += f"<div class='turn'><b>final</b>{_checks_html(r['final_checks'])}</div>"
        if r.get("error"):
            body += f"<div class='bad'>scenario error: {escape(r['error'])}</div>"
        runs.append(
            f"<details{'' if r['passed'] else ' open'}><summary>{mark} "
            f"<b>{escape(r['id'])}</b> trial {r['trial']} · {nfail} failed checks · "
            f"{r['seconds']:.1f}s · <span class='meta'>{escape(', '.join(r['tags']))}"
            f"</span></summary><div class='meta'>{escape(r['file'])} · customer "
            f"{escape(str(r.get('customer')))}</div>{body}</details>"
        )
    cfg = escape(json.dumps(report.get("config", {}), indent=1, ensure_ascii=False))
    partial = (
        "<p class='fail'>Partial report: the run was interrupted.</p>"
        if report.get("partial")
        else ""
    )
    return (
        f"<!doctype html><html lang='en'><head><meta charset='utf-8'>"
        f"<title>shopassist dialogue evaluation</title><style>{CSS}</style></head><body>"
        f"<h1>Dialogue evaluation</h1><p class='meta'>{escape(report['created_at'])}</p>"
        f"{partial}<table>{summary}</table><h2>Pass rate by tag</h2>{tags}"
        f"<h2>pass^k</h2>{curve}<h2>Turn latency</h2>{hist}"
        f"<h2>Failed checks</h2><table><tr><th>check</th><th>failures</th></tr>{fails}</table>"
        f"<h2>Scenarios</h2>{''.join(runs)}<h2>Configuration</h2><pre>{cfg}</pre>"
        "</body></html>"
    )
