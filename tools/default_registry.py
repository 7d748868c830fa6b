"""The one place where tools are registered for the agent."""

from __future__ import annotations

from tools.get_product import get_product
from tools.registry import ToolRegistry, tool
from tools.search_catalog import search_catalog


def default_registry() -> ToolRegistry:
    """Return the registry of every tool the shopping agent may call, in prompt order."""
    return ToolRegistry([
        tool(search_catalog),
        tool(get_product),
    ])
