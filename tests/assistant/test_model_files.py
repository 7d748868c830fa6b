from __future__ import annotations

import hashlib
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
        "pip x",
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
        "pip x",
        hashlib.sha256(blob).hexdigest(),
        len(blob),
    )
    monkeypatch.setitem(MODELS, "fake2", spec)
    out = ensure_model_file("fake2", tmp_path, progress=False)
    out.write_bytes(b"z" * len(blob))  # same size, wrong bytes, stale stamp
    assert ensure_model_file("fake2", tmp_path, progress=False).read_bytes() == blob


def test_digest_mismatch_refuses_to_load(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    spec = ModelSpec(
        "bad", "bad.gguf", _fake_parts(tmp_path, monkeypatch, [b"q" * 10]), 1, "pip x", "0" * 64, 10
    )
    monkeypatch.setitem(MODELS, "bad", spec)
    with pytest.raises(ModelFileError, match="refusing to load"):
        ensure_model_file("bad", tmp_path, progress=False)
    assert not (tmp_path / "bad.gguf").exists()
    assert not (tmp_path / "bad.partial").exists()


def test_missing_parts_and_unknown_models_are_explained(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(
        MODELS,
        "gone",
        ModelSpec("gone", "g.gguf", "nopart_{}", 2, "pip install -e '.[model]'", "0" * 64, 1),
    )
    with pytest.raises(ModelFileError, match=r"nopart_1 is not installed; run `pip install"):
        ensure_model_file("gone", tmp_path, progress=False)
    with pytest.raises(ModelFileError, match="unknown embedded model"):
        ensure_model_file("nope", tmp_path, progress=False)
