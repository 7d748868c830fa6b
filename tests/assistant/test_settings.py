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
