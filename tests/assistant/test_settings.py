from __future__ import annotations

import pytest

from assistant.settings import Settings


def test_env_prefix_nested_and_flat_aliases(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SHOP_LLM_BASE_URL", "http://gpu:8000/v1")
    monkeypatch.setenv("SHOP_DATABASE_URL", "postgresql+psycopg://u:p@localhost/shop")
    monkeypatch.setenv("SHOP_LLM__MAX_TOKENS", "99")
    monkeypatch.setenv("SHOP_AGENT__MAX_STEPS", "2")
    s = Settings(_env_file=None)  # type: ignore[call-arg]
    assert s.llm.base_url == "http://gpu:8000/v1"
    assert s.llm.use_native_tools() is True
    assert s.database.url.startswith("postgresql+psycopg://")
    assert (s.llm.max_tokens, s.agent.max_steps) == (99, 2)


def test_defaults_are_embedded_and_json_protocol(monkeypatch: pytest.MonkeyPatch) -> None:
    for var in ("SHOP_LLM_BASE_URL", "SHOP_DATABASE_URL"):
        monkeypatch.delenv(var, raising=False)
    s = Settings(_env_file=None, data_dir="/tmp/x")  # type: ignore[call-arg]
    assert s.llm.base_url is None and s.llm.use_native_tools() is False
    assert s.database.url == "sqlite:////tmp/x/shop.db"
    assert s.retrieval.chroma_path == "/tmp/x/chroma"


def test_invalid_values_are_rejected(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SHOP_AGENT__MAX_STEPS", "0")
    with pytest.raises(ValueError, match="max_steps"):
        Settings(_env_file=None)  # type: ignore[call-arg]


def test_flat_aliases_are_read_from_the_env_file(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`.env.example` tells users to put SHOP_LLM_BASE_URL in .env: it must take effect."""
    for var in ("SHOP_LLM_BASE_URL", "SHOP_DATABASE_URL", "SHOP_LLM_MODEL", "SHOP_LLM_API_KEY"):
        monkeypatch.delenv(var, raising=False)
    env = tmp_path / ".env"
    env.write_text(
        "SHOP_LLM_BASE_URL=http://vllm-host:8001/v1\nSHOP_LLM_MODEL=Qwen/Qwen2.5-7B\n"
        "SHOP_LLM_API_KEY=s3cret\nSHOP_AGENT__MAX_STEPS=3\n"
    )
    s = Settings(_env_file=str(env))  # type: ignore[call-arg]
    assert s.llm.base_url == "http://vllm-host:8001/v1" and s.llm.model == "Qwen/Qwen2.5-7B"
    assert s.llm.api_key.get_secret_value() == "s3cret" and "s3cret" not in repr(s)
    assert s.agent.max_steps == 3
    monkeypatch.setenv("SHOP_LLM_BASE_URL", "http://from-env:9/v1")
    assert Settings(_env_file=str(env)).llm.base_url == "http://from-env:9/v1"  # type: ignore[call-arg]


def test_paths_follow_data_dir_unless_set(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SHOP_DATABASE_URL", raising=False)
    s = Settings(_env_file=None, data_dir="/srv/shop")  # type: ignore[call-arg]
    assert (s.database.url, s.retrieval.chroma_path, s.llm.models_dir) == (
        "sqlite:////srv/shop/shop.db",
        "/srv/shop/chroma",
        "/srv/shop/models",
    )
    monkeypatch.setenv("SHOP_RETRIEVAL__CHROMA_PATH", "/fast/chroma")
    s = Settings(_env_file=None, data_dir="/srv/shop")  # type: ignore[call-arg]
    assert s.retrieval.chroma_path == "/fast/chroma" and s.llm.models_dir == "/srv/shop/models"


def _knobs(model: type, prefix: str) -> list[str]:
    from pydantic import BaseModel

    out = []
    for name, field in model.model_fields.items():
        kind = field.annotation
        if isinstance(kind, type) and issubclass(kind, BaseModel):
            out += _knobs(kind, f"{prefix}{name.upper()}__")
        else:
            out.append(f"{prefix}{name.upper()}")
    return out


def test_env_example_documents_every_knob_once() -> None:
    import re
    from pathlib import Path

    text = (Path(__file__).resolve().parents[2] / ".env.example").read_text()
    assigned = re.findall(r"^#?\s*(SHOP_[A-Z0-9_]+)=", text, re.M)
    aliases = {
        "SHOP_DATABASE__URL": "SHOP_DATABASE_URL",
        "SHOP_LLM__BASE_URL": "SHOP_LLM_BASE_URL",
        "SHOP_LLM__MODEL": "SHOP_LLM_MODEL",
        "SHOP_LLM__API_KEY": "SHOP_LLM_API_KEY",
    }
    for knob in _knobs(Settings, "SHOP_"):
        name = aliases.get(knob, knob)
        assert assigned.count(name) == 1, f"{name} is documented {assigned.count(name)} times"
