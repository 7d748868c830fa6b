"""Errors raised by tools.

Tree::

    ShopError (catalog.errors)
    └── ToolError                  a tool call did not succeed
        ├── RetryableToolError     the arguments can be fixed; the agent may call again
        │   └── UnknownToolError   no tool has that name
        └── TerminalToolError      retrying will not help (a rule forbids it, data is gone)

The agent shows a retryable error's message to the LLM so it can correct its call; a
terminal error ends the tool step and is explained to the shopper.
"""

from __future__ import annotations

from catalog.errors import ShopError


class ToolError(ShopError):
    """A tool call did not succeed."""

    code = "tool_error"


class RetryableToolError(ToolError):
    """The call's arguments are wrong in a way the caller can fix."""

    code = "tool_retryable"


class UnknownToolError(RetryableToolError):
    """No registered tool has the requested name."""

    code = "unknown_tool"


class TerminalToolError(ToolError):
    """The call cannot succeed, whatever the arguments (a policy forbids it, …)."""

    code = "tool_terminal"
