from __future__ import annotations

import pytest
from pydantic import BaseModel

from tools.default_registry import default_registry
from tools.deps import Deps, RunContext
from tools.errors import RetryableToolError, UnknownToolError
from tools.registry import ToolOutput, ToolRegistry, tool


class EchoIn(BaseModel):
    text: str


class EchoOut(ToolOutput):
    text: str


async def echo(ctx: RunContext[Deps], args: EchoIn) -> EchoOut:
    """Repeat the text.

    Longer explanation that the LLM does not need.
    """
    return EchoOut(text=args.text)


def test_tool_descriptor_comes_from_types_and_docstring() -> None:
    t = tool(echo)
    assert t.name == "echo"
    assert t.description == "Repeat the text."
    assert t.input_model is EchoIn and t.output_model is EchoOut
    assert t.prompt_line() == '- echo{"text": "string"}: Repeat the text.'
    assert t.openai_schema()["function"]["parameters"]["required"] == ["text"]


def test_tool_without_docstring_or_async_is_refused() -> None:
    async def nodoc(ctx: RunContext[Deps], args: EchoIn) -> EchoOut:
        return EchoOut(text="")

    def sync(ctx: RunContext[Deps], args: EchoIn) -> EchoOut:
        """Doc."""
        return EchoOut(text="")

    with pytest.raises(TypeError, match="docstring"):
        tool(nodoc)
    with pytest.raises(TypeError, match="async"):
        tool(sync)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="duplicate"):
        ToolRegistry([tool(echo), tool(echo)])


async def test_invoke_validates_arguments() -> None:
    registry = ToolRegistry([tool(echo)])
    ctx = RunContext(deps=None, conversation_id="c")  # type: ignore[arg-type]
    out = await registry.invoke("echo", {"text": "hi"}, ctx)
    assert out.for_llm() == '{"text":"hi"}'
    with pytest.raises(RetryableToolError, match="text: Field required"):
        await registry.invoke("echo", {}, ctx)
    with pytest.raises(UnknownToolError, match="available: echo"):
        await registry.invoke("nope", {}, ctx)


def test_default_registry_prompt_is_stable() -> None:
    a, b = default_registry(), default_registry()
    assert a.names()[:2] == ["search_catalog", "get_product"]
    assert a.prompt_block() == b.prompt_block()
    for name in a.names():
        assert a.get(name).description


def test_writes_are_declared_once_with_approval() -> None:
    """approval=True is the one declaration; it must match the policy's write list."""
    from catalog.orders.actions import WRITE_ACTIONS
    from tools.registry import ProposalOutput

    registry = default_registry()
    approval = {n for n in registry.names() if registry.get(n).approval}
    assert approval == set(WRITE_ACTIONS)
    for name in registry.names():
        t = registry.get(name)
        assert t.approval == issubclass(t.output_model, ProposalOutput), name


def test_approval_must_match_the_result_type() -> None:
    from tools.cancel_pending_order import cancel_pending_order
    from tools.get_product import get_product

    with pytest.raises(TypeError, match="approval"):
        tool(cancel_pending_order)
    with pytest.raises(TypeError, match="approval"):
        tool(get_product, approval=True)
