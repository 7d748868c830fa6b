"""Settings section for the LLM backend."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field, SecretStr


class LLMSettings(BaseModel):
    """Which LLM answers, and how it is reached.

    With ``base_url`` unset the app starts the embedded llama.cpp server in-process on
    ``embedded_model``; set it to any OpenAI-compatible server (vLLM) to use that instead.
    """

    base_url: str | None = Field(
        default=None,
        description="OpenAI-compatible base URL, e.g. http://gpu-host:8000/v1. Unset = embedded.",
    )
    api_key: SecretStr = Field(
        default=SecretStr("not-needed"), description="Bearer key of the server (vLLM --api-key)."
    )
    model: str = Field(
        default="qwen2.5-coder-1.5b-instruct",
        description="Model name sent to the server (vLLM: the served name).",
    )
    embedded_model: Literal["qwen2.5-coder-1.5b-instruct-q4_k_m", "qwen2.5-0.5b-instruct-q4"] = (
        "qwen2.5-coder-1.5b-instruct-q4_k_m"
    )
    models_dir: str | None = Field(
        default=None, description="Where assembled GGUF files live. Unset = <data_dir>/models."
    )
    n_ctx: int = Field(default=8192, ge=512)
    threads: int = Field(default=0, ge=0, description="CPU threads for llama.cpp; 0 = all cores.")
    port: int = Field(default=0, ge=0, le=65535, description="Embedded server port; 0 = any free.")
    tool_mode: Literal["auto", "json", "native"] = Field(
        default="auto",
        description="json: tool calls as JSON in the prompt (works everywhere); native: OpenAI "
        "tools= (vLLM with --enable-auto-tool-choice); auto: native for an external server, "
        "json for the embedded one.",
    )
    timeout_s: float = Field(default=120.0, gt=0, description="Per-request timeout.")
    first_token_timeout_s: float = Field(
        default=20.0,
        gt=0,
        description="Give up when the first streamed token takes longer than this plus the "
        "time to read the prompt at min_prompt_tokens_per_s.",
    )
    min_prompt_tokens_per_s: float = Field(
        default=15.0,
        gt=0,
        description="Slowest prompt reading to wait for before the first token (2 CPU cores "
        "read ~20 tokens/s when the prompt is not cached; a GPU thousands).",
    )
    idle_timeout_s: float = Field(
        default=20.0, gt=0, description="Give up when a stream stalls this long between tokens."
    )
    max_tokens: int = Field(default=320, ge=16)
    temperature: float = Field(default=0.1, ge=0, le=2)

    def use_native_tools(self) -> bool:
        """Return True when tool calls go through the server's native ``tools=``."""
        if self.tool_mode == "auto":
            return self.base_url is not None
        return self.tool_mode == "native"
