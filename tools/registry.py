"""The tool registry: typed tool descriptors, prompt rendering and validated invocation.

A tool is an ``async def name(ctx: RunContext[Deps], args: InputModel) -> OutputModel``
whose docstring is the description the LLM sees. :func:`tool` turns such a function
into a :class:`Tool`; :class:`ToolRegistry` holds them by name.
"""

from __future__ import annotations

import inspect
import json
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from typing import Any, get_type_hints

from pydantic import BaseModel, Field, ValidationError

from tools.cards import ProductCard
from tools.deps import Deps, RunContext
from tools.errors import RetryableToolError, UnknownToolError


class ToolOutput(BaseModel):
    """Base of every tool result. ``cards`` go to the UI and are never shown to the LLM."""

    cards: list[ProductCard] = Field(default_factory=list, exclude=True)

    def for_llm(self) -> str:
        """Compact JSON of the result, as the LLM reads it."""
        return self.model_dump_json(exclude_none=True)


class ProposalOutput(ToolOutput):
    """A proposed write: nothing has changed yet.

    Tools registered with ``approval=True`` return it, and only an explicit confirmation
    of its ``token`` executes the write.
    """

    token: str
    summary: str
    next_step: str = (
        "Nothing has changed yet. Show this summary to the customer and ask them "
        "to reply 'yes' to confirm; then call confirm_action with this token."
    )


ToolFn = Callable[[RunContext[Deps], Any], Awaitable[ToolOutput]]


@dataclass(frozen=True)
class Tool:
    """A registered tool: name, LLM-facing description, and typed input/output."""

    name: str
    description: str
    input_model: type[BaseModel]
    output_model: type[ToolOutput]
    fn: ToolFn
    approval: bool = False

    def arg_summary(self) -> dict[str, str]:
        """Map each argument to a short type hint (``?`` marks optional ones)."""
        schema = self.input_model.model_json_schema()
        required = set(schema.get("required", []))
        out: dict[str, str] = {}
        for name, prop in schema.get("properties", {}).items():
            kind = prop.get("type")
            if kind is None and "anyOf" in prop:
                kind = "|".join(
                    str(p.get("type")) for p in prop["anyOf"] if p.get("type") != "null"
                )
            if kind == "array":
                kind = f"list[{prop.get('items', {}).get('type', 'any')}]"
            out[name] = f"{kind}{'' if name in required else '?'}"
        return out

    def prompt_line(self) -> str:
        """One stable line describing the tool for the JSON-in-prompt protocol."""
        return f"- {self.name}{json.dumps(self.arg_summary())}: {self.description}"

    def openai_schema(self) -> dict[str, Any]:
        """Return the tool as an OpenAI ``tools=`` entry (servers with native tool calling)."""
        return {
            "type": "function",
            "function": {
                "name": self.name,
                "description": self.description,
                "parameters": self.input_model.model_json_schema(),
            },
        }


def tool(fn: ToolFn, *, approval: bool = False) -> Tool:
    """Build a :class:`Tool` from a typed async function; its docstring is the description.

    ``approval=True`` declares a write that needs the customer's explicit confirmation:
    such a tool must return :class:`ProposalOutput` (and only such a tool may).
    """
    if not inspect.iscoroutinefunction(fn):
        raise TypeError(f"tool {fn.__name__} must be an async function")
    hints = get_type_hints(fn)
    params = list(inspect.signature(fn).parameters)
    if len(params) != 2:
        raise TypeError(f"tool {fn.__name__} must take (ctx, args)")
    input_model = hints[params[1]]
    output_model = hints["return"]
    doc = inspect.getdoc(fn)
    if not doc:
        raise TypeError(f"tool {fn.__name__} needs a docstring: it is what the LLM reads")
    description = " ".join(doc.split("\n\n", 1)[0].split())
    proposes = isinstance(output_model, type) and issubclass(output_model, ProposalOutput)
    if proposes != approval:
        raise TypeError(
            f"tool {fn.__name__}: approval=True goes with a ProposalOutput result "
            f"(approval={approval}, returns {getattr(output_model, '__name__', '?')})"
        )
    return Tool(fn.__name__, description, input_model, output_model, fn, approval)


class ToolRegistry:
    """Tools by name, in a stable order (so prompts stay cacheable)."""

    def __init__(self, tools: Iterable[Tool]) -> None:
        """Register ``tools``; names must be unique."""
        self._tools: dict[str, Tool] = {}
        self._openai_tools: list[dict[str, Any]] | None = None
        for t in tools:
            if t.name in self._tools:
                raise ValueError(f"duplicate tool name {t.name!r}")
            self._tools[t.name] = t

    def __contains__(self, name: object) -> bool:
        """Return True when a tool of that name is registered."""
        return name in self._tools

    def names(self) -> list[str]:
        """Return the registered tool names, in registration order."""
        return list(self._tools)

    def get(self, name: str) -> Tool:
        """Return the tool called ``name``, or raise UnknownToolError."""
        try:
            return self._tools[name]
        except KeyError:
            raise UnknownToolError(
                f"unknown tool {name!r}; available: {', '.join(self._tools)}"
            ) from None

    def prompt_block(self) -> str:
        """All tools, one line each, for the system prompt."""
        return "\n".join(t.prompt_line() for t in self._tools.values())

    def openai_tools(self) -> list[dict[str, Any]]:
        """All tools as OpenAI ``tools=`` entries (built once; the registry is fixed)."""
        if self._openai_tools is None:
            self._openai_tools = [t.openai_schema() for t in self._tools.values()]
        return self._openai_tools

    async def invoke(
        self, name: str, raw_args: dict[str, Any], ctx: RunContext[Deps]
    ) -> ToolOutput:
        """Validate ``raw_args`` against the tool's input model and run it."""
        t = self.get(name)
        try:
            args = t.input_model.model_validate(raw_args)
        except ValidationError as exc:
            problems = "; ".join(
                f"{'.'.join(map(str, e['loc'])) or 'args'}: {e['msg']}" for e in exc.errors()
            )
            raise RetryableToolError(f"invalid arguments for {name}: {problems}") from exc
        return await t.fn(ctx, args)
