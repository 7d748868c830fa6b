"""Prompt templates (text files only); ``load`` reads one by name."""

from __future__ import annotations

from importlib import resources


def load(name: str, suffix: str = ".txt") -> str:
    """Return the template ``prompts/<name><suffix>`` (``.txt``, or ``.json`` for tables)."""
    return resources.files(__name__).joinpath(f"{name}{suffix}").read_text(encoding="utf-8")
